import { describe, expect, it } from 'vitest';
import { dailyReturnsInto, dailyReturnsOf, decodeReturns, returnsRecordBytes, returnsRow, writeReturnsRecord } from './returns-file.js';

describe('daily returns', () => {
  it('are E_d / E_(d−1) − 1 as float32, 0 after a day-end equity of 0', () => {
    const equity = new Float64Array([100, 110, 99, 0, 50]);
    expect(Array.from(dailyReturnsOf(equity))).toEqual([Math.fround(0.1), Math.fround(99 / 110 - 1), -1, 0]);
    expect(dailyReturnsOf(new Float64Array(0)).length).toBe(0);
    const out = new Float32Array(4);
    expect(dailyReturnsInto(equity, out)).toBe(out);
    expect(() => dailyReturnsInto(equity, new Float32Array(3))).toThrow('5 day-end equities give 4 daily returns, not 3');
  });
});

describe('returns.f32 records', () => {
  const rows = [new Float32Array([0.5, -0.25, 1e-7]), new Float32Array([0, -1, 3.5])];
  const write = (target: Buffer): void => {
    let offset = 0;
    rows.forEach((r, i) => (offset = writeReturnsRecord(target, offset, 10 + i, r)));
    expect(offset).toBe(2 * returnsRecordBytes(3));
  };

  it('are an int32 cell then the returns, little-endian, and read back whole (aligned or not)', () => {
    const aligned = Buffer.alloc(2 * returnsRecordBytes(3));
    write(aligned);
    expect(aligned.readInt32LE(0)).toBe(10);
    expect(aligned.readFloatLE(4)).toBe(0.5);
    expect(aligned.readInt32LE(16)).toBe(11);
    expect(aligned.readFloatLE(28)).toBe(3.5);
    // The same bytes at an odd offset take the value-by-value path.
    const odd = Buffer.alloc(aligned.byteLength + 1).subarray(1);
    aligned.copy(odd);
    expect(odd.byteOffset % 4).not.toBe(0);
    for (const bytes of [aligned, odd]) {
      const m = decodeReturns(bytes, 3);
      expect(Array.from(m.cells)).toEqual([10, 11]);
      expect(Array.from(returnsRow(m, 0))).toEqual(Array.from(rows[0]!));
      expect(Array.from(returnsRow(m, 1))).toEqual(Array.from(rows[1]!));
    }
  });

  it('drop a torn last record', () => {
    const bytes = Buffer.alloc(2 * returnsRecordBytes(3));
    write(bytes);
    const m = decodeReturns(bytes.subarray(0, returnsRecordBytes(3) + 5), 3);
    expect(Array.from(m.cells)).toEqual([10]);
    expect(m.values.length).toBe(3);
  });
});
