import { DataError } from './data-error.js';
import { resolveLayout } from './csv-header.js';
import { EPOCH_SECONDS_LIMIT, epochSecondsToMs } from './csv-time.js';
import { parseIsoTime } from './parse-time.js';
import { symbolFromPath, type RawBars } from './raw-bars.js';

/** How a columnar file's time column is stored, as far as the converters need to know. */
export type TimeEncoding = 'epoch-ms' | 'number' | 'text';

/** One column read from a columnar file: numbers (NaN for nulls), or text for a string time column. */
export type ColumnValues = { readonly kind: 'numbers'; readonly values: Float64Array; readonly time: TimeEncoding } | { readonly kind: 'text'; readonly values: readonly (string | null)[] };

/**
 * Builds {@link RawBars} from the columns of an Arrow or Parquet file, applying the CSV header rules
 * (case-insensitive names, first of date/time/timestamp/datetime is the time, open/high/low/close
 * required). Time columns that are plain numbers are epoch seconds or milliseconds, decided from
 * the first value like CSV; a value in the other unit becomes NaN (reported as a bad time).
 * Problems are reported by 1-based row.
 */
export function rawFromColumns(
  file: string,
  names: readonly string[],
  read: (name: string) => ColumnValues,
  symbol: string | undefined,
): RawBars {
  const layout = resolveLayout(file, names);
  const columns = names.map((name, index): Float64Array => {
    const column = read(name);
    const label = layout.names[index] as string;
    if (index === layout.timeIndex) return timeToMs(column);
    if (column.kind === 'text') {
      throw new DataError(file, { line: undefined, field: label, reason: `column ${label} holds text, not numbers`, fix: 'store it as a numeric column or remove it' });
    }
    return column.values;
  });
  const extras: Record<string, Float64Array> = {};
  let volume: Float64Array | undefined;
  const byName = (name: string): Float64Array => columns[layout.names.indexOf(name)] as Float64Array;
  layout.roles.forEach((role, index) => {
    if (role === 'extra') extras[layout.names[index] as string] = columns[index] as Float64Array;
    if (role === 'volume') volume = columns[index];
  });
  const timeMs = columns[layout.timeIndex] as Float64Array;
  return {
    file,
    location: 'row',
    columns: { symbol: symbol ?? symbolFromPath(file), timeMs, open: byName('open'), high: byName('high'), low: byName('low'), close: byName('close'), volume, extras },
    length: timeMs.length,
    lines: undefined,
    problems: [],
    problemCount: 0,
    complete: true,
  };
}

function timeToMs(column: ColumnValues): Float64Array {
  if (column.kind === 'text') return Float64Array.from(column.values, (text) => (text === null ? Number.NaN : parseIsoTime(text)));
  if (column.time === 'epoch-ms') return column.values;
  const values = column.values;
  const first = values.find((value) => Number.isFinite(value));
  const seconds = first !== undefined && Math.abs(first) < EPOCH_SECONDS_LIMIT;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if ((Math.abs(value) < EPOCH_SECONDS_LIMIT) !== seconds) out[i] = Number.NaN;
    else out[i] = seconds ? epochSecondsToMs(value) : value;
  }
  return out;
}

/** Converts one value from a decoded column (number, bigint, Date, null) to a double; NaN for null. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  return Number.NaN;
}

/** True when every value is an integer (times can then be stored as integer timestamps). */
export function allIntegers(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i])) return false;
  return true;
}
