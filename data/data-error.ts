/**
 * Where a problem sits in its file: `line` for text files (1-based, the header is line 1),
 * `row` for columnar files (Arrow, Parquet: 1-based data row, no header).
 */
export type DataLocation = 'line' | 'row';

/** One problem found in a data file: where it is, what is wrong and how to fix it. */
export interface DataProblem {
  /** 1-based line (CSV, header = 1) or data row (Arrow/Parquet); `undefined` for whole-file problems. */
  readonly line: number | undefined;
  /** The column concerned (lower-cased header name), when the problem is about one column. */
  readonly field?: string;
  /** What is wrong, e.g. `high 10.5 < low 11`. */
  readonly reason: string;
  /** What the user can do about it, e.g. `fix the row or pass --repair drop`. */
  readonly fix: string;
}

/** Formats `file:line: reason — fix` (or `file: row N: …` for columnar files, `file: …` without a line). */
export function formatProblem(file: string, problem: DataProblem, location: DataLocation = 'line'): string {
  const where =
    problem.line === undefined ? `${file}:` : location === 'line' ? `${file}:${problem.line}:` : `${file}: row ${problem.line}:`;
  return `${where} ${problem.reason} — ${problem.fix}`;
}

/**
 * Bad input data. The message is one line naming the file, the line, the reason and the fix, e.g.
 * `data/x.csv:1234: high 10.5 < low 11 — fix the row or pass --repair drop`; the CLI prints it
 * as is and exits with code 1.
 */
export class DataError extends Error {
  /** The file as the user named it. */
  readonly file: string;
  /** 1-based line (or row, see `location`), `undefined` for whole-file problems. */
  readonly line: number | undefined;
  /** The column concerned, if any. */
  readonly field: string | undefined;
  /** What is wrong. */
  readonly reason: string;
  /** How to fix it. */
  readonly fix: string;
  /** Whether `line` counts text lines or data rows. */
  readonly location: DataLocation;

  /** Builds the error from a problem found in `file`. */
  constructor(file: string, problem: DataProblem, location: DataLocation = 'line') {
    super(formatProblem(file, problem, location));
    this.name = 'DataError';
    this.file = file;
    this.line = problem.line;
    this.field = problem.field;
    this.reason = problem.reason;
    this.fix = problem.fix;
    this.location = location;
  }
}

/** Shorthand for a whole-file {@link DataError} (no line), e.g. a missing file or an empty one. */
export function fileError(file: string, reason: string, fix: string): DataError {
  return new DataError(file, { line: undefined, reason, fix });
}
