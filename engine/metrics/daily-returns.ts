import { utcDay } from './stats.js';

/**
 * Day-end equity values: the equity at the last bar of each UTC calendar day, in bar order.
 * For daily bars this is every bar.
 * @param timeMs bar times, epoch ms UTC, increasing.
 * @param equity account equity at each bar close, account currency (same length).
 */
export function dayEndEquity(timeMs: Float64Array, equity: Float64Array): Float64Array {
  const n = Math.min(timeMs.length, equity.length);
  const out = new Float64Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const isLastOfDay = i === n - 1 || utcDay(timeMs[i + 1]!) !== utcDay(timeMs[i]!);
    if (isLastOfDay) out[count++] = equity[i]!;
  }
  return out.slice(0, count);
}

/**
 * Simple daily returns between consecutive day-end equities: `r_t = E_t / E_{t−1} − 1` (fractions,
 * not percent). The first return runs from the first day's close to the second's; the initial
 * capital before the first bar is *not* used. `k` days give `k − 1` returns. When the previous
 * day-end equity is 0 the return is taken as 0 (nothing was left to gain or lose).
 * @param timeMs bar times, epoch ms UTC, increasing.
 * @param equity account equity at each bar close (same length).
 */
export function dailyReturns(timeMs: Float64Array, equity: Float64Array): Float64Array {
  const days = dayEndEquity(timeMs, equity);
  const out = new Float64Array(Math.max(0, days.length - 1));
  for (let i = 1; i < days.length; i++) {
    const previous = days[i - 1]!;
    out[i - 1] = previous === 0 ? 0 : days[i]! / previous - 1;
  }
  return out;
}
