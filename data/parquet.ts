import { readFileSync } from 'node:fs';
import { parquetMetadata, parquetRead, parquetSchema, type FileMetaData, type ParquetParsers, type SchemaElement } from 'hyparquet';
import { parquetWriteFile, type ColumnSource } from 'hyparquet-writer';
import type { BarSeries } from '../engine/bars.js';
import { DataError } from './data-error.js';
import { allIntegers, rawFromColumns, toNumber, type ColumnValues, type TimeEncoding } from './columnar.js';
import { DAY_MS } from './parse-time.js';
import type { RawBars } from './raw-bars.js';

/** Decode every Parquet timestamp/date straight to epoch ms numbers (UTC). */
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (millis: bigint) => Number(millis),
  timestampFromMicroseconds: (micros: bigint) => Number(micros) / 1e3,
  timestampFromNanoseconds: (nanos: bigint) => Number(nanos) / 1e6,
  dateFromDays: (days: number) => days * DAY_MS,
};

/**
 * Writes bars as Parquet (snappy, row groups of 100 000): `time` as INT64 `TIMESTAMP(MILLIS, UTC)`
 * (DOUBLE epoch ms if a time has a fractional ms), prices, `volume` and extras as DOUBLE.
 */
export function writeParquetBars(path: string, bars: BarSeries): void {
  const time: ColumnSource = allIntegers(bars.timeMs)
    ? { name: 'time', data: BigInt64Array.from(bars.timeMs, (ms) => BigInt(ms)), type: 'TIMESTAMP', nullable: false }
    : { name: 'time', data: bars.timeMs, type: 'DOUBLE', nullable: false };
  const columnData: ColumnSource[] = [time];
  const add = (name: string, data: Float64Array): void => {
    columnData.push({ name, data, type: 'DOUBLE', nullable: false });
  };
  add('open', bars.open);
  add('high', bars.high);
  add('low', bars.low);
  add('close', bars.close);
  if (bars.volume !== undefined) add('volume', bars.volume);
  for (const [name, column] of Object.entries(bars.extras)) add(name, column);
  parquetWriteFile({ filename: path, columnData, rowGroupSize: 100_000 });
}

/**
 * Reads a Parquet file into raw bar columns. The time column may be TIMESTAMP (any unit), DATE,
 * a number (epoch s or ms) or a string (ISO); other columns may be any integer or floating type
 * (nulls become NaN). Throws a `DataError` for an unreadable file or missing/non-numeric columns.
 */
export async function readParquetBars(path: string, options: { readonly symbol?: string | undefined } = {}): Promise<RawBars> {
  const bytes = readFileSync(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(file, { parsers: PARSERS });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new DataError(path, { line: undefined, reason: `not a readable Parquet file (${detail})`, fix: 'check that the file is Parquet' });
  }
  const rows = Number(metadata.num_rows);
  const elements = new Map(parquetSchema(metadata).children.map((child) => [child.element.name, child.element]));
  const names = [...elements.keys()];
  const chunks = new Map<string, { rowStart: number; values: ArrayLike<unknown> }[]>();
  await parquetRead({
    file,
    metadata,
    parsers: PARSERS,
    onChunk: (chunk) => {
      const list = chunks.get(chunk.columnName) ?? [];
      list.push({ rowStart: chunk.rowStart, values: chunk.columnData });
      chunks.set(chunk.columnName, list);
    },
  });
  const read = (name: string): ColumnValues => {
    const element = elements.get(name) as SchemaElement;
    const parts = chunks.get(name) ?? [];
    if (element.type === 'BYTE_ARRAY' || element.type === 'FIXED_LEN_BYTE_ARRAY') {
      const values = new Array<string | null>(rows).fill(null);
      for (const part of parts) {
        for (let i = 0; i < part.values.length && part.rowStart + i < rows; i++) {
          const value = part.values[i];
          values[part.rowStart + i] = typeof value === 'string' ? value : null;
        }
      }
      return { kind: 'text', values };
    }
    if (element.type === 'BOOLEAN' || element.type === undefined) {
      const reason = `column ${name} has Parquet type ${element.type ?? 'group'}, not a number or time`;
      throw new DataError(path, { line: undefined, field: name, reason, fix: 'store it as a numeric column or remove it' });
    }
    const out = new Float64Array(rows).fill(Number.NaN);
    for (const part of parts) {
      for (let i = 0; i < part.values.length && part.rowStart + i < rows; i++) out[part.rowStart + i] = toNumber(part.values[i]);
    }
    return { kind: 'numbers', values: out, time: timeEncoding(element) };
  };
  return rawFromColumns(path, names, read, options.symbol);
}

function timeEncoding(element: SchemaElement): TimeEncoding {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (logical === 'TIMESTAMP' || logical === 'DATE') return 'epoch-ms';
  if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS' || converted === 'DATE') return 'epoch-ms';
  if (element.type === 'INT96') return 'epoch-ms';
  return 'number';
}
