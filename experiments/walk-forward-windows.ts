import { ConfigError } from '../engine/config-error.js';
import type { WalkForwardSpec } from './experiment.js';
import { parseWindowLength, type WindowLength } from './experiment-spec.js';

/**
 * Walk-forward window arithmetic: pure functions of the bar times and the `walkForward` block.
 *
 * Rules (also in experiments/README.md):
 * - The first train window starts at bar 0. Its end — the first test window's start — is `train`
 *   bars later, or, for a period, the first bar on or after the first bar's UTC date + `train`.
 * - Test windows tile the rest of the timeline: each starts where the previous one ends (no gap,
 *   no overlap) and is `test` bars long, or, for a period, runs up to the first bar on or after the
 *   next boundary date. When train and test are both months/years, boundary dates are counted
 *   from the first bar's date in one step (first + train + k × test), so month-end clamping never
 *   drifts (from Jan 31: Feb 29, Mar 31, Apr 30, …); otherwise from the first test start's date.
 * - Months and years are calendar arithmetic on UTC dates, the day of month clamped to the target
 *   month's length (2004-02-29 + 1y = 2005-02-28); weeks are 7 days.
 * - Each train window ends where its test window starts (nothing of the test period is seen):
 *   `anchored` trains on everything from bar 0; `rolling` trains on the `train` bars (or the
 *   `train` period) just before the test start (months/years: from first + k × test).
 * - The last test window may be shorter: every window with at least one test bar is kept (so every
 *   bar after the first train window is traded out of sample exactly once), flagged `partial`
 *   when its nominal end lies beyond the data. A calendar test period containing no bar (a gap in
 *   the data) yields no window; the next window's rolling train period is still the one just
 *   before its own test period.
 * - `step` must equal `test` (`"1y"` and `"12m"`, `"1w"` and `"7d"` are equal): the test windows
 *   are stitched into one out-of-sample curve, so a different step would leave gaps or trade the
 *   same bars twice.
 */

/** One walk-forward window: half-open bar index ranges on the timeline. */
export interface WalkForwardWindow {
  /** 0-based window number. */
  readonly index: number;
  /** First train bar (0 when anchored). */
  readonly trainStart: number;
  /** One past the last train bar; equals `testStart`. */
  readonly trainEnd: number;
  readonly testStart: number;
  /** One past the last test bar; the next window's `testStart`. */
  readonly testEnd: number;
  /** True when the test window was cut short by the end of the data (only ever the last one). */
  readonly partial: boolean;
}

export const DAY_MS = 86_400_000;

/** The UTC day number (days since 1970-01-01) of an epoch-ms time. */
export function dayOf(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS);
}

/**
 * Adds `count` periods (negative to subtract) to a UTC day number. Months and years clamp the
 * day of month to the target month's length.
 */
export function addPeriod(day: number, unit: 'days' | 'weeks' | 'months' | 'years', count: number): number {
  if (unit === 'days') return day + count;
  if (unit === 'weeks') return day + 7 * count;
  const date = new Date(day * DAY_MS);
  const months = date.getUTCFullYear() * 12 + date.getUTCMonth() + (unit === 'years' ? 12 * count : count);
  const year = Math.floor(months / 12);
  const month = months - 12 * year;
  const monthLength = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(date.getUTCDate(), monthLength)) / DAY_MS;
}

