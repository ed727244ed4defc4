import { existsSync, statSync } from 'node:fs';
import { Command } from 'commander';
import { failure, usageError } from '../cli-error.js';
import { DataError } from '../../data/data-error.js';
import { formatInspectReport, inspectBars, type InspectReport } from '../../data/inspect.js';
import { fileDigest, formatOf, loadBars, writeBars } from '../../data/load.js';
import { parseIsoTime, formatTime } from '../../data/parse-time.js';
import { formatRepairReport, parseRepair } from '../../data/repair.js';
import { synthBars } from '../../data/synth.js';

const FORMATS = '.csv, .arrow (.feather, .ipc) or .parquet';

/** Usage error unless `path` is an existing file with a known data extension. */
function requireInput(path: string): void {
  requireKnownFormat(path);
  if (!existsSync(path)) throw usageError(`${path}: file does not exist`);
  if (!statSync(path).isFile()) throw usageError(`${path}: not a file`);
}

function requireKnownFormat(path: string): void {
  if (formatOf(path) === undefined) throw usageError(`${path}: unknown file type — use ${FORMATS}`);
}

/** Runs `action`, turning a `DataError` (bad data) into a one-line CLI failure (exit 1). */
async function reportDataErrors(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (error instanceof DataError) throw failure(error.message);
    throw error;
  }
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value <= 0) {
    throw usageError(`${flag} must be a positive integer, got "${text}"`);
  }
  return value;
}

/** `1d`, `1m`, `5m`, `1h`, … → ms. Intraday intervals must divide the 390-minute session. */
function parseInterval(text: string): number {
  const match = /^(\d+)(m|h|d)$/.exec(text.trim());
  const unit = match?.[2];
  const count = Number(match?.[1]);
  const ms = unit === 'd' ? count * 86_400_000 : unit === 'h' ? count * 3_600_000 : count * 60_000;
  if (match === null || count <= 0 || (unit === 'd' && count !== 1) || (unit !== 'd' && (390 * 60_000) % ms !== 0)) {
    throw usageError(`--interval must be 1d or minutes/hours dividing the 390-minute session (1m, 5m, 15m, 30m, 65m), got "${text}"`);
  }
  return ms;
}

function toJson(report: InspectReport): string {
  const iso = (ms: number): string | null => (Number.isFinite(ms) ? formatTime(ms) : null);
  const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
  return JSON.stringify(
    {
      ...report,
      firstTime: iso(report.firstTimeMs),
      lastTime: iso(report.lastTimeMs),
      columns: report.columns.map((c) => ({ ...c, min: finite(c.min), max: finite(c.max) })),
      medianIntervalMs: finite(report.medianIntervalMs),
      gaps: { ...report.gaps, largest: report.gaps.largest.map((g) => ({ ...g, from: iso(g.fromMs), to: iso(g.toMs) })) },
    },
    null,
    2,
  );
}

function inspectCommand(): Command {
  return new Command('inspect')
    .description('Report rows, time range, column ranges, gaps and every problem in a bar file (exit 1 if it has problems)')
    .argument('<file>', `bar file: ${FORMATS}`)
    .option('--json', 'print the report as JSON')
    .option('--max-problems <n>', 'list at most this many problems', '100')
    .addHelpText('after', '\nExample:\n  $ replaylab data inspect data/samples/sp500-2000.csv\n  $ replaylab data inspect bars.parquet --json')
    .action((file: string, opts: { json?: boolean; maxProblems: string }) =>
      reportDataErrors(async () => {
        requireInput(file);
        const report = await inspectBars(file, { maxProblems: positiveInteger('--max-problems', opts.maxProblems) });
        process.stdout.write(`${opts.json === true ? toJson(report) : formatInspectReport(report)}\n`);
        if (report.problemCount > 0) {
          throw failure(`${file}: ${report.problemCount} problem${report.problemCount === 1 ? '' : 's'} found (listed above)`);
        }
      }),
    );
}

