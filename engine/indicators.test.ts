import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingExtreme, RollingMean } from './indicators.js';

/** Mean of values[end − period + 1 … end], summed directly (NaN before the window is full). */
function windowMean(values: readonly number[], end: number, period: number): number {
  if (end + 1 < period) return Number.NaN;
  let sum = 0;
  for (let i = end - period + 1; i <= end; i++) sum += values[i]!;
  return sum / period;
}

function windowExtreme(values: readonly number[], end: number, period: number, kind: 'max' | 'min'): number {
  if (end + 1 < period) return Number.NaN;
  const window = values.slice(end - period + 1, end + 1);
  return kind === 'max' ? Math.max(...window) : Math.min(...window);
}

describe('RollingMean', () => {
  it('rejects a period that is not a whole number >= 1', () => {
    expect(() => new RollingMean(0)).toThrow(new RangeError('period must be a whole number >= 1, was 0'));
    expect(() => new RollingMean(2.5)).toThrow(new RangeError('period must be a whole number >= 1, was 2.5'));
    expect(() => new RollingMean(Number.NaN)).toThrow(RangeError);
  });

  it('is NaN until the window is full, then the mean of the last `period` values', () => {
    const mean = new RollingMean(3);
    // 1, 2 → NaN; 1..3 → 2; 2..4 → 3; (3 + 4 + 10) / 3 = 17 / 3.
    expect([mean.update(1), mean.update(2)]).toEqual([Number.NaN, Number.NaN]);
    expect(mean.ready).toBe(false);
    expect(mean.update(3)).toBe(2);
    expect(mean.ready).toBe(true);
    expect(mean.update(4)).toBe(3);
    expect(mean.update(10)).toBe(17 / 3);
    expect(mean.value).toBe(17 / 3);
  });

  it('period 1 is the value itself', () => {
    const mean = new RollingMean(1);
    expect([5, -2, 7.25].map((x) => mean.update(x))).toEqual([5, -2, 7.25]);
  });

  it('matches the directly computed windowed mean on long random sequences', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        (period, values) => {
          const mean = new RollingMean(period);
          let largest = 0;
          values.forEach((x, i) => {
            largest = Math.max(largest, Math.abs(x));
            const got = mean.update(x);
            const want = windowMean(values, i, period);
            if (Number.isNaN(want)) expect(got).toBeNaN();
            // A sliding sum keeps a residue of the values that left the window, of the order of
            // ulps of the largest one seen — bounded, not growing with the number of updates.
            else expect(Math.abs(got - want)).toBeLessThanOrEqual(largest * 1e-12);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('does not drift over a million updates, even after huge values leave the window', () => {
    // 500 000 values of ±1e9 (alternating) then 0.1, 0.2, 0.3, … : the last window holds only
    // small values, whose exact mean is known; a plain running sum would carry the rounding
    // error of a million ±1e9 updates.
    const period = 50;
    const mean = new RollingMean(period);
    for (let i = 0; i < 500_000; i++) mean.update(i % 2 === 0 ? 1e9 + 0.1 * (i % 7) : -1e9 + 0.3);
    const tail: number[] = [];
    for (let i = 0; i < 500_000; i++) {
      const x = ((i % 1000) + 1) / 10;
      tail.push(x);
      mean.update(x);
    }
    expect(Math.abs(mean.value - windowMean(tail, tail.length - 1, period))).toBeLessThan(1e-9);
  });
});

describe('RollingExtreme', () => {
  it('rejects a bad period', () => {
    expect(() => new RollingExtreme(0, 'max')).toThrow(new RangeError('period must be a whole number >= 1, was 0'));
  });

  it('max over 3 and min over 2 by hand', () => {
    const max = new RollingExtreme(3, 'max');
    // Windows: [1], [1,3], [1,3,2]=3, [3,2,5]=5, [2,5,4]=5, [5,4,1]=5, [4,1,1]=4.
    expect([1, 3, 2, 5, 4, 1, 1].map((x) => max.update(x))).toEqual([Number.NaN, Number.NaN, 3, 5, 5, 5, 4]);
    const min = new RollingExtreme(2, 'min');
    // Windows: [5], [5,3]=3, [3,4]=3, [4,1]=1, [1,2]=1, [2,6]=2, [6,7]=6.
    expect([5, 3, 4, 1, 2, 6, 7].map((x) => min.update(x))).toEqual([Number.NaN, 3, 3, 1, 1, 2, 6]);
  });

  it('matches brute force on random sequences with ties', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.constantFrom('max' as const, 'min' as const),
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -100, max: 100, noNaN: true })), { minLength: 1, maxLength: 400 }),
        (period, kind, values) => {
          const extreme = new RollingExtreme(period, kind);
          values.forEach((x, i) => {
            const got = extreme.update(x);
            const want = windowExtreme(values, i, period, kind);
            if (Number.isNaN(want)) expect(got).toBeNaN();
            else expect(got).toBe(want);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('monotone sequences (worst case for the deque) stay exact over long runs', () => {
    const max = new RollingExtreme(100, 'max');
    const min = new RollingExtreme(100, 'min');
    for (let i = 0; i < 10_000; i++) {
      max.update(-i);
      min.update(-i);
    }
    // Last 100 of 0, −1, …, −9999: max −9900, min −9999.
    expect(max.value).toBe(-9900);
    expect(min.value).toBe(-9999);
  });
});
