import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calmarRatio } from './calmar.js';
import { drawdownSeries, maxDrawdownPct } from './drawdown.js';

const f64 = (values: number[]): Float64Array => Float64Array.from(values);

describe('drawdownSeries and maxDrawdownPct', () => {
  it('measures from the running peak, starting at the initial capital', () => {
    const equity = f64([90, 110, 99, 88, 120, 60]);
    // peaks 100 (initial), 110, 110, 110, 120, 120
    // (100−90)/100 = 10;  0;  (110−99)/110 = 10;  (110−88)/110 = 20;  0;  (120−60)/120 = 50
    const dd = drawdownSeries(equity, 100);
    const expected = [10, 0, 10, 20, 0, 50];
    expected.forEach((value, i) => expect(dd[i]).toBeCloseTo(value, 12));
    expect(maxDrawdownPct(equity, 100)).toBeCloseTo(50, 12);
  });

  it('is 0 for rising, flat and empty series', () => {
    expect(maxDrawdownPct(f64([100, 101, 102]), 100)).toBe(0);
    expect(maxDrawdownPct(f64([100, 100]), 100)).toBe(0);
    expect(maxDrawdownPct(f64([]), 100)).toBe(0);
    expect(drawdownSeries(f64([]), 100)).toHaveLength(0);
  });

  it('rejects a non-positive initial capital', () => {
    expect(() => drawdownSeries(f64([1]), 0)).toThrow(RangeError);
    expect(() => maxDrawdownPct(f64([1]), -5)).toThrow(/initialCapital/);
  });

  it('stays in [0, 100] and bounds the series (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { maxLength: 200 }),
        (initialCapital, values) => {
          const equity = f64(values);
          const max = maxDrawdownPct(equity, initialCapital);
          const series = drawdownSeries(equity, initialCapital);
          let seriesMax = 0;
          for (const dd of series) {
            if (!(dd >= 0 && dd <= max)) return false;
            seriesMax = Math.max(seriesMax, dd);
          }
          return max >= 0 && max <= 100 && seriesMax === max;
        },
      ),
    );
  });
});

describe('calmarRatio', () => {
  it('is CAGR over max drawdown, 0 without a drawdown', () => {
    expect(calmarRatio(10, 50)).toBeCloseTo(0.2, 15);
    expect(calmarRatio(-20, 40)).toBeCloseTo(-0.5, 15);
    expect(calmarRatio(10, 0)).toBe(0);
  });
});