function convertCommand(): Command {
  return new Command('convert')
    .description('Validate a bar file and write it in another format (chosen by the output extension)')
    .argument('<in>', `input file: ${FORMATS}`)
    .argument('<out>', `output file: ${FORMATS}`)
    .option('--repair <mode>', 'instead of failing on bad rows: drop, sort or sort,drop (every change is listed)')
    .option('--symbol <symbol>', 'symbol of the bars (default: input file name, upper-cased)')
    .addHelpText('after', '\nExample:\n  $ replaylab data convert data/samples/sp500-2000.csv cache/sp500.arrow\n  $ replaylab data convert raw.csv clean.parquet --repair sort,drop')
    .action((input: string, output: string, opts: { repair?: string; symbol?: string }) =>
      reportDataErrors(async () => {
        const repair = opts.repair === undefined ? undefined : parseRepair(opts.repair);
        if (opts.repair !== undefined && repair === undefined) {
          throw usageError(`--repair must be drop, sort or sort,drop, got "${opts.repair}"`);
        }
        requireInput(input);
        requireKnownFormat(output);
        const { bars, repairs } = await loadBars(input, { repair, symbol: opts.symbol });
        if (repair !== undefined) process.stdout.write(`${formatRepairReport(repairs)}\n`);
        await writeBars(output, bars);
        process.stdout.write(`wrote ${bars.length} bars of ${bars.symbol} to ${output} (sha256 ${await fileDigest(output)})\n`);
      }),
    );
}

function synthCommand(): Command {
  return new Command('synth')
    .description('Generate synthetic OHLCV bars (regime-switching GBM with a vix column), deterministic from the seed')
    .requiredOption('--bars <n>', 'number of bars')
    .requiredOption('--seed <seed>', 'seed (integer or text); the same seed gives the same bars')
    .requiredOption('--out <file>', `output file: ${FORMATS}`)
    .option('--interval <interval>', '1d (one bar per weekday) or 1m, 5m, 15m, 30m… (bars in a 14:30–21:00 UTC session)', '1d')
    .option('--symbol <symbol>', 'symbol of the bars', 'SYNTH')
    .option('--start <iso>', 'first day, ISO date (weekends are skipped)', '2000-01-03')
    .addHelpText('after', '\nExample:\n  $ replaylab data synth --bars 5000 --seed 42 --out synth.csv\n  $ replaylab data synth --bars 2000000 --seed 7 --interval 1m --out minute.arrow')
    .action((opts: { bars: string; seed: string; out: string; interval: string; symbol: string; start: string }) =>
      reportDataErrors(async () => {
        const bars = positiveInteger('--bars', opts.bars);
        const start = parseIsoTime(opts.start);
        if (Number.isNaN(start)) throw usageError(`--start must be an ISO date like 2000-01-03, got "${opts.start}"`);
        requireKnownFormat(opts.out);
        const seed = /^-?\d+$/.test(opts.seed) && Number.isSafeInteger(Number(opts.seed)) ? Number(opts.seed) : opts.seed;
        const series = synthBars({ bars, seed, start, intervalMs: parseInterval(opts.interval), symbol: opts.symbol });
        await writeBars(opts.out, series);
        process.stdout.write(`wrote ${series.length} bars of ${series.symbol} to ${opts.out} (sha256 ${await fileDigest(opts.out)})\n`);
      }),
    );
}

/** The `replaylab data` command: `inspect`, `convert` and `synth` subcommands for bar files. */
export function dataCommand(): Command {
  return new Command('data')
    .description('Inspect, convert and generate bar data files (CSV, Arrow IPC, Parquet)')
    .addCommand(inspectCommand())
    .addCommand(convertCommand())
    .addCommand(synthCommand())
    .addHelpText('after', '\nExample:\n  $ replaylab data inspect data/samples/sp500-2000.csv');
}
