/**
 * `returns.f32`: each cell's daily returns as fixed-size little-endian records, in cell order —
 * an int32 cell index, then `days` float32 returns (E_d / E_(d−1) − 1). Fixed-size records make a
 * torn last record (a crash mid-write) easy to detect and cut, and cell i easy to seek to.
 */

/** Bytes per record for `days` returns. */
export function returnsRecordBytes(days: number): number {
  return 4 * (1 + days);
}

/**
 * Daily returns from day-end equities (`k` days give `k − 1` returns; 0 after a day-end equity
 * of 0, as the metrics do), as float32.
 */
export function dailyReturnsOf(dayEndEquity: Float64Array): Float32Array {
  return dailyReturnsInto(dayEndEquity, new Float32Array(Math.max(0, dayEndEquity.length - 1)));
}

/**
 * {@link dailyReturnsOf} written into `out`, which must hold exactly one fewer value than
 * `dayEndEquity` (throws `RangeError` otherwise). Returns `out`.
 */
export function dailyReturnsInto(dayEndEquity: Float64Array, out: Float32Array): Float32Array {
  if (out.length !== Math.max(0, dayEndEquity.length - 1)) throw new RangeError(`${dayEndEquity.length} day-end equities give ${Math.max(0, dayEndEquity.length - 1)} daily returns, not ${out.length}`);
  for (let i = 1; i < dayEndEquity.length; i++) {
    const previous = dayEndEquity[i - 1]!;
    out[i - 1] = previous === 0 ? 0 : dayEndEquity[i]! / previous - 1;
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Writes one record into `target` at byte `offset` (room for `returnsRecordBytes(returns.length)`
 * bytes is the caller's to make). Returns the offset after it.
 */
export function writeReturnsRecord(target: Buffer, offset: number, cell: number, returns: Float32Array): number {
  target.writeInt32LE(cell, offset);
  if (LITTLE_ENDIAN) target.set(new Uint8Array(returns.buffer, returns.byteOffset, returns.byteLength), offset + 4);
  else for (let i = 0; i < returns.length; i++) target.writeFloatLE(returns[i]!, offset + 4 + 4 * i);
  return offset + returnsRecordBytes(returns.length);
}

/** A returns matrix read back from `returns.f32`: one row of `days` returns per cell. */
export interface ReturnsMatrix {
  readonly days: number;
  /** Cell index of each row, in file order. */
  readonly cells: Int32Array;
  /** Row-major, `cells.length × days`. */
  readonly values: Float32Array;
}

/**
 * Decodes whole records from `returns.f32` bytes (a torn tail is ignored).
 * @param days returns per record (from the manifest).
 */
export function decodeReturns(bytes: Uint8Array, days: number): ReturnsMatrix {
  const size = returnsRecordBytes(days);
  const count = Math.floor(bytes.byteLength / size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * size);
  const cells = new Int32Array(count);
  const values = new Float32Array(count * days);
  // On little-endian hosts with the records 4-byte aligned, each record's returns are copied as a block.
  const aligned = LITTLE_ENDIAN && bytes.byteOffset % 4 === 0;
  for (let r = 0; r < count; r++) {
    const base = r * size;
    cells[r] = view.getInt32(base, true);
    if (aligned) values.set(new Float32Array(bytes.buffer, bytes.byteOffset + base + 4, days), r * days);
    else for (let d = 0; d < days; d++) values[r * days + d] = view.getFloat32(base + 4 + 4 * d, true);
  }
  return { days, cells, values };
}

/** Row `r` of a {@link ReturnsMatrix} (a view). */
export function returnsRow(matrix: ReturnsMatrix, r: number): Float32Array {
  return matrix.values.subarray(r * matrix.days, (r + 1) * matrix.days);
}

const DAY_MS = 86_400_000;

/**
 * UTC calendar days on the merged timeline of several series (the engine's day-end equity has one
 * value per such day, so every cell has this many − 1 daily returns).
 */
export function timelineDays(times: readonly Float64Array[]): number {
  const days = new Set<number>();
  for (const time of times) {
    let last = Number.NaN;
    for (let i = 0; i < time.length; i++) {
      const day = Math.floor(time[i]! / DAY_MS);
      if (day !== last) days.add(day);
      last = day;
    }
  }
  return days.size;
}
