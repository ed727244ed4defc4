import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '../../engine/config-error.js';
import { DataError } from '../../data/data-error.js';
import { parseExperiment } from '../../experiments/experiment-spec.js';
import type { Experiment } from '../../experiments/experiment.js';
import type { GridSummary } from '../../experiments/grid-summary.js';
import { GridProgress, progressMode } from '../../experiments/progress.js';
import { CliError, failure, interrupted, usageError } from '../cli-error.js';
import { writeReport } from './report.js';
import { num, table } from '../format.js';
import { packageRoot } from '../package-root.js';
import { numberFlag, readJsonFile, specError } from '../spec-input.js';

interface GridFlags {
  workers?: string;
  out?: string;
  resume?: boolean;
  top?: string;
  json?: boolean;
  quiet?: boolean;
  batchSize?: string;
  report?: boolean;
}

/** `replaylab grid EXPERIMENT.json [--workers N] [--out DIR] [--resume] [--top K] [--json] [--quiet] [--batch-size N]`. */
export function gridCommand(): Command {
  return new Command('grid')
    .description('Run every cell of an experiment on all cores, stream results to a folder (resumable), rank them and report overfitting statistics')
    .argument('<experiment>', 'experiment JSON file (data, strategy, params, sweep, constraints, ranking, filters)')
    .option('-w, --workers <n>', 'worker threads (default: one per core)')
    .option('-o, --out <dir>', 'results folder (default: runs/<experiment name>)')
    .option('--resume', 'continue an interrupted run in --out (skips finished cells)')
    .option('--top <k>', 'how many top cells to print (default: the experiment\'s "top", 10)')
    .option('--json', 'print the summary as one JSON document (progress stays on stderr)')
    .option('-q, --quiet', 'no progress output')
    .option('--batch-size <n>', 'cells per message to a worker (default: guided — each batch a 1/(2 × workers) share of the cells left, at most 64 and an eighth of a worker\'s share of the grid, down to single cells at the end)')
    .option('--report', 'also write DIR/report.html (self-contained, offline)')
    .addHelpText(
      'after',
      `
Examples:
  replaylab grid experiments/sma-sp500.json
  replaylab grid experiments/sma-sp500.json --workers 4 --out runs/sma --top 5
  replaylab grid experiments/sma-sp500.json --out runs/sma --resume

Writes results.csv and results.arrow (one row per cell, in cell order), returns.f32 (daily returns
per cell), experiment.json, manifest.json and summary.json. Ctrl-C stops cleanly (exit 130);
rerun with --resume to continue.

Exit codes: 0 ok, 1 failure, 2 usage error (bad experiment, folder in use), 130 interrupted.`,
    )
    .action(async (file: string, flags: GridFlags) => {
      const workers = numberFlag('--workers', flags.workers, (n) => Number.isInteger(n) && n >= 1, 'a whole number >= 1') ?? availableParallelism();
      const batchSize = numberFlag('--batch-size', flags.batchSize, (n) => Number.isInteger(n) && n >= 1, 'a whole number >= 1');
      const top = numberFlag('--top', flags.top, (n) => Number.isInteger(n) && n >= 0, 'a whole number >= 0');
      const input = readJsonFile(file, 'experiment');
      let experiment: Experiment;
      try {
        experiment = parseExperiment(input.json, { file });
      } catch (error) {
        specError(file, error);
      }
      const outDir = flags.out ?? join('runs', experiment.name);
      const resumeHint = `replaylab grid ${file} --out ${outDir} --resume`;
      const { runGrid } = await import('../../experiments/grid.js');
      const { ResultsDirError } = await import('../../experiments/results-store.js');
      const progress = { current: undefined as GridProgress | undefined };
      const controller = new AbortController();
      const onSigint = (): void => {
        if (controller.signal.aborted) process.exit(130);
        controller.abort();
        progress.current?.finish();
        process.stderr.write('stopping after the running batches (Ctrl-C again to quit now)…\n');
      };
      process.on('SIGINT', onSigint);
      try {
        const outcome = await runGrid({
          experiment,
          experimentFile: resolve(file),
          baseDir: input.baseDir,
          outDir,
          workers,
          batchSize,
          resume: flags.resume === true,
          version: packageVersion(),
          top,
          signal: controller.signal,
          onStart: ({ total, done }) => {
            progress.current = new GridProgress({ mode: progressMode(process.stderr, flags.quiet === true), stream: process.stderr, total, initial: done });
          },
          onProgress: (done) => progress.current?.update(done),
        });
        progress.current?.finish();
        if (outcome.summary === undefined) {
          throw interrupted(`interrupted: ${outcome.rows.length} of ${outcome.manifest.cells} cells stored in ${outDir} — resume with: ${resumeHint}`);
        }
        if (flags.json) process.stdout.write(`${JSON.stringify(outcome.summary)}\n`);
        else process.stdout.write(formatGrid(outcome.summary, experiment));
        if (flags.report === true) {
          const path = await writeReport(outDir);
          (flags.json ? process.stderr : process.stdout).write(`report written to ${path}\n`);
        }
      } catch (error) {
        progress.current?.finish();
        if (error instanceof CliError) throw error;
        if (error instanceof ConfigError) throw usageError(`${file}: ${error.message}`);
        if (error instanceof ResultsDirError) throw usageError(error.message);
        if (error instanceof DataError) throw failure(error.message);
        throw failure(`${error instanceof Error ? error.message : String(error)} — results so far are kept; resume with: ${resumeHint}`);
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The human report: the top table, then trials, DSR, PBO and plateau. */
export function formatGrid(summary: GridSummary, experiment: Experiment): string {
  const swept = Object.keys(experiment.sweep);
  const scoreLabel = experiment.ranking.kind === 'metric' ? experiment.ranking.metric : 'score';
  // The score gets its own column unless it is one of the metrics shown anyway.
  const shown = ['totalReturnPct', 'sharpe', 'maxDrawdownPct', 'tradesClosed', 'winRatePct'];
  const scoreColumn = shown.includes(scoreLabel) ? [] : [scoreLabel];
  const lines: string[] = [];
  lines.push(`experiment  ${summary.experiment}: ${summary.cells} cells, ${summary.passed} passed the filters`);
  lines.push('');
  if (summary.top.length > 0) {
    const header = ['rank', 'cell', ...swept, ...scoreColumn, 'return %', 'sharpe', 'max dd %', 'trades', 'win %', 'digest'];
    const rows = summary.top.map((t) => [
      String(t.rank), String(t.cell), ...swept.map((name) => String(t.params[name])), ...scoreColumn.map(() => num(t.score, 4)),
      num(t.metrics.totalReturnPct), num(t.metrics.sharpe, 4), num(t.metrics.maxDrawdownPct), num(t.metrics.tradesClosed, 0),
      num(t.metrics.winRatePct), t.digest.slice(0, 12),
    ]);
    lines.push(table([header, ...rows]));
  } else lines.push('no cell passed the filters');
  lines.push('');
  const { deflatedSharpe: dsr, pbo, notes } = summary.overfitting;
  lines.push(`trials      ${summary.trials}`);
  if (dsr !== null) {
    lines.push(
      `DSR         ${num(dsr.dsr, 3)} (cell ${dsr.cell}: Sharpe ${num(dsr.sharpeAnnualized, 3)} ann. vs ${num(dsr.expectedMaxSharpeAnnualized, 3)} expected from the best of ${summary.trials} lucky trials; skew ${num(dsr.skewness, 2)}, kurtosis ${num(dsr.kurtosis, 2)}, ${dsr.observations} days)`,
    );
  }
  if (pbo !== null) {
    lines.push(`PBO         ${num(pbo.pbo, 3)} (CSCV, ${pbo.partitions} partitions, ${pbo.combinations} of ${pbo.totalCombinations} splits; out-of-sample loss in ${num(pbo.outOfSampleLossProbability * 100, 1)} %)`);
  }
  const plateau = summary.plateau;
  if (plateau !== null) {
    const share = plateau.shareWithinTolerance === null ? '—' : `${num(plateau.shareWithinTolerance * 100, 0)} %`;
    lines.push(`plateau     ${plateau.verdict} (cell ${plateau.cell}: ${share} of ${plateau.neighbours} neighbours within ${num(plateau.tolerance * 100, 0)} % of its ${scoreLabel}; neighbour mean ${num(plateau.neighbourMean, 4)})`);
  }
  for (const note of notes) lines.push(`note        ${note}`);
  const playbook = summary.playbook;
  if (playbook !== undefined) {
    lines.push('');
    lines.push(`regime playbook (vol regimes; best cell per regime by ${playbook.ranking}, after the filters)`);
    const header = ['regime', 'cell', ...swept, 'passed', 'trades', 'return %', 'sharpe', 'max dd %'];
    const rows = playbook.choices.map((c) => [
      c.regime, c.cell === null ? '—' : String(c.cell), ...swept.map((name) => (c.params === null ? '—' : String(c.params[name]))), String(c.passed),
      num(c.inRegime?.trades ?? null, 0), num(c.inRegime?.returnPct ?? null), num(c.inRegime?.sharpe ?? null, 4), num(c.inRegime?.maxDrawdownPct ?? null),
    ]);
    lines.push(table([header, ...rows]));
    lines.push('');
    const compare = playbook.comparison.map((f) => [f.name, num(f.finalEquity), num(f.totalReturnPct), num(f.sharpe, 4), num(f.maxDrawdownPct), num(f.tradesClosed, 0)]);
    lines.push(table([['run', 'final equity', 'return %', 'sharpe', 'max dd %', 'trades'], ...compare]));
    lines.push(`playbook    digest ${playbook.digest.slice(0, 12)}; files playbook.json, regimes.json`);
  }
  lines.push(`results     ${relativePath(summary.outDir)} (results.csv, results.arrow, returns.f32, summary.json)`);
  return `${lines.join('\n')}\n`;
}

function relativePath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel === '' ? '.' : rel.startsWith('..') ? resolve(path) : rel;
}
