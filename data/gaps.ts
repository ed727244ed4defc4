import { DAY_MS } from './parse-time.js';
import { weekday } from './session-clock.js';

/** One gap between consecutive rows. */
export interface Gap {
  /** Time of the row before the gap, epoch ms UTC. */
  readonly fromMs: number;
  /** Time of the row after the gap, epoch ms UTC. */
  readonly toMs: number;
  /** `toMs - fromMs`. */
  readonly intervalMs: number;
  /** Daily data: weekdays (Mon–Fri) strictly between the two rows' dates; else undefined. */
  readonly missingWeekdays: number | undefined;
}

/** Gaps of a series. */
export interface GapSummary {
  /** True when the median interval is at least 20 hours (one row per day). */
  readonly daily: boolean;
  /** Daily: intervals that skip at least one weekday. Intraday: intervals over 5× the median. */
  readonly count: number;
  /** Daily only: total weekdays with no row (holidays count too). */
  readonly missingWeekdays: number | undefined;
  /** Up to 5 largest gaps, largest first. */
  readonly largest: readonly Gap[];
}

/** Median of the positive differences between consecutive times, ms; NaN when there are none. */
export function medianInterval(timeMs: Float64Array): number {
  const diffs = new Float64Array(Math.max(0, timeMs.length - 1));
  let count = 0;
  for (let i = 1; i < timeMs.length; i++) {
    const d = (timeMs[i] as number) - (timeMs[i - 1] as number);
    if (d > 0) diffs[count++] = d;
  }
  if (count === 0) return Number.NaN;
  const sorted = diffs.subarray(0, count).sort();
  return count % 2 === 1 ? (sorted[count >> 1] as number) : ((sorted[count / 2 - 1] as number) + (sorted[count / 2] as number)) / 2;
}

/** Weekdays strictly between day numbers `a` and `b` (days since 1970-01-01, a < b). */
export function weekdaysBetween(a: number, b: number): number {
  const span = b - a - 1;
  if (span <= 0) return 0;
  const fullWeeks = Math.floor(span / 7);
  let count = fullWeeks * 5;
  for (let d = a + 1 + fullWeeks * 7; d < b; d++) {
    const w = weekday(d);
    if (w !== 0 && w !== 6) count++;
  }
  return count;
}

/**
 * Finds gaps in file order (non-positive intervals are ignored; they are order problems).
 * Daily data counts missing weekdays, intraday data intervals over 5× `medianMs`.
 */
export function findGaps(timeMs: Float64Array, medianMs: number): GapSummary {
  const daily = medianMs >= 20 * 3_600_000;
  const gaps: Gap[] = [];
  let missing = 0;
  for (let i = 1; i < timeMs.length; i++) {
    const from = timeMs[i - 1] as number;
    const to = timeMs[i] as number;
    if (!(to > from)) continue;
    if (daily) {
      const skipped = weekdaysBetween(Math.floor(from / DAY_MS), Math.floor(to / DAY_MS));
      if (skipped === 0) continue;
      missing += skipped;
      gaps.push({ fromMs: from, toMs: to, intervalMs: to - from, missingWeekdays: skipped });
    } else if (to - from > 5 * medianMs) {
      gaps.push({ fromMs: from, toMs: to, intervalMs: to - from, missingWeekdays: undefined });
    }
  }
  const largest = [...gaps].sort((x, y) => y.intervalMs - x.intervalMs || x.fromMs - y.fromMs).slice(0, 5);
  return { daily, count: gaps.length, missingWeekdays: daily ? missing : undefined, largest };
}
