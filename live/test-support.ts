import type { BarSeries } from '../engine/bars.js';
import type { BarMessage } from './feed.js';
import { barMessageAt } from './replay-feed.js';

/** Every bar of `series` as a feed message, merged by (time, series order) as a replay feed sends them. */
export function messagesOf(series: readonly BarSeries[]): BarMessage[] {
  const all: { s: number; i: number; t: number }[] = [];
  series.forEach((bars, s) => {
    for (let i = 0; i < bars.length; i++) all.push({ s, i, t: bars.timeMs[i]! });
  });
  all.sort((a, b) => a.t - b.t || a.s - b.s);
  return all.map(({ s, i }) => barMessageAt(series[s]!, i));
}
