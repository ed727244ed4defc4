import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsampleIndices } from './downsample.js';

describe('downsampleIndices', () => {
  it('returns short series whole', () => {
    expect(downsampleIndices([3, 1, 2], 10)).toEqual([0, 1, 2]);
  });

  it('keeps the first, last, global minimum and maximum, at most maxPoints, increasing', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }), fc.integer({ min: 8, max: 500 }), (values, max) => {
        const idx = downsampleIndices(values, max);
        expect(idx.length).toBeLessThanOrEqual(Math.max(max, values.length <= max ? values.length : max));
        expect(idx[0]).toBe(0);
        expect(idx[idx.length - 1]).toBe(values.length - 1);
        for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
        const kept = idx.map((i) => values[i]!);
        expect(Math.min(...kept)).toBe(Math.min(...values));
        expect(Math.max(...kept)).toBe(Math.max(...values));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a one-bar drawdown spike that a stride would skip', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => (i === 54_321 ? -40 : 0));
    const idx = downsampleIndices(values, 2000);
    expect(idx.length).toBeLessThanOrEqual(2000);
    expect(idx).toContain(54_321);
  });
});
