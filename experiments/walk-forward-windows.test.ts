import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../engine/config-error.js';
import { loadBars } from '../data/load.js';
import type { WalkForwardSpec } from './experiment.js';
import { addPeriod, DAY_MS, dayOf, walkForwardWindows, type WalkForwardWindow } from './walk-forward-windows.js';

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const iso = (timeMs: number): string => new Date(timeMs).toISOString().slice(0, 10);

/** One bar per calendar day from `from` to `to` (inclusive), at 00:00 UTC; weekdays only if asked. */
function dailyBars(from: string, to: string, weekdaysOnly = false): Float64Array {
  const times: number[] = [];
  for (let d = day(from); d <= day(to); d++) {
    const weekday = new Date(d * DAY_MS).getUTCDay();
    if (!weekdaysOnly || (weekday !== 0 && weekday !== 6)) times.push(d * DAY_MS);
  }
  return Float64Array.from(times);
}

const barsOf = (n: number): Float64Array => dailyBars('2000-01-01', iso(Date.UTC(2000, 0, n)));
const ranges = (windows: readonly WalkForwardWindow[]) => windows.map((w) => [w.trainStart, w.trainEnd, w.testStart, w.testEnd, w.partial]);
/** Windows as dates: train first bar, test first bar, test last bar. */
const dates = (time: Float64Array, windows: readonly WalkForwardWindow[]) =>
  windows.map((w) => [iso(time[w.trainStart]!), iso(time[w.testStart]!), iso(time[w.testEnd - 1]!), w.partial]);

