import { Command } from 'commander';
import { join } from 'node:path';
import { runJson } from '../../experiments/run-json.js';
import { writeRunDir } from '../../experiments/run-store.js';
import { formatRun } from '../format.js';
import { packageRoot } from '../package-root.js';
import { runFromFlags } from './backtest.js';

/** `replaylab demo`: runs the bundled example spec (experiments/demo.json) on the bundled data. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('Run the bundled example: sma-cross 10/30 on the bundled S&P 500 daily data (2000-2020), 0.1% commission')
    .option('--json', 'print the run as JSON')
    .option('-o, --out <dir>', 'also write the run folder')
    .addHelpText('after', '\nExample:\n  replaylab demo\n  replaylab demo --out runs/demo')
    .action(async (flags: { json?: boolean; out?: string }) => {
      const spec = join(packageRoot(), 'experiments', 'demo.json');
      const outcome = await runFromFlags(spec, { param: [], ...(flags.out !== undefined ? { out: flags.out } : {}) });
      if (flags.out !== undefined) await writeRunDir(flags.out, outcome);
      if (flags.json) process.stdout.write(`${JSON.stringify(runJson(outcome))}\n`);
      else {
        process.stdout.write(`replaylab demo — ${spec}\n\n`);
        process.stdout.write(formatRun(outcome));
        process.stdout.write('\nTry: replaylab backtest --help · replaylab strategies · replaylab data inspect data/samples/sp500-2000.csv\n');
      }
    });
}
