import { appendFileSync } from 'node:fs';
import { Bool, Float64, Int32, Table, Utf8, tableToIPC, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { METRIC_COLUMNS, type GridRow, type ParamKind, type ResultsLayout } from './results-columns.js';

/** The Arrow IPC stream end-of-stream marker (continuation token, zero length). */
const END_OF_STREAM = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

/**
 * Appends results rows to an Arrow IPC *stream* file, one record batch per {@link append} call:
 * `cell` Int32, params Float64/Bool/Utf8, metrics Float64 (nullable), `digest` Utf8.
 * The stream has no end-of-stream marker until {@link end}; Arrow readers accept it either way.
 */
export class ArrowStreamAppender {
  private started: boolean;

  /**
   * @param path the `.arrow` file, appended to.
   * @param started true when the file already holds the schema message (it is written once).
   */
  constructor(
    private readonly path: string,
    private readonly layout: ResultsLayout,
    started = false,
  ) {
    this.started = started;
  }

  /** Writes `rows` as one record batch (nothing for no rows). */
  append(rows: readonly GridRow[]): void {
    if (rows.length === 0) return;
    const bytes = tableToIPC(resultsTable(this.layout, rows), 'stream');
    // The stream is [schema message][batch message][end of stream]; a schema message has no body,
    // so its length is 8 + its metadata length (little-endian int32 after the continuation token).
    const schemaBytes = 8 + new DataView(bytes.buffer, bytes.byteOffset + 4, 4).getInt32(0, true);
    const from = this.started ? schemaBytes : 0;
    appendFileSync(this.path, bytes.subarray(from, bytes.byteLength - END_OF_STREAM.byteLength));
    this.started = true;
  }

  /** Closes the stream with the end-of-stream marker (writing the schema first if no batch was). */
  end(): void {
    if (!this.started) {
      const empty = tableToIPC(resultsTable(this.layout, []), 'stream');
      const schemaBytes = 8 + new DataView(empty.buffer, empty.byteOffset + 4, 4).getInt32(0, true);
      appendFileSync(this.path, empty.subarray(0, schemaBytes));
      this.started = true;
    }
    appendFileSync(this.path, END_OF_STREAM);
  }
}

/** Rows as an Arrow table in the results layout. */
export function resultsTable(layout: ResultsLayout, rows: readonly GridRow[]): Table {
  const vectors: Record<string, Vector> = {};
  vectors['cell'] = vectorFromArray(rows.map((r) => r.cell), new Int32());
  for (const p of layout.params) vectors[p.name] = vectorFromArray(rows.map((r) => r.params[p.name] ?? null), arrowType(p.kind));
  for (const name of METRIC_COLUMNS) vectors[name] = vectorFromArray(rows.map((r) => r.metrics[name]), new Float64());
  vectors['digest'] = vectorFromArray(rows.map((r) => r.digest), new Utf8());
  return new Table(vectors);
}

function arrowType(kind: ParamKind): DataType {
  switch (kind) {
    case 'number':
      return new Float64();
    case 'boolean':
      return new Bool();
    case 'string':
      return new Utf8();
  }
}