function errorOf(time: Float64Array, spec: WalkForwardSpec): string {
  try {
    walkForwardWindows(time, spec);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('addPeriod (UTC calendar arithmetic)', () => {
  it.each([
    ['2000-01-31', 'months', 1, '2000-02-29'],
    ['2001-01-31', 'months', 1, '2001-02-28'],
    ['2000-01-31', 'months', 2, '2000-03-31'],
    ['2000-03-31', 'months', -1, '2000-02-29'],
    ['2000-12-15', 'months', 1, '2001-01-15'],
    ['2001-01-15', 'months', -1, '2000-12-15'],
    ['2004-02-29', 'years', 1, '2005-02-28'],
    ['2004-02-29', 'years', 4, '2008-02-29'],
    ['2003-01-03', 'years', -3, '2000-01-03'],
    ['2000-01-01', 'weeks', 2, '2000-01-15'],
    ['2000-03-01', 'days', -1, '2000-02-29'],
    ['1969-12-31', 'days', 1, '1970-01-01'],
    ['1969-01-31', 'months', 1, '1969-02-28'],
  ] as const)('%s %s %d → %s', (from, unit, count, expected) => {
    expect(iso(addPeriod(day(from), unit, count) * DAY_MS)).toBe(expected);
  });
});

describe('walkForwardWindows: bar counts', () => {
  it('rolling: fixed train length, both windows advance by the test length', () => {
    expect(ranges(walkForwardWindows(barsOf(10), { mode: 'rolling', train: 4, test: 2 }))).toEqual([
      [0, 4, 4, 6, false],
      [2, 6, 6, 8, false],
      [4, 8, 8, 10, false],
    ]);
  });

  it('a shorter last test window is kept and flagged partial', () => {
    expect(ranges(walkForwardWindows(barsOf(11), { mode: 'rolling', train: 4, test: 2 }))).toEqual([
      [0, 4, 4, 6, false],
      [2, 6, 6, 8, false],
      [4, 8, 8, 10, false],
      [6, 10, 10, 11, true],
    ]);
    // Just enough for one train window and one test bar.
    expect(ranges(walkForwardWindows(barsOf(5), { mode: 'rolling', train: 4, test: 2 }))).toEqual([[0, 4, 4, 5, true]]);
  });

  it('anchored: the train window always starts at bar 0 and grows', () => {
    expect(ranges(walkForwardWindows(barsOf(11), { mode: 'anchored', train: 4, test: 3 }))).toEqual([
      [0, 4, 4, 7, false],
      [0, 7, 7, 10, false],
      [0, 10, 10, 11, true],
    ]);
  });

  it('numbers the windows 0, 1, … and freezes them', () => {
    const windows = walkForwardWindows(barsOf(10), { mode: 'rolling', train: 4, test: 2 });
    expect(windows.map((w) => w.index)).toEqual([0, 1, 2]);
    expect(Object.isFrozen(windows[0])).toBe(true);
  });

  it('too short for one window: names both lengths and the data', () => {
    expect(errorOf(barsOf(4), { mode: 'rolling', train: 4, test: 2 })).toBe(
      'walkForward.train: the data is too short for one window (test = 2 bars): train = 4 bars plus at least one test bar needs 5 bars, the data has 4 bars, 2000-01-01 … 2000-01-04 — shorten train or use more data',
    );
    expect(errorOf(new Float64Array(0), { mode: 'rolling', train: 4, test: 2 })).toBe('data: has no bars — a walk-forward needs data');
  });

  it('step must equal test (written the same or differently), else an error that says why', () => {
    const time = barsOf(10);
    expect(walkForwardWindows(time, { mode: 'rolling', train: 4, test: 2, step: 2 })).toEqual(walkForwardWindows(time, { mode: 'rolling', train: 4, test: 2 }));
    expect(errorOf(time, { mode: 'rolling', train: 4, test: 2, step: 3 })).toBe(
      'walkForward.step: must equal walkForward.test (2 bars), was 3 bars — the test windows are stitched into one out-of-sample curve, so each must start where the previous one ends (a longer step leaves gaps, a shorter one trades bars twice); remove step',
    );
    expect(errorOf(time, { mode: 'anchored', train: 4, test: '1y', step: '6m' })).toContain('walkForward.step: must equal walkForward.test ("1y"), was "6m"');
    expect(errorOf(time, { mode: 'anchored', train: 4, test: '7d', step: 7 })).toContain('walkForward.step: must equal');
    const long = dailyBars('2000-01-01', '2003-06-30');
    expect(walkForwardWindows(long, { mode: 'rolling', train: '1y', test: '1y', step: '12m' })).toEqual(walkForwardWindows(long, { mode: 'rolling', train: '1y', test: '1y' }));
    expect(walkForwardWindows(long, { mode: 'rolling', train: '2w', test: '1w', step: '7d' })).toEqual(walkForwardWindows(long, { mode: 'rolling', train: '2w', test: '1w' }));
  });

  it('rejects a malformed length from code (the parser rejects it in files)', () => {
    expect(errorOf(barsOf(10), { mode: 'rolling', train: '3 years', test: 2 })).toContain('walkForward.train: must be a whole number of bars > 0');
  });
});

describe('walkForwardWindows: calendar periods', () => {
  it('months from Jan 31 follow the month ends (clamped, never drifting); the last test is partial', () => {
    const time = dailyBars('2000-01-31', '2000-07-15');
    const windows = walkForwardWindows(time, { mode: 'rolling', train: '1m', test: '1m' });
    expect(dates(time, windows)).toEqual([
      ['2000-01-31', '2000-02-29', '2000-03-30', false],
      ['2000-02-29', '2000-03-31', '2000-04-29', false],
      ['2000-03-31', '2000-04-30', '2000-05-30', false],
      ['2000-04-30', '2000-05-31', '2000-06-29', false],
      ['2000-05-31', '2000-06-30', '2000-07-15', true],
    ]);
    expect(windows[0]!.testStart).toBe(29);
  });

  it('weekday bars, anchored, train 1y test 6m: each boundary falls on the first bar on or after its date', () => {
    const time = dailyBars('2000-01-03', '2002-03-01', true);
    const windows = walkForwardWindows(time, { mode: 'anchored', train: '1y', test: '6m' });
    expect(dates(time, windows)).toEqual([
      ['2000-01-03', '2001-01-03', '2001-07-02', false],
      ['2000-01-03', '2001-07-03', '2002-01-02', false],
      ['2000-01-03', '2002-01-03', '2002-03-01', true],
    ]);
  });

  it('a boundary on a weekend moves to the Monday', () => {
    // 2000-01-01 is a Saturday: the first bar is Monday 2000-01-03; 2000-01-03 + 2w = 2000-01-17 (Mon),
    // + 10 days = 2000-01-27 (Thu), + 10 = 2000-02-06 (Sun) → Mon 2000-02-07.
    const time = dailyBars('2000-01-01', '2000-02-10', true);
    const windows = walkForwardWindows(time, { mode: 'rolling', train: '2w', test: '10d' });
    expect(dates(time, windows)).toEqual([
      ['2000-01-03', '2000-01-17', '2000-01-26', false],
      ['2000-01-13', '2000-01-27', '2000-02-04', false],
      ['2000-01-24', '2000-02-07', '2000-02-10', true],
    ]);
  });

  it('a test period ending the day after the last bar is not partial', () => {
    const time = dailyBars('2000-01-01', '2000-01-20');
    const windows = walkForwardWindows(time, { mode: 'rolling', train: '10d', test: '5d' });
    expect(dates(time, windows)).toEqual([
      ['2000-01-01', '2000-01-11', '2000-01-15', false],
      ['2000-01-06', '2000-01-16', '2000-01-20', false],
    ]);
  });

  it('leap day + 1y clamps to Feb 28', () => {
    const time = dailyBars('2004-02-29', '2006-03-10');
    const windows = walkForwardWindows(time, { mode: 'rolling', train: '1y', test: '1y' });
    expect(dates(time, windows)).toEqual([
      ['2004-02-29', '2005-02-28', '2006-02-27', false],
      ['2005-02-28', '2006-02-28', '2006-03-10', true],
    ]);
  });

  it('intraday bars with a train in bars and a test in days: the first test window ends at the next UTC day', () => {
    // Four bars per day at 15:00, 16:00, 17:00, 18:00 UTC.
    const times: number[] = [];
    for (let d = 0; d < 4; d++) for (let h = 15; h <= 18; h++) times.push(Date.UTC(2020, 0, 6 + d, h));
    const windows = walkForwardWindows(Float64Array.from(times), { mode: 'rolling', train: 6, test: '1d' });
    expect(ranges(windows)).toEqual([
      [0, 6, 6, 8, false],
      [2, 8, 8, 12, false],
      [6, 12, 12, 16, false],
    ]);
  });

  it('too short: names the train period, where it ends and the data', () => {
    expect(errorOf(dailyBars('2000-01-03', '2002-12-31', true), { mode: 'rolling', train: '3y', test: '1y' })).toBe(
      'walkForward.train: the data is too short for one window (test = "1y"): train = "3y" from 2000-01-03 ends on 2003-01-03, after the last bar, the data has 782 bars, 2000-01-03 … 2002-12-31 — shorten train or use more data',
    );
  });

  it('a calendar period without bars (a gap) yields no window; a rolling train period inside the gap is an error', () => {
    const time = Float64Array.from([...dailyBars('2000-01-01', '2000-01-31'), ...dailyBars('2000-06-01', '2000-06-30')]);
    const anchored = walkForwardWindows(time, { mode: 'anchored', train: '1m', test: '1m' });
    expect(dates(time, anchored)).toEqual([['2000-01-01', '2000-06-01', '2000-06-30', false]]);
    expect(ranges(anchored)).toEqual([[0, 31, 31, 61, false]]);
    expect(errorOf(time, { mode: 'rolling', train: '1m', test: '1m' })).toBe(
      'walkForward.train: window 0: the train period "1m" before 2000-06-01 holds no bar (a gap in the data longer than the train period) — lengthen train or fill the gap',
    );
  });

  it('an empty first test period: the first window is the next period, trained on the train period before it', () => {
    // Bars on Jan 31, Feb 1 and Feb 12: train 11d ends Feb 11; the test day Feb 11 has no bar.
    const time = Float64Array.from([Date.UTC(2001, 0, 31, 13), Date.UTC(2001, 1, 1, 19), Date.UTC(2001, 1, 12)]);
    expect(ranges(walkForwardWindows(time, { mode: 'rolling', train: '11d', test: '1d' }))).toEqual([[1, 2, 2, 3, false]]);
    expect(ranges(walkForwardWindows(time, { mode: 'anchored', train: '11d', test: '1d' }))).toEqual([[0, 2, 2, 3, false]]);
  });

  it('the bundled S&P 500 file, rolling 3y/1y: 17 full yearly test windows from 2003 and a partial 2020', async () => {
    const { bars } = await loadBars(fileURLToPath(new URL('../data/samples/sp500-2000.csv', import.meta.url)));
    const windows = walkForwardWindows(bars.timeMs, { mode: 'rolling', train: '3y', test: '1y' });
    expect(windows).toHaveLength(18);
    for (const w of windows) {
      const year = 2003 + w.index;
      // Each test window starts on the first trading day on or after January 3 and trains on the 3 years before.
      expect(bars.timeMs[w.testStart]!).toBeGreaterThanOrEqual(Date.UTC(year, 0, 3));
      expect(bars.timeMs[w.testStart - 1]!).toBeLessThan(Date.UTC(year, 0, 3));
      expect(bars.timeMs[w.trainStart]!).toBeGreaterThanOrEqual(Date.UTC(year - 3, 0, 3));
      expect(w.trainStart === 0 || bars.timeMs[w.trainStart - 1]! < Date.UTC(year - 3, 0, 3)).toBe(true);
      expect(w.partial).toBe(year === 2020);
    }
    expect(iso(bars.timeMs[windows[0]!.testStart]!)).toBe('2003-01-03');
    expect(windows.at(-1)!.testEnd).toBe(bars.length);
  });
});

describe('walkForwardWindows: properties', () => {
  const lengthArb = fc.oneof(
    fc.integer({ min: 1, max: 60 }),
    fc.tuple(fc.integer({ min: 1, max: 40 }), fc.constantFrom('d', 'w', 'm', 'y')).map(([n, u]) => `${u === 'y' ? Math.min(n, 3) : n}${u}`),
  );
  /** Increasing times: random gaps from an hour to three weeks. */
  const timesArb = fc.array(fc.integer({ min: 1, max: 21 * 24 }), { minLength: 0, maxLength: 400 }).map((gaps) => {
    let t = Date.UTC(2001, 0, 31, 12);
    return Float64Array.from(gaps, (hours) => (t += hours * 3_600_000));
  });

  it('test windows tile the data after the first train window; each train window ends where its test begins', () => {
    fc.assert(
      fc.property(timesArb, fc.constantFrom('rolling', 'anchored'), lengthArb, lengthArb, fc.boolean(), (time, mode, train, test, withStep) => {
        const spec: WalkForwardSpec = { mode: mode as WalkForwardSpec['mode'], train, test, ...(withStep ? { step: test } : {}) };
        let windows: WalkForwardWindow[];
        try {
          windows = walkForwardWindows(time, spec);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).path).toMatch(/^(data|walkForward\.train)$/);
          if (typeof train === 'number' && time.length > train) expect.unreachable('bars train with enough data cannot fail');
          return;
        }
        expect(windows.length).toBeGreaterThan(0);
        // A rolling calendar train starts later when the first test period held no bar (a gap).
        if (mode === 'anchored' || typeof train === 'number') expect(windows[0]!.trainStart).toBe(0);
        expect(windows.at(-1)!.testEnd).toBe(time.length);
        windows.forEach((w, k) => {
          expect(w.index).toBe(k);
          expect(w.trainEnd).toBe(w.testStart);
          expect(w.trainStart).toBeGreaterThanOrEqual(0);
          expect(w.trainStart).toBeLessThan(w.trainEnd);
          expect(w.testStart).toBeLessThan(w.testEnd);
          if (k > 0) expect(w.testStart).toBe(windows[k - 1]!.testEnd);
          if (k < windows.length - 1) expect(w.partial).toBe(false);
          if (mode === 'anchored') expect(w.trainStart).toBe(0);
          else if (typeof train === 'number') expect(w.trainEnd - w.trainStart).toBe(train);
          if (typeof test === 'number') {
            expect(w.testEnd - w.testStart).toBe(w.partial ? time.length - w.testStart : test);
            if (w.partial) expect(w.testEnd - w.testStart).toBeLessThan(test);
          }
        });
        if (typeof train === 'number') expect(windows[0]!.testStart).toBe(train);
        if (typeof test === 'string') {
          // A calendar test window never spans more than its period (+ 1 day for the boundary date).
          const unitDays = { d: 1, w: 7, m: 31, y: 366 }[test.at(-1) as 'd' | 'w' | 'm' | 'y'];
          for (const w of windows) expect(dayOf(time[w.testEnd - 1]!) - dayOf(time[w.testStart]!)).toBeLessThan(Number.parseInt(test, 10) * unitDays + 1);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('depends only on the times: the same input gives the same windows', () => {
    fc.assert(
      fc.property(timesArb, lengthArb, lengthArb, (time, train, test) => {
        const spec: WalkForwardSpec = { mode: 'rolling', train, test };
        const run = () => {
          try {
            return walkForwardWindows(time, spec);
          } catch (error) {
            return (error as Error).message;
          }
        };
        expect(run()).toEqual(run());
      }),
      { numRuns: 100 },
    );
  });
});
