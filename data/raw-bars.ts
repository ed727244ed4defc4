import type { BarColumns } from '../engine/bars.js';
import type { DataLocation, DataProblem } from './data-error.js';

/**
 * Columns as read from a file, before validation: what the readers (CSV, Arrow, Parquet) hand to
 * `validate.ts`. Rows a reader could not parse at all are not in the columns; they are listed in
 * `problems` instead.
 */
export interface RawBars {
  /** The file as the user named it (used in every message). */
  readonly file: string;
  /** `line` for CSV (1-based text line, header = 1), `row` for columnar files (1-based data row). */
  readonly location: DataLocation;
  /** The parsed rows; every column has `length` values. Times are epoch ms UTC (NaN = missing). */
  readonly columns: BarColumns;
  /** Number of parsed rows. */
  readonly length: number;
  /** Source line (or row) of each parsed row; `undefined` means row `i` is row `i + 1`. */
  readonly lines: Int32Array | undefined;
  /** Rows the reader rejected (unparsable values, wrong field count), in file order, capped. */
  readonly problems: readonly DataProblem[];
  /** How many rows the reader rejected in total (at least `problems.length`). */
  readonly problemCount: number;
  /** False when the reader stopped early because it reached its problem limit. */
  readonly complete: boolean;
}

/** Line (CSV) or row (columnar) number of parsed row `index` of `raw`. */
export function sourceLine(raw: RawBars, index: number): number {
  return raw.lines === undefined ? index + 1 : (raw.lines[index] ?? index + 1);
}

/** Upper-cased file name without directories and extension: `data/sp500-2000.csv` → `SP500-2000`. */
export function symbolFromPath(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const dot = base.lastIndexOf('.');
  return (dot > 0 ? base.slice(0, dot) : base).toUpperCase();
}
