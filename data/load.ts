import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { BarSeries } from '../engine/bars.js';
import { readCsv } from './csv.js';
import { writeCsv } from './csv-write.js';
import { fileError } from './data-error.js';
import type { RawBars } from './raw-bars.js';
import type { Repair } from './repair.js';
import { validateBars, type LoadResult } from './validate.js';

/** The file formats replaylab reads and writes. */
export type DataFormat = 'csv' | 'arrow' | 'parquet';

/** Extensions recognised by {@link formatOf} (lower case, with the dot). */
export const DATA_EXTENSIONS: Readonly<Record<string, DataFormat>> = {
  '.csv': 'csv',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
  '.parquet': 'parquet',
};

/** The format of `path` from its extension (case-insensitive), or `undefined` if unknown. */
export function formatOf(path: string): DataFormat | undefined {
  const match = /\.[^./\\]+$/.exec(path);
  return match === null ? undefined : DATA_EXTENSIONS[match[0].toLowerCase()];
}

/** Options for {@link loadBars}. */
export interface LoadOptions {
  /** Symbol of the bars; default: the file name stem upper-cased (`sp500-2000.csv` → `SP500-2000`). */
  readonly symbol?: string | undefined;
  /** Repairs to apply instead of failing on the first problem (see `validate.ts`). */
  readonly repair?: Repair | undefined;
}

/** Options for {@link readRawBars}. */
export interface ReadRawOptions {
  readonly symbol?: string | undefined;
  /** CSV only: keep at most this many unparsable rows (default 1). */
  readonly maxProblems?: number;
  /** CSV only: stop reading when `maxProblems` is reached (default true). */
  readonly stopAtMaxProblems?: boolean;
}

function formatOrThrow(path: string): DataFormat {
  const format = formatOf(path);
  if (format === undefined) {
    throw fileError(path, 'unknown file type', `use a .csv, .arrow (.feather, .ipc) or .parquet file`);
  }
  return format;
}

/**
 * Reads a bar file into unvalidated columns (dispatch on the extension). Throws a `DataError` when
 * the file does not exist, has an unknown extension, or has whole-file problems.
 */
export async function readRawBars(path: string, options: ReadRawOptions = {}): Promise<RawBars> {
  const format = formatOrThrow(path);
  if (!existsSync(path)) throw fileError(path, 'file does not exist', 'check the path');
  if (!statSync(path).isFile()) throw fileError(path, 'not a file', 'pass a data file, not a directory');
  switch (format) {
    case 'csv':
      return readCsv(path, options);
    // Arrow and Parquet libraries load on first use: importing apache-arrow alone costs ~0.3–0.8 s
    // of start-up that a CSV run should not pay.
    case 'arrow':
      return (await import('./arrow.js')).readArrowBars(path, options);
    case 'parquet':
      return (await import('./parquet.js')).readParquetBars(path, options);
  }
}

/**
 * Loads and validates bars from a `.csv`, `.arrow`/`.feather`/`.ipc` or `.parquet` file. Without
 * `repair` the first problem throws a `DataError` (`file:line: reason — fix`); with `repair` the
 * result's `repairs` lists every dropped or moved row. Times are epoch ms UTC.
 */
export async function loadBars(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const drop = options.repair?.includes('drop') ?? false;
  const raw = await readRawBars(path, {
    symbol: options.symbol,
    maxProblems: drop ? Number.POSITIVE_INFINITY : 1,
    stopAtMaxProblems: !drop,
  });
  return validateBars(raw, { repair: options.repair });
}

/**
 * Writes bars to `path`, format chosen by the extension: CSV (streamed in chunks, shortest
 * round-trip numbers), Arrow IPC file, or Parquet. Throws a `DataError` on an unknown extension.
 */
export async function writeBars(path: string, bars: BarSeries): Promise<void> {
  switch (formatOrThrow(path)) {
    case 'csv':
      writeCsv(path, bars);
      return;
    case 'arrow':
      (await import('./arrow.js')).writeArrowBars(path, bars);
      return;
    case 'parquet':
      (await import('./parquet.js')).writeParquetBars(path, bars);
      return;
  }
}

/** SHA-256 of a file's bytes as lower-case hex, read as a stream (constant memory). */
export async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
