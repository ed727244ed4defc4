/**
 * CSV load speed: `readCsv` + `validateBars` (what `loadBars` does for a `.csv`) against a plain
 * Node script on the same 2-million-row minute file. The plain script is the obvious
 * `readFileSync(path, 'utf8').split('\n')`, `split(',')`, `parseFloat` per cell into
 * `Float64Array`s — once with `Date.parse` on the time cell (what any loader needs) and once
 * without parsing the time at all (a floor no real loader can reach). Measures; never fails on a time.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBarSeries } from '../engine/bars.js';
import { readCsv } from '../data/csv.js';
import { writeCsv } from '../data/csv-write.js';
import { synthBars } from '../data/synth.js';
import { validateBars } from '../data/validate.js';
import { interleave, speedRatio } from './measure.js';

/** Figures returned by {@link benchCsvLoad}; times are median seconds over the rounds. */
export interface CsvLoadBench {
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
  /** replaylab: `readCsv` + `validateBars` (full parse of every cell, ISO times, all checks). */
  readonly loadSeconds: number;
  /** Plain script with `Date.parse` on the time cells. */
  readonly plainSeconds: number;
  /** Plain script that leaves the time cells unparsed. */
  readonly plainNoTimeSeconds: number;
  /** loadSeconds ÷ plainSeconds (below 1 = replaylab is faster), paired per-round median. */
  readonly ratioToPlain: number;
  /** loadSeconds ÷ plainNoTimeSeconds, paired per-round median. */
  readonly ratioToPlainNoTime: number;
  readonly rounds: number;
}

/** Options for {@link benchCsvLoad}. */
export interface CsvLoadBenchOptions {
  /** Rows of the generated minute file (default 2 000 000, about 130 MB). */
  readonly rows?: number;
  /** Timed rounds per case (default 5, after one warm-up run). */
  readonly rounds?: number;
  /** Where to keep the generated file (default `<tmpdir>/replaylab-bench`); reused when present. */
  readonly dir?: string;
}

/** Writes (once) a synthetic minute CSV with prices in cents, like a vendor file. */
function minuteCsv(rows: number, dir: string): string {
  const file = join(dir, `minute-${rows}.csv`);
  if (existsSync(file) && statSync(file).size > 0) return file;
  mkdirSync(dir, { recursive: true });
  const bars = synthBars({ bars: rows, seed: 'bench-csv-load', intervalMs: 60_000, startPrice: 2000 });
  const cents = (column: Float64Array): Float64Array => column.map((x) => Math.round(x * 100) / 100);
  const { open, high, low, close, volume, timeMs } = bars;
  const vix = bars.extras['vix'] ?? new Float64Array(rows);
  writeCsv(file, makeBarSeries({ symbol: bars.symbol, timeMs, open: cents(open), high: cents(high), low: cents(low), close: cents(close), volume, extras: { vix: cents(vix) } }));
  return file;
}

/** The plain script: split lines and cells, `parseFloat` each number, optionally `Date.parse` the time. */
function plainLoad(file: string, parseTime: boolean): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const width = (lines[0] ?? '').split(',').length;
  const columns = Array.from({ length: width }, () => new Float64Array(lines.length));
  let rows = 0;
  for (let i = 1; i < lines.length; i++) {
    const cells = (lines[i] as string).split(',');
    if (cells.length < width) continue;
    if (parseTime) (columns[0] as Float64Array)[rows] = Date.parse(cells[0] as string);
    for (let j = 1; j < width; j++) (columns[j] as Float64Array)[rows] = parseFloat(cells[j] as string);
    rows++;
  }
  return rows;
}

/** Generates the file if needed, then times the three loaders interleaved. */
export async function benchCsvLoad(options: CsvLoadBenchOptions = {}): Promise<CsvLoadBench> {
  const rows = options.rows ?? 2_000_000;
  const rounds = options.rounds ?? 5;
  const file = minuteCsv(rows, options.dir ?? join(tmpdir(), 'replaylab-bench'));
  const timings = interleave(
    [
      { name: 'replaylab', units: rows, run: () => validateBars(readCsv(file)).bars.length },
      { name: 'plain', units: rows, run: () => plainLoad(file, true) },
      { name: 'plain-no-time', units: rows, run: () => plainLoad(file, false) },
    ],
    {
      warmup: 1,
      rounds,
      check: (name, count) => {
        if (count !== rows) throw new Error(`${name} read ${count} rows, expected ${rows}`);
      },
    },
  );
  const [ours, plain, plainNoTime] = timings as [(typeof timings)[number], (typeof timings)[number], (typeof timings)[number]];
  return {
    file,
    rows,
    bytes: statSync(file).size,
    loadSeconds: ours.medianSeconds,
    plainSeconds: plain.medianSeconds,
    plainNoTimeSeconds: plainNoTime.medianSeconds,
    ratioToPlain: 1 / speedRatio(ours, plain).pairedMedian,
    ratioToPlainNoTime: 1 / speedRatio(ours, plainNoTime).pairedMedian,
    rounds,
  };
}
