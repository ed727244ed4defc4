import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './cli-error.js';
import { packageRoot } from './package-root.js';
import { DataError } from '../data/data-error.js';
import { ConfigError } from '../engine/config-error.js';
import { backtestCommand } from './commands/backtest.js';
import { dataCommand } from './commands/data.js';
import { gridCommand } from './commands/grid.js';
import { demoCommand } from './commands/demo.js';
import { paperCommand } from './commands/paper.js';
import { reportCommand } from './commands/report.js';
import { promoteCommand } from './commands/promote.js';
import { strategiesCommand } from './commands/strategies.js';
import { walkForwardCommand } from './commands/walk-forward.js';

/** Builds the `replaylab` command tree. */
export function buildProgram(): Command {
  const program = new Command('replaylab')
    .description('Deterministic event-replay backtesting engine for trading strategies')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(demoCommand());
  program.addCommand(backtestCommand());
  program.addCommand(strategiesCommand());
  program.addCommand(dataCommand());
  program.addCommand(gridCommand());
  program.addCommand(walkForwardCommand());
  program.addCommand(reportCommand());
  program.addCommand(paperCommand());
  program.addCommand(promoteCommand());
  return program;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
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
    if (error instanceof DataError) {
      process.stderr.write(`replaylab: ${error.message}\n`);
      return 1;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`replaylab: ${error.message}\n`);
      return 2;
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
