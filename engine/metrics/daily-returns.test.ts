import { describe, expect, it } from 'vitest';
import { dailyReturns, dayEndEquity } from './daily-returns.js';

const day = (d: number, hour = 21): number => Date.UTC(2024, 0, 1 + d, hour);
const f64 = (values: number[]): Float64Array => Float64Array.from(values);

describe('dailyReturns', () => {
  it('uses every bar for daily bars, without the initial capital', () => {
    const r = dailyReturns(f64([day(0), day(1), day(2), day(3)]), f64([100, 110, 99, 99]));
    // 110/100 − 1 = 0.1;  99/110 − 1 = −0.1;  99/99 − 1 = 0
    expect(r).toHaveLength(3);
    expect(r[0]).toBeCloseTo(0.1, 14);
    expect(r[1]).toBeCloseTo(-0.1, 14);
    expect(r[2]).toBe(0);
  });

  it('takes the last bar of each UTC day for intraday bars', () => {
    const times = f64([day(0, 10), day(0, 15), day(1, 10), day(1, 15), day(2, 12)]);
    const equity = f64([100, 102, 101, 105.06, 94.554]);
    expect(Array.from(dayEndEquity(times, equity))).toEqual([102, 105.06, 94.554]);
    const r = dailyReturns(times, equity);
    // 105.06 / 102 − 1 = 0.03;  94.554 / 105.06 − 1 = −0.1
    expect(r).toHaveLength(2);
    expect(r[0]).toBeCloseTo(0.03, 14);
    expect(r[1]).toBeCloseTo(-0.1, 14);
  });

  it('uses the UTC date, not the local one', () => {
    // 23:30 and 00:30 UTC are different days even where local time would merge them
    const r = dailyReturns(f64([Date.UTC(2024, 0, 1, 23, 30), Date.UTC(2024, 0, 2, 0, 30)]), f64([100, 105]));
    expect(r).toHaveLength(1);
    expect(r[0]).toBeCloseTo(0.05, 14);
  });

  it('handles empty, single-day and zero-equity series', () => {
    expect(dailyReturns(f64([]), f64([]))).toHaveLength(0);
    expect(dailyReturns(f64([day(0, 10), day(0, 11)]), f64([100, 101]))).toHaveLength(0);
    expect(Array.from(dailyReturns(f64([day(0), day(1), day(2)]), f64([100, 0, 0])))).toEqual([-1, 0]);
  });
});
