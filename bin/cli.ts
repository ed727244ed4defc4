import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import { dataCommand } from './commands/data.js';

/** Builds the `replaylab` command tree. */
export function buildProgram(): Command {
  const program = new Command('replaylab')
    .description('Deterministic event-replay backtesting engine for trading strategies')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(dataCommand());
  return program;
}

/**
 * Runs the CLI on `argv` (as `process.argv`) and returns the exit code:
 * 0 ok, 1 failure, 2 usage error. User mistakes print one line on stderr, never a stack trace.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const applyExitOverride = (cmd: Command): void => {
    cmd.exitOverride();
    for (const sub of cmd.commands) applyExitOverride(sub);
  };
  applyExitOverride(program);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (help, version or usage error).
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      process.stderr.write(`replaylab: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`replaylab: internal error: ${message}\n`);
    return 1;
  }
}
