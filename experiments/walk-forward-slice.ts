import { sliceBars, type BarSeries } from '../engine/bars.js';
import { firstAtOrAfter } from './walk-forward-windows.js';

/** The sorted distinct bar times of every series (the engine's merged timeline). */
export function mergedTimeline(series: readonly BarSeries[]): Float64Array {
  if (series.length === 1) return series[0]!.timeMs;
  const times = new Set<number>();
  for (const s of series) for (const t of s.timeMs) times.add(t);
  return Float64Array.from([...times].sort((a, b) => a - b));
}

/** The bars of `bars` with `fromMs <= time < toMs` (a zero-copy view). */
export function sliceByTime(bars: BarSeries, fromMs: number, toMs: number): BarSeries {
  return sliceBars(bars, firstAtOrAfter(bars.timeMs, fromMs), firstAtOrAfter(bars.timeMs, toMs));
}
