import { readFileSync, writeFileSync } from 'node:fs';
import {
  DataType,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  type Data,
  type Vector,
} from 'apache-arrow';
import type { BarSeries } from '../engine/bars.js';
import { DataError } from './data-error.js';
import { allIntegers, rawFromColumns, toNumber, type ColumnValues } from './columnar.js';
import type { RawBars } from './raw-bars.js';
import { DAY_MS } from './parse-time.js';

/** An epoch-ms time column to be stored as Arrow `Timestamp<MILLISECOND, UTC>` (values must be integers). */
export interface TimestampColumn {
  readonly kind: 'timestamp-ms';
  readonly values: Float64Array;
}

/** A column for {@link writeArrowColumns}: Float64, Int32, Utf8 or a UTC millisecond timestamp. */
export type ArrowColumn = Float64Array | Int32Array | readonly string[] | TimestampColumn;

/**
 * Writes named columns (all the same length) as an Arrow IPC *file* (`.arrow`/`.feather`/`.ipc`),
 * e.g. an equity curve `{ time: { kind: 'timestamp-ms', values }, equity: Float64Array }`.
 * Throws `RangeError` on ragged columns.
 */
export function writeArrowColumns(path: string, columns: Readonly<Record<string, ArrowColumn>>): void {
  const vectors: Record<string, Vector> = {};
  let length: number | undefined;
  const seen = new Set<unknown>();
  for (const [name, given] of Object.entries(columns)) {
    // apache-arrow writes a corrupt body when one typed array backs two columns: copy repeats.
    const array = ArrayBuffer.isView(given) ? given : isTimestamp(given) ? given.values : undefined;
    const column = array !== undefined && seen.has(array) ? copyColumn(given) : given;
    if (array !== undefined) seen.add(array);
    const vector = toVector(column);
    if (length !== undefined && vector.length !== length) {
      throw new RangeError(`column ${name} has ${vector.length} values, expected ${length}`);
    }
    length = vector.length;
    vectors[name] = vector;
  }
  writeFileSync(path, tableToIPC(new Table(vectors), 'file'));
}

function isTimestamp(column: ArrowColumn): column is TimestampColumn {
  return !ArrayBuffer.isView(column) && !Array.isArray(column) && (column as TimestampColumn).kind === 'timestamp-ms';
}

function copyColumn(column: ArrowColumn): ArrowColumn {
  if (column instanceof Float64Array || column instanceof Int32Array) return column.slice();
  if (isTimestamp(column)) return { kind: column.kind, values: column.values.slice() };
  return column;
}

function toVector(column: ArrowColumn): Vector {
  if (column instanceof Float64Array) return makeVector(column);
  if (column instanceof Int32Array) return makeVector(column);
  if ('kind' in column) {
    const data = BigInt64Array.from(column.values, (ms) => BigInt(ms));
    return makeVector(makeData({ type: new TimestampMillisecond('UTC'), length: data.length, data }));
  }
  return vectorFromArray(column as string[], new Utf8());
}

/**
 * Writes bars as an Arrow IPC file: `time` as `Timestamp<MILLISECOND, UTC>` (Float64 epoch ms if
 * some time has a fractional millisecond), then `open,high,low,close`, `volume`, extras as Float64.
 */
export function writeArrowBars(path: string, bars: BarSeries): void {
  const time: ArrowColumn = allIntegers(bars.timeMs) ? { kind: 'timestamp-ms', values: bars.timeMs } : bars.timeMs;
  const columns: Record<string, ArrowColumn> = { time, open: bars.open, high: bars.high, low: bars.low, close: bars.close };
  if (bars.volume !== undefined) columns.volume = bars.volume;
  for (const [name, column] of Object.entries(bars.extras)) columns[name] = column;
  writeArrowColumns(path, columns);
}

/**
 * Reads an Arrow IPC file (file or stream format) into raw bar columns. The time column may be a
 * Timestamp (any unit, read as UTC), Date32/Date64, a number (epoch s or ms) or ISO text; other
 * columns may be any integer or float type (nulls become NaN). Throws a `DataError` for an
 * unreadable file or missing/non-numeric columns.
 */
export function readArrowBars(path: string, options: { readonly symbol?: string | undefined } = {}): RawBars {
  let table: Table;
  try {
    table = tableFromIPC(readFileSync(path));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new DataError(path, { line: undefined, reason: `not a readable Arrow IPC file (${detail})`, fix: 'check that the file is Arrow IPC (file or stream format)' });
  }
  const names = table.schema.fields.map((field) => field.name);
  const read = (name: string): ColumnValues => {
    const vector = table.getChild(name);
    if (vector === null) throw new Error(`column ${name} vanished`);
    return vectorValues(vector, path, name);
  };
  return rawFromColumns(path, names, read, options.symbol);
}

/** Scale from a time unit (Arrow `TimeUnit`: s, ms, µs, ns) to milliseconds. */
const TO_MS = [1000, 1, 1e-3, 1e-6] as const;

function vectorValues(vector: Vector, path: string, name: string): ColumnValues {
  const type = vector.type as DataType;
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isDictionary(type)) {
    return { kind: 'text', values: Array.from({ length: vector.length }, (_, i) => stringOrNull(vector.get(i))) };
  }
  const out = new Float64Array(vector.length);
  let offset = 0;
  let scale = 1;
  if (DataType.isTimestamp(type)) scale = TO_MS[type.unit] ?? 1;
  else if (DataType.isDate(type)) scale = type.unit === 0 ? DAY_MS : 1;
  else if (!DataType.isInt(type) && !DataType.isFloat(type)) {
    const reason = `column ${name} has Arrow type ${String(type)}, not a number or time`;
    throw new DataError(path, { line: undefined, field: name, reason, fix: 'store it as a numeric column or remove it' });
  }
  for (const chunk of vector.data as Data[]) {
    const values = chunk.values as ArrayLike<number | bigint>;
    for (let i = 0; i < chunk.length; i++) {
      out[offset + i] = chunk.nullCount > 0 && !chunk.getValid(i) ? Number.NaN : toNumber(values[i]) * scale;
    }
    offset += chunk.length;
  }
  const time = DataType.isTimestamp(type) || DataType.isDate(type) ? 'epoch-ms' : 'number';
  return { kind: 'numbers', values: out, time };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
