import { describe, expect, it } from 'vitest';
import { createReturnsSlab, slabSlot, slotRow } from './returns-slab.js';

describe('returns slab', () => {
  it('lays slots and their rows back to back in one shared buffer', () => {
    const slab = createReturnsSlab(3, 2, 4);
    expect(slab.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(slab.buffer.byteLength).toBe(3 * 2 * 4 * 4);
    const one = slabSlot(slab, 1);
    expect(one.length).toBe(8);
    expect(one.byteOffset).toBe(8 * 4);
    slotRow(one, 4, 1).set([1, 2, 3, 4]);
    const all = new Float32Array(slab.buffer);
    expect(Array.from(all.subarray(12, 16))).toEqual([1, 2, 3, 4]);
    expect(all.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('allows zero days (grids whose returns are not kept) and refuses bad sizes and slots', () => {
    const empty = createReturnsSlab(4, 8, 0);
    expect(empty.buffer.byteLength).toBe(0);
    expect(slotRow(slabSlot(empty, 3), 0, 5).length).toBe(0);
    expect(() => createReturnsSlab(0, 1, 1)).toThrow('returns slab: slots must be a whole number >= 1, was 0');
    expect(() => createReturnsSlab(1, 1.5, 1)).toThrow('returns slab: cellsPerSlot must be a whole number >= 1, was 1.5');
    expect(() => createReturnsSlab(1, 1, -1)).toThrow('returns slab: days must be a whole number >= 0, was -1');
    expect(() => slabSlot(empty, 4)).toThrow('returns slab: slot 4 is out of range 0…3');
  });
});