/** The first index whose time is >= `timeMs` (`time.length` when none); `time` increasing. */
export function firstAtOrAfter(time: Float64Array, timeMs: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! < timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Parses one length of the spec (already checked by `parseExperiment`; checked again for code callers). */
function lengthOf(spec: WalkForwardSpec, field: 'train' | 'test' | 'step'): WindowLength {
  const raw = spec[field];
  const length = parseWindowLength(raw);
  if (length === undefined) {
    throw new ConfigError(`walkForward.${field}`, `must be a whole number of bars > 0 (e.g. 252) or a period like "90d", "12w", "6m", "3y", was ${JSON.stringify(raw) ?? 'missing'}`);
  }
  return length;
}

/** A length in its smallest exact unit, so equal lengths written differently compare equal. */
function canonical(length: WindowLength): string {
  switch (length.unit) {
    case 'bars': return `${length.count} bars`;
    case 'days': return `${length.count} days`;
    case 'weeks': return `${7 * length.count} days`;
    case 'months': return `${length.count} months`;
    case 'years': return `${12 * length.count} months`;
  }
}

/** How a length reads in messages: `756 bars` or `"3y"`. */
export function describeLength(raw: number | string): string {
  return typeof raw === 'number' ? `${raw} bars` : JSON.stringify(raw);
}

/**
 * Throws {@link ConfigError} at `walkForward.step` unless it is absent or equal to `test`
 * (`"1y"` = `"12m"`): stitched test windows must follow each other with no gap and no overlap.
 */
export function checkWalkForwardStep(spec: WalkForwardSpec): void {
  if (spec.step !== undefined && canonical(lengthOf(spec, 'step')) !== canonical(lengthOf(spec, 'test'))) {
    throw new ConfigError(
      'walkForward.step',
      `must equal walkForward.test (${describeLength(spec.test)}), was ${describeLength(spec.step)} — the test windows are stitched into one out-of-sample curve, so each must start where the previous one ends (a longer step leaves gaps, a shorter one trades bars twice); remove step`,
    );
  }
}

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The walk-forward windows of a timeline (see the module comment for the rules).
 * @param timeMs bar times, epoch ms UTC, strictly increasing (the merged timeline of every symbol).
 * @returns windows in order, at least one.
 * @throws ConfigError when the data is too short for one train window plus one test bar (naming
 *   both lengths), when `step` differs from `test`, or when a rolling train period holds no bar.
 */
export function walkForwardWindows(timeMs: Float64Array, spec: WalkForwardSpec): WalkForwardWindow[] {
  const train = lengthOf(spec, 'train');
  const test = lengthOf(spec, 'test');
  checkWalkForwardStep(spec);
  const n = timeMs.length;
  if (n === 0) throw new ConfigError('data', 'has no bars — a walk-forward needs data');
  const firstDay = dayOf(timeMs[0]!);
  const lastDay = dayOf(timeMs[n - 1]!);
  const span = `${n} bars, ${isoDay(firstDay)} … ${isoDay(lastDay)}`;

  // The first test start: after `train` bars, or at the first bar on or after firstDay + train.
  const trainEndDay = train.unit === 'bars' ? undefined : addPeriod(firstDay, train.unit, train.count);
  const firstTest = train.unit === 'bars' ? train.count : firstAtOrAfter(timeMs, trainEndDay! * DAY_MS);
  if (firstTest >= n) {
    const need = train.unit === 'bars'
      ? `train = ${train.count} bars plus at least one test bar needs ${train.count + 1} bars`
      : `train = ${describeLength(spec.train)} from ${isoDay(firstDay)} ends on ${isoDay(trainEndDay!)}, after the last bar`;
    throw new ConfigError('walkForward.train', `the data is too short for one window (test = ${describeLength(spec.test)}): ${need}, the data has ${span} — shorten train or use more data`);
  }

  // Test boundaries: bar counts from firstTest, or dates. When train and test are both months or
  // years, every date is counted from the first bar's date (firstDay + train + k × test in one
  // step), so month-end clamping never drifts; otherwise from the first test start's date.
  const trainMonths = monthsOf(train);
  const testMonths = monthsOf(test);
  const fromOrigin = trainMonths !== undefined && testMonths !== undefined;
  const anchorDay = trainEndDay ?? dayOf(timeMs[firstTest]!);
  const boundaryDay = (k: number): number => {
    if (test.unit === 'bars') return Number.NaN;
    return fromOrigin ? addPeriod(firstDay, 'months', trainMonths + k * testMonths) : addPeriod(anchorDay, test.unit, k * test.count);
  };
  const testStartAt = (k: number): number => {
    if (k === 0) return firstTest;
    return test.unit === 'bars' ? firstTest + k * test.count : firstAtOrAfter(timeMs, boundaryDay(k) * DAY_MS);
  };
  // Rolling: the train period just before the test start (its date: the boundary, or the first test bar's).
  const trainStartAt = (k: number, testStart: number): number => {
    if (spec.mode === 'anchored') return 0;
    if (train.unit === 'bars') return testStart - train.count;
    const day = fromOrigin
      ? addPeriod(firstDay, 'months', k * testMonths)
      : addPeriod(k === 0 ? anchorDay : test.unit === 'bars' ? dayOf(timeMs[testStart]!) : boundaryDay(k), train.unit, -train.count);
    return firstAtOrAfter(timeMs, day * DAY_MS);
  };

  const windows: WalkForwardWindow[] = [];
  let testStart = firstTest;
  for (let k = 0; testStart < n; k++) {
    const nominalEnd = testStartAt(k + 1);
    const testEnd = Math.min(nominalEnd, n);
    if (testEnd > testStart) {
      const partial = test.unit === 'bars' ? nominalEnd > n : boundaryDay(k + 1) > lastDay + 1;
      const trainStart = trainStartAt(k, testStart);
      if (trainStart >= testStart) {
        throw new ConfigError(
          'walkForward.train',
          `window ${windows.length}: the train period ${describeLength(spec.train)} before ${isoDay(dayOf(timeMs[testStart]!))} holds no bar (a gap in the data longer than the train period) — lengthen train or fill the gap`,
        );
      }
      windows.push(Object.freeze({ index: windows.length, trainStart, trainEnd: testStart, testStart, testEnd, partial }));
    }
    testStart = Math.max(testStart, testEnd);
  }
  return windows;
}

/** A months-or-years length in months; undefined for bars, days and weeks. */
function monthsOf(length: WindowLength): number | undefined {
  if (length.unit === 'months') return length.count;
  if (length.unit === 'years') return 12 * length.count;
  return undefined;
}
