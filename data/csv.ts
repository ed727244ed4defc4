import { readFileSync, statSync } from 'node:fs';
import { DataError, fileError, type DataProblem } from './data-error.js';
import { resolveLayout, splitCsvLine, TIME_COLUMN_NAMES, type ColumnRole, type CsvLayout } from './csv-header.js';
import { isDelimiter, parseNumberText, scan, scanNumber, ScanStatus } from './parse-number.js';
import { TimeReader } from './csv-time.js';
import { symbolFromPath, type RawBars } from './raw-bars.js';

/** Options for {@link readCsv} and {@link parseCsv}. */
export interface CsvReadOptions {
  /** Symbol of the bars; default: the file name stem upper-cased. */
  readonly symbol?: string;
  /** Keep at most this many row problems (default 1). */
  readonly maxProblems?: number;
  /** Stop reading when `maxProblems` is reached (default true: fail fast on big files). */
  readonly stopAtMaxProblems?: boolean;
}

const LF = 10;
const CR = 13;
const COMMA = 44;
const QUOTE = 34;
/** Node cannot read a file of 2 GiB or more into one Buffer. */
const MAX_CSV_BYTES = 2 ** 31 - 1;

/**
 * Reads a CSV file of bars into raw columns (see {@link parseCsv} for the rules). Throws a
 * `DataError` for whole-file problems (empty, header only, missing columns, too large).
 */
export function readCsv(path: string, options: CsvReadOptions = {}): RawBars {
  const size = statSync(path).size;
  if (size > MAX_CSV_BYTES) {
    throw fileError(path, `file is ${(size / 2 ** 30).toFixed(1)} GiB; CSV files are read whole and must be under 2 GiB`, 'split the file or convert it to Arrow or Parquet');
  }
  return parseCsv(readFileSync(path), path, options);
}

/**
 * Parses CSV bytes (UTF-8, optional BOM, `\n` or `\r\n`, simple `"..."` quoting, blank lines
 * ignored). Times: ISO date (midnight UTC), ISO date-time (UTC unless it has an offset), or epoch
 * numbers (seconds if the first row's value is below 1e11, else milliseconds; every row must
 * agree). Required `open,high,low,close` must be numbers; `volume` is optional; any other column is
 * kept as an extra numeric column where an empty cell means NaN. Rows that cannot be parsed go to
 * `problems` and are left out of the columns; value checks (high ≥ low, …) are `validate.ts`'s job.
 */
export function parseCsv(bytes: Uint8Array, file: string, options: CsvReadOptions = {}): RawBars {
  const buf = bytes;
  const end = buf.length;
  let pos = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let headerEnd = buf.indexOf(LF, pos);
  if (headerEnd < 0) headerEnd = end;
  const headerText = Buffer.from(buf.buffer, buf.byteOffset + pos, headerEnd - pos).toString('utf8').replace(/\r$/, '');
  if (headerText.trim() === '') {
    const blank = Buffer.from(buf.buffer, buf.byteOffset + pos, end - pos).toString('latin1').trim() === '';
    if (blank) throw fileError(file, 'file is empty', 'add a header line and data rows');
    throw new DataError(file, { line: 1, reason: 'the header line is empty', fix: 'put the column names on the first line' });
  }
  const layout = resolveLayout(file, splitCsvLine(headerText));
  pos = headerEnd + 1;

  let capacity = end > pos && buf[end - 1] !== LF ? 1 : 0;
  for (let i = buf.indexOf(LF, pos); i >= 0; i = buf.indexOf(LF, i + 1)) capacity++;
  const ncol = layout.names.length;
  const columns = layout.names.map(() => new Float64Array(capacity));
  const extra = layout.roles.map((role) => role === 'extra');
  const lines = new Int32Array(capacity);
  const times = new TimeReader(layout.names[layout.timeIndex] ?? 'time');
  const maxProblems = options.maxProblems ?? 1;
  const stop = options.stopAtMaxProblems ?? true;
  const problems: DataProblem[] = [];
  let problemCount = 0;
  let row = 0;
  let line = 1;

  while (pos < end) {
    line++;
    const lineStart = pos;
    let c = buf[pos];
    if (c === LF || (c === CR && (buf[pos + 1] === LF || pos + 1 === end))) {
      pos += c === CR ? 2 : 1;
      continue;
    }
    let problem: Omit<DataProblem, 'line'> | undefined;
    for (let j = 0; j < ncol; j++) {
      if (j > 0) {
        if (buf[pos] !== COMMA) {
          problem = fieldCount(buf, lineStart, ncol);
          break;
        }
        pos++;
      }
      const column = columns[j] as Float64Array;
      if (buf[pos] === QUOTE) {
        const quoted = readQuoted(buf, pos);
        pos = quoted.end;
        if (!quoted.closed) {
          problem = { field: layout.names[j], reason: `unterminated quote in ${layout.names[j]}`, fix: 'close the quote (fields cannot span lines) or pass --repair drop' };
          break;
        }
        const value = j === layout.timeIndex ? times.parseText(quoted.text) : parseNumberText(quoted.text);
        if (typeof value === 'number' && !Number.isNaN(value)) column[row] = value;
        else if (value === undefined && extra[j] === true) column[row] = Number.NaN;
        else if (j === layout.timeIndex) problem = times.problem(quoted.text);
        else problem = badValue(layout, j, quoted.text);
        if (problem === undefined && !isDelimiter(buf[pos])) problem = badValue(layout, j, fieldText(buf, lineStart, pos));
      } else if (j === layout.timeIndex) {
        let fieldEnd = pos;
        while (!isDelimiter(buf[fieldEnd])) fieldEnd++;
        const t = times.parse(buf, pos, fieldEnd);
        if (Number.isNaN(t)) problem = times.problem(fieldText(buf, pos, fieldEnd));
        column[row] = t;
        pos = fieldEnd;
      } else {
        const value = scanNumber(buf, pos, end);
        const fieldStart = pos;
        pos = scan.end;
        column[row] = value;
        if (scan.status !== ScanStatus.Ok || !isDelimiter(buf[pos])) {
          if (scan.status === ScanStatus.Empty && extra[j] === true) continue;
          while (!isDelimiter(buf[pos])) pos++;
          problem = badValue(layout, j, fieldText(buf, fieldStart, pos));
        }
      }
      if (problem !== undefined) break;
    }
    if (problem === undefined) {
      c = buf[pos];
      if (c === CR) c = buf[++pos];
      if (c === LF) pos++;
      else if (pos < end) problem = fieldCount(buf, lineStart, ncol);
    }
    if (problem !== undefined) {
      problemCount++;
      if (problems.length < maxProblems) problems.push({ line, ...problem });
      const next = buf.indexOf(LF, pos);
      pos = next < 0 ? end : next + 1;
      if (stop && problemCount >= maxProblems) break;
      continue;
    }
    lines[row] = line;
    row++;
  }
  if (row === 0 && problemCount === 0) throw fileError(file, 'no data rows after the header', 'add data rows');
  return {
    file,
    location: 'line',
    columns: assemble(layout, columns, row, options.symbol ?? symbolFromPath(file)),
    length: row,
    lines: fit(lines, row),
    problems,
    problemCount,
    complete: pos >= end,
  };
}

