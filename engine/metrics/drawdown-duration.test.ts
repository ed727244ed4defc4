import { describe, expect, it } from 'vitest';
import { maxDrawdownDuration } from './drawdown-duration.js';

const f64 = (values: number[]): Float64Array => Float64Array.from(values);
const days = (...offsets: number[]): Float64Array => f64(offsets.map((d) => Date.UTC(2024, 0, 1 + d, 21)));

describe('maxDrawdownDuration', () => {
  it('spans peak to recovery, the initial capital being a peak at bar −1', () => {
    // initial 100: bar 0 (90) below; bar 1 (110) recovers → span −1…1 = 2 bars, day 0…1 = 1 day
    // peak 110 at bar 1: bars 2, 3 below; bar 4 (120) recovers → span 1…4 = 3 bars, 3 days
    // peak 120 at bar 4: bar 5 below until the end → span 4…5 = 1 bar
    expect(maxDrawdownDuration(days(0, 1, 2, 3, 4, 5), f64([90, 110, 99, 88, 120, 60]), 100)).toEqual({ bars: 3, days: 3 });
  });

  it('counts a drawdown that starts on the first bar from before it', () => {
    // 90, 95, 99 below 100, bar 3 back at 100 → span −1…3 = 4 bars; days from bar 0's date: 3
    expect(maxDrawdownDuration(days(0, 1, 2, 3), f64([90, 95, 99, 100]), 100)).toEqual({ bars: 4, days: 3 });
  });

  it('runs to the last bar when equity never recovers', () => {
    // peak at bar 0 (100 ≥ initial 100); bars 1, 2 below → span 0…2
    expect(maxDrawdownDuration(days(0, 1, 2), f64([100, 90, 95]), 100)).toEqual({ bars: 2, days: 2 });
    // a single losing bar: span −1…0 = 1 bar, 0 days
    expect(maxDrawdownDuration(days(0), f64([90]), 100)).toEqual({ bars: 1, days: 0 });
  });

  it('takes bars and calendar days as separate maxima', () => {
    // Mon … Fri, Mon, Tue (days 0, 1, 2, 3, 4, 7, 8)
    // span A: peak bar 0 (100), bars 1, 2 below, bar 3 (101) recovers → 3 bars, 3 days
    // span B: peak bar 3 (Thu, 101), bar 4 (Fri) below, bar 5 (Mon, 102) recovers → 2 bars, 4 days
    const result = maxDrawdownDuration(days(0, 1, 2, 3, 4, 7, 8), f64([100, 99, 98, 101, 100.5, 102, 103]), 100);
    expect(result).toEqual({ bars: 3, days: 4 });
  });

  it('is 0 days inside one day and 0 for flat or rising equity', () => {
    const intraday = f64([Date.UTC(2024, 0, 1, 10), Date.UTC(2024, 0, 1, 11), Date.UTC(2024, 0, 1, 12)]);
    expect(maxDrawdownDuration(intraday, f64([100, 99, 100]), 100)).toEqual({ bars: 2, days: 0 });
    expect(maxDrawdownDuration(days(0, 1, 2), f64([100, 100, 100]), 100)).toEqual({ bars: 0, days: 0 });
    expect(maxDrawdownDuration(days(0, 1), f64([101, 102]), 100)).toEqual({ bars: 0, days: 0 });
    expect(maxDrawdownDuration(f64([]), f64([]), 100)).toEqual({ bars: 0, days: 0 });
  });
});
