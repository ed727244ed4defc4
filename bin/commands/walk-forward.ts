import { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { relative, resolve } from 'node:path';
import { ConfigError } from '../../engine/config-error.js';
import { DataError } from '../../data/data-error.js';
import { parseExperiment } from '../../experiments/experiment-spec.js';
import type { Experiment } from '../../experiments/experiment.js';
import { GridProgress, progressMode } from '../../experiments/progress.js';
import type { WalkForwardResult } from '../../experiments/walk-forward.js';
import { CliError, failure, usageError } from '../cli-error.js';
import { writeReport } from './report.js';
import { num, table } from '../format.js';
import { numberFlag, readJsonFile, specError } from '../spec-input.js';

interface WalkForwardFlags {
  workers?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  report?: boolean;
}

/** `replaylab walk-forward EXPERIMENT.json [--out DIR] [--workers N] [--json] [--quiet]`. */
export function walkForwardCommand(): Command {
  return new Command('walk-forward')
    .description('Walk-forward analysis: choose the best cell on each train window, run it on the test window that follows, stitch the out-of-sample runs')
    .argument('<experiment>', 'experiment JSON file with a "walkForward" block ({"mode": "rolling"|"anchored", "train", "test"})')
    .option('-o, --out <dir>', 'write walk-forward.json, oos-equity.arrow and oos-trades.csv to this folder')
    .option('-w, --workers <n>', 'worker threads for the train grids (default: one per core; results do not depend on it)')
    .option('--json', 'print the result as one JSON document (progress stays on stderr)')
    .option('--report', 'also write DIR/report.html (needs --out)')
    .option('-q, --quiet', 'no progress output')
    .addHelpText(
      'after',
      `
Examples:
  replaylab walk-forward experiments/sma-sp500-walk-forward.json
  replaylab walk-forward experiments/sma-sp500-walk-forward.json --out runs/sma-wf --workers 4
  replaylab walk-forward experiments/sma-sp500-walk-forward.json --json --quiet

In each window every cell runs on the train bars; the best one by the experiment's ranking (after
its filters) runs on the test bars that follow, starting cold (indicators warm up inside the test
window) with the previous window's final equity. Only test results are stitched into the
out-of-sample curve. See experiments/README.md (Walk-forward).

Exit codes: 0 ok, 1 failure (bad data), 2 usage error (bad experiment, no walkForward block, data too short).`,
    )
    .action(async (file: string, flags: WalkForwardFlags) => {
      if (flags.report === true && flags.out === undefined) throw usageError('--report needs --out DIR (the report is written to DIR/report.html)');
      const workers = numberFlag('--workers', flags.workers, (n) => Number.isInteger(n) && n >= 1, 'a whole number >= 1') ?? availableParallelism();
      const input = readJsonFile(file, 'experiment');
      let experiment: Experiment;
      try {
        experiment = parseExperiment(input.json, { file });
      } catch (error) {
        specError(file, error);
      }
      if (experiment.walkForward === undefined) {
        throw usageError(`${file}: walkForward: missing — a walk-forward needs e.g. "walkForward": {"mode": "rolling", "train": "3y", "test": "1y"} in the experiment`);
      }
      const { runWalkForward } = await import('../../experiments/walk-forward.js');
      const { walkForwardJson, writeWalkForwardDir } = await import('../../experiments/walk-forward-output.js');
      let progress: GridProgress | undefined;
      try {
        const result = await runWalkForward({
          experiment,
          baseDir: input.baseDir,
          workers,
          onStart: ({ windows, cells }) => {
            progress = new GridProgress({ mode: progressMode(process.stderr, flags.quiet === true), stream: process.stderr, total: windows * cells, initial: 0 });
          },
          onProgress: (done) => progress?.update(done),
        });
        progress?.finish();
        if (flags.out !== undefined) await writeWalkForwardDir(flags.out, result);
        if (flags.json) process.stdout.write(`${JSON.stringify(walkForwardJson(result))}\n`);
        else process.stdout.write(formatWalkForward(result, flags.out));
        if (flags.report === true && flags.out !== undefined) {
          const path = await writeReport(flags.out);
          (flags.json ? process.stderr : process.stdout).write(`report written to ${path}\n`);
        }
      } catch (error) {
        progress?.finish();
        if (error instanceof CliError) throw error;
        if (error instanceof ConfigError) throw usageError(`${file}: ${error.message}`);
        if (error instanceof DataError) throw failure(error.message);
        throw failure(error instanceof Error ? error.message : String(error));
      }
    });
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The human report: one row per window, then the stitched out-of-sample totals. */
export function formatWalkForward(result: WalkForwardResult, outDir?: string): string {
  const { experiment, spec, outOfSample: oos } = result;
  const swept = Object.keys(experiment.sweep);
  const ranking = experiment.ranking.kind === 'metric' ? `${experiment.ranking.metric} ${experiment.ranking.order}` : 'score';
  const show = (x: number | string): string => (typeof x === 'number' ? `${x} bars` : x);
  const lines: string[] = [];
  lines.push(`experiment  ${experiment.name}: ${experiment.strategy}, ${result.cells} cells per train window, ranked by ${ranking}`);
  lines.push(`windows     ${result.windows.length}, ${spec.mode}, train ${show(spec.train)}, test ${show(spec.test)}; test runs start cold, capital carried over`);
  for (const d of result.data) lines.push(`data        ${d.file} (${d.bars.symbol}, ${d.bars.length} bars)`);
  lines.push('');
  const header = ['#', 'train', 'test', ...swept, 'IS sharpe', 'IS ret %', 'IS dd %', 'OOS sharpe', 'OOS ret %', 'OOS dd %', 'trades', 'WFE'];
  const rows = result.windows.map((w) => [
    String(w.window.index),
    `${day(w.trainFromMs)} … ${day(w.trainToMs)}`,
    `${day(w.testFromMs)} … ${day(w.testToMs)}${w.window.partial ? '*' : ''}`,
    ...swept.map((name) => (w.chosen === null ? '—' : String(w.chosen.params[name]))),
    num(w.inSample?.sharpe ?? null, 3),
    num(w.inSample?.totalReturnPct ?? null),
    num(w.inSample?.maxDrawdownPct ?? null),
    num(w.outOfSample.sharpe, 3),
    num(w.outOfSample.totalReturnPct),
    num(w.outOfSample.maxDrawdownPct),
    String(w.outOfSample.tradesClosed + w.outOfSample.tradesOpen),
    num(w.efficiency, 2),
  ]);
  lines.push(table([header, ...rows]));
  const notes: string[] = [];
  if (result.windows.some((w) => w.window.partial)) notes.push('* partial: the data ends before the test window does');
  if (result.windows.some((w) => w.chosen === null)) notes.push('— no cell passed the filters on the train window: nothing traded in its test window');
  for (const note of notes) lines.push(note);
  lines.push('');
  const m = oos.metrics;
  lines.push(`out-of-sample, stitched (${day(result.windows[0]!.testFromMs)} … ${day(result.windows.at(-1)!.testToMs)}, ${oos.timeMs.length} bars)`);
  lines.push(
    table([
      ['final equity', num(m.finalEquity)],
      ['total return %', num(m.totalReturnPct)],
      ['CAGR %', num(m.cagrPct)],
      ['sharpe', num(m.sharpe, 4)],
      ['max drawdown %', num(m.maxDrawdownPct)],
      ['trades closed / open', `${m.tradesClosed} / ${m.tradesOpen}`],
      ['win rate %', num(m.winRatePct)],
      ['fees + slippage', num(m.feesPaid + m.slippagePaid)],
      ['mean IS CAGR %', num(oos.meanInSampleCagrPct)],
      ['WFE (OOS ÷ IS CAGR)', num(oos.efficiency, 2)],
    ]).replace(/^/gm, '  '),
  );
  if (outDir !== undefined) lines.push(`results     ${relativePath(outDir)} (walk-forward.json, oos-equity.arrow, oos-trades.csv)`);
  return `${lines.join('\n')}\n`;
}

function relativePath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel === '' ? '.' : rel.startsWith('..') ? resolve(path) : rel;
}
