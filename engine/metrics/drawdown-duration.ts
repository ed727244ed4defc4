import { utcDay } from './stats.js';

/** Longest drawdown spans, see {@link maxDrawdownDuration}. */
export interface DrawdownDuration {
  /** Bars from the peak to the recovery bar (or the last bar). */
  readonly bars: number;
  /** UTC calendar days from the peak's date to the recovery bar's (or last bar's) date. */
  readonly days: number;
}

/**
 * Longest time spent below a peak. A span runs from a peak (a bar whose equity is at or above
 * every earlier value and the initial capital) to the first later bar whose equity is back at or
 * above that peak, or to the last bar if equity never recovers. Only spans with at least one bar
 * below the peak count.
 *
 * The initial capital is a peak at virtual bar −1 (one bar before the first) dated at the first
 * bar's time, so a run that loses on bar 0 and recovers on bar 3 spans 4 bars.
 * `bars` and `days` are each the maximum over all spans (for daily bars with gaps the two maxima
 * may come from different spans); `days` is the difference of UTC calendar dates.
 * @param timeMs bar times, epoch ms UTC.
 * @param equity account equity at each bar close (same length).
 * @param initialCapital account currency before the first bar.
 */
export function maxDrawdownDuration(timeMs: Float64Array, equity: Float64Array, initialCapital: number): DrawdownDuration {
  const n = Math.min(timeMs.length, equity.length);
  if (n === 0) return { bars: 0, days: 0 };
  let peak = initialCapital;
  let peakIndex = -1;
  let underwater = false;
  let bars = 0;
  let days = 0;
  const dayOf = (i: number): number => utcDay(timeMs[Math.max(0, i)]!);
  const close = (end: number): void => {
    bars = Math.max(bars, end - peakIndex);
    days = Math.max(days, dayOf(end) - dayOf(peakIndex));
  };
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    if (e >= peak) {
      if (underwater) close(i);
      underwater = false;
      peak = e;
      peakIndex = i;
    } else {
      underwater = true;
    }
  }
  if (underwater) close(n - 1);
  return { bars, days };
}