/** Trims the columns to `rows` values and names them by role. */
function assemble(layout: CsvLayout, columns: Float64Array[], rows: number, symbol: string): RawBars['columns'] {
  const byRole: Partial<Record<ColumnRole, Float64Array>> = {};
  const extras: Record<string, Float64Array> = {};
  layout.roles.forEach((role, index) => {
    const column = fit(columns[index] as Float64Array, rows);
    if (role === 'extra') extras[layout.names[index] as string] = column;
    else byRole[role] = column;
  });
  const need = (role: ColumnRole): Float64Array => byRole[role] as Float64Array;
  return { symbol, timeMs: need('time'), open: need('open'), high: need('high'), low: need('low'), close: need('close'), volume: byRole.volume, extras };
}

/** Cuts a column to `rows` values: a view when only a few blank or bad lines were skipped, else a copy. */
function fit<T extends Float64Array | Int32Array>(column: T, rows: number): T {
  if (column.length === rows) return column;
  return (column.length - rows <= 1024 ? column.subarray(0, rows) : column.slice(0, rows)) as T;
}

/**
 * Reads a `"..."` field starting at `pos` (the opening quote; `""` is a literal quote). `end` is
 * just after the closing quote and any spaces; `closed` is false when the line ends first.
 */
function readQuoted(buf: Uint8Array, pos: number): { text: string; end: number; closed: boolean } {
  let i = pos + 1;
  let text = '';
  for (;;) {
    const close = buf.indexOf(QUOTE, i);
    let lineEnd = buf.indexOf(LF, i);
    if (lineEnd < 0) lineEnd = buf.length;
    if (close < 0 || close > lineEnd) return { text, end: lineEnd, closed: false };
    text += Buffer.from(buf.buffer, buf.byteOffset + i, close - i).toString('utf8');
    i = close + 1;
    if (buf[i] !== QUOTE) break;
    text += '"';
    i++;
  }
  while (buf[i] === 32 || buf[i] === 9) i++;
  return { text, end: i, closed: true };
}

function fieldText(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8').trim();
}

function badValue(layout: CsvLayout, index: number, text: string): Omit<DataProblem, 'line'> {
  const field = layout.names[index] ?? `column ${index + 1}`;
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  if (text === '') return { field, reason: `${field} is empty`, fix: 'fill in the value or pass --repair drop' };
  const timeLike = (TIME_COLUMN_NAMES as readonly string[]).includes(field);
  const fix = timeLike
    ? `merge the date and ${field} columns into one, or remove the ${field} column`
    : layout.roles[index] === 'extra'
      ? `extra columns must be numeric: fix the value, remove the ${field} column, or pass --repair drop`
      : 'fix the value or pass --repair drop';
  return { field, reason: `${field} "${shown}" is not a number`, fix };
}

function fieldCount(buf: Uint8Array, lineStart: number, expected: number): Omit<DataProblem, 'line'> {
  let lineEnd = buf.indexOf(LF, lineStart);
  if (lineEnd < 0) lineEnd = buf.length;
  const cells = splitCsvLine(fieldText(buf, lineStart, lineEnd).replace(/\r$/, ''));
  return {
    reason: `row has ${cells.length} field${cells.length === 1 ? '' : 's'}, the header has ${expected}`,
    fix: 'fix the row (quote values that contain commas) or pass --repair drop',
  };
}
