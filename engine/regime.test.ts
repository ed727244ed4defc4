import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeBarSeries, sliceBars, type BarSeries } from './bars.js';
import { ConfigError } from './config-error.js';
import {
  classifyAll,
  DailyRealizedVol,
  RegimeClassifier,
  resolveRegimeOptions,
  UNKNOWN_REGIME,
  volBucket,
  type RegimeOptions,
} from './regime.js';
import { barsOf, DAY_MS, T0_MS } from './test-support.js';

const HOUR = 3_600_000;
const U = UNKNOWN_REGIME;
/** Annualization of a daily stdev into vol points: √252 × 100. */
const POINTS = Math.sqrt(252) * 100;

/** Bars whose OHLC all equal the close, a day apart unless times are given. */
function closes(values: readonly number[], extras: Readonly<Record<string, readonly number[]>> = {}, timesMs?: readonly number[]): BarSeries {
  return barsOf(
    'TEST',
    values.map((c) => [c, c, c, c] as const),
    timesMs === undefined ? { extras } : { extras, timesMs },
  );
}

/** Sample standard deviation written out: √(Σ(x − mean)² / (n − 1)). */
function sampleStd(values: readonly number[]): number {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  return Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1));
}

describe('resolveRegimeOptions', () => {
  it('fills the documented defaults and freezes the result', () => {
    const resolved = resolveRegimeOptions();
    expect(resolved).toEqual({
      vol: { source: 'auto', column: 'vix', lookback: 20, thresholds: [12, 16, 20, 30], labels: ['very_low', 'low', 'medium', 'high', 'extreme'] },
      trend: { period: 50, slopeBars: 10, band: 0.01 },
      sessionOffsetMs: 0,
    });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.vol)).toBe(true);
    expect(Object.isFrozen(resolved.vol.thresholds)).toBe(true);
    expect(Object.isFrozen(resolved.trend)).toBe(true);
  });

  it('lower-cases the column name and accepts custom thresholds with matching labels', () => {
    const resolved = resolveRegimeOptions({ vol: { column: ' VIX9D ', thresholds: [15, 25], labels: ['calm', 'normal', 'stressed'] } });
    expect(resolved.vol.column).toBe('vix9d');
    expect(resolved.vol.labels).toEqual(['calm', 'normal', 'stressed']);
  });

  it.each<[string, unknown, string]>([
    ['decreasing thresholds', { vol: { thresholds: [12, 10] } }, 'regimes.vol.thresholds: must be increasing, was [12, 10]'],
    ['repeated threshold', { vol: { thresholds: [12, 12], labels: ['a', 'b', 'c'] } }, 'regimes.vol.thresholds: must be increasing, was [12, 12]'],
    ['empty thresholds', { vol: { thresholds: [] } }, 'regimes.vol.thresholds: must be a non-empty list of numbers, was []'],
    ['non-number threshold', { vol: { thresholds: [12, '16'] } }, 'regimes.vol.thresholds: must be a non-empty list of numbers, was [12, "16"]'],
    [
      'default labels for other thresholds',
      { vol: { thresholds: [15, 25] } },
      'regimes.vol.labels: must have 3 labels (thresholds + 1), was ["very_low", "low", "medium", "high", "extreme"] (the default) — give one label per bucket',
    ],
    ['too few labels', { vol: { labels: ['a', 'b'] } }, 'regimes.vol.labels: must have 5 labels (thresholds + 1), was ["a", "b"]'],
    ['repeated label', { vol: { labels: ['a', 'b', 'a', 'c', 'd'] } }, 'regimes.vol.labels: must be distinct, was ["a", "b", "a", "c", "d"]'],
    ['reserved label', { vol: { labels: ['a', 'b', 'unknown', 'c', 'd'] } }, 'regimes.vol.labels: "unknown" is reserved for bars whose regime is not known yet'],
    ['bad source', { vol: { source: 'implied' } }, 'regimes.vol.source: must be one of auto, column, realized, was "implied"'],
    ['empty column', { vol: { column: '' } }, 'regimes.vol.column: must be a column name, was ""'],
    ['lookback 1', { vol: { lookback: 1 } }, 'regimes.vol.lookback: must be a whole number >= 2, was 1'],
    ['fractional period', { trend: { period: 2.5 } }, 'regimes.trend.period: must be a whole number >= 1, was 2.5'],
    ['zero slopeBars', { trend: { slopeBars: 0 } }, 'regimes.trend.slopeBars: must be a whole number >= 1, was 0'],
    ['negative band', { trend: { band: -0.01 } }, 'regimes.trend.band: must be a fraction in [0, 1), was -0.01'],
    ['bad offset', { sessionOffsetMs: 'x' }, 'regimes.sessionOffsetMs: must be a number of ms, was "x"'],
    ['unknown field', { vol: { treshold: [1] } }, 'regimes.vol.treshold: unknown field — allowed: source, column, lookback, thresholds, labels'],
    ['not an object', { trend: 50 }, 'regimes.trend: must be an object, was 50'],
  ])('rejects %s naming the path', (_name, options, message) => {
    const call = (): unknown => resolveRegimeOptions(options as RegimeOptions);
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(message);
  });

  it('names the given path', () => {
    expect(() => resolveRegimeOptions({ trend: { band: 1 } }, 'cells[3].regimes')).toThrow('cells[3].regimes.trend.band: must be a fraction in [0, 1), was 1');
  });
});

describe('volBucket', () => {
  it('puts a value on a threshold in the upper bucket', () => {
    const { thresholds, labels } = resolveRegimeOptions().vol;
    const cases: [number, string][] = [
      [0, 'very_low'],
      [11.99, 'very_low'],
      [12, 'low'],
      [15.99, 'low'],
      [16, 'medium'],
      [19.99, 'medium'],
      [20, 'high'],
      [29.99, 'high'],
      [30, 'extreme'],
      [80, 'extreme'],
      [Number.NaN, U],
      [Number.POSITIVE_INFINITY, U],
    ];
    for (const [value, label] of cases) expect([value, volBucket(value, thresholds, labels)]).toEqual([value, label]);
  });
});

describe('RegimeClassifier: vol from a column', () => {
  const vix = [11.99, 12, 16, 30, Number.NaN, 19.99];

  it('labels each bar from its own column value (auto picks the column when present)', () => {
    const bars = closes([100, 101, 102, 103, 104, 105], { vix });
    const classifier = new RegimeClassifier(bars, resolveRegimeOptions());
    expect(classifier.volSource).toBe('column');
    const labels: string[] = [];
    const values: number[] = [];
    for (let i = 0; i < bars.length; i++) {
      classifier.update(i);
      labels.push(classifier.vol);
      values.push(classifier.volValue);
    }
    expect(labels).toEqual(['very_low', 'low', 'medium', 'extreme', U, 'medium']);
    expect(values).toEqual(vix);
  });

  it('reads another configured column', () => {
    const bars = closes([100, 101], { vix: [40, 40], vxn: [10, 25] });
    const options = resolveRegimeOptions({ vol: { source: 'column', column: 'VXN', thresholds: [20], labels: ['calm', 'wild'] } });
    expect(classifyAll(bars, options).vol).toEqual(['calm', 'wild']);
  });

  it('source column without the column fails at construction, listing the columns there are', () => {
    const bars = closes([100, 101], { signal: [0, 1] });
    const options = resolveRegimeOptions({ vol: { source: 'column' } });
    const build = (): unknown => new RegimeClassifier(bars, options);
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(
      'regimes.vol.column: column "vix" is not in the bars of TEST (columns: open, high, low, close, signal) — add it to the data, name another column, or set source to "auto" or "realized"',
    );
  });

  it('auto without the column and realized with it both use realized vol', () => {
    expect(new RegimeClassifier(closes([100]), resolveRegimeOptions()).volSource).toBe('realized');
    expect(new RegimeClassifier(closes([100], { vix: [20] }), resolveRegimeOptions({ vol: { source: 'realized' } })).volSource).toBe('realized');
  });
});

describe('realized volatility', () => {
  it('daily bars: sample stdev of the last `lookback` log returns × √252 × 100, unknown before', () => {
    // Closes 100, 102, 99, 103, 103 → returns ln(102/100), ln(99/102), ln(103/99), ln(103/103) = 0.
    const r1 = Math.log(102 / 100);
    const r2 = Math.log(99 / 102);
    const r3 = Math.log(103 / 99);
    const r4 = 0;
    const bars = closes([100, 102, 99, 103, 103]);
    const options = resolveRegimeOptions({ vol: { lookback: 3, thresholds: [50, 56], labels: ['a', 'b', 'c'] } });
    const classifier = new RegimeClassifier(bars, options);
    const values: number[] = [];
    const labels: string[] = [];
    for (let i = 0; i < bars.length; i++) {
      classifier.update(i);
      values.push(classifier.volValue);
      labels.push(classifier.vol);
    }
    // Three returns need four closes: bars 0–2 are unknown.
    expect(values.slice(0, 3)).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(values[3]).toBeCloseTo(sampleStd([r1, r2, r3]) * POINTS, 10);
    expect(values[4]).toBeCloseTo(sampleStd([r2, r3, r4]) * POINTS, 10);
    // Pinned: 56.805… and 55.314… vol points.
    expect(values[3]).toBeCloseTo(56.80530606899, 8);
    expect(values[4]).toBeCloseTo(55.31480841771, 8);
    expect(labels).toEqual([U, U, U, 'c', 'b']);
  });

  it('intraday bars: the latest bar stands for the running day against the previous day close', () => {
    // Two bars a day (10:00 and 16:00 UTC); day closes D0 = 101, D1 = 102, D2 = 104.
    const times = [10, 16, 34, 40, 58, 64, 82].map((h) => T0_MS + h * HOUR);
    const vol = new DailyRealizedVol(2);
    const got = [100, 101, 103, 102, 99, 104, 104].map((c, i) => vol.update(times[i]!, c));
    // Two returns need three days: nothing before day 2. The sample std of two values a, b is |a − b| / √2.
    const std2 = (a: number, b: number): number => (Math.abs(a - b) / Math.SQRT2) * POINTS;
    expect(got.slice(0, 4)).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    // Day 2 10:00: completed ln(102/101), running ln(99/102).
    expect(got[4]).toBeCloseTo(std2(Math.log(102 / 101), Math.log(99 / 102)), 10);
    // Day 2 16:00: running ln(104/102).
    expect(got[5]).toBeCloseTo(std2(Math.log(102 / 101), Math.log(104 / 102)), 10);
    // Day 3 10:00: day 2 completed (ln(104/102)); the window drops day 1; running ln(104/104) = 0.
    expect(got[6]).toBeCloseTo(std2(Math.log(104 / 102), 0), 10);
  });

  it('the session offset moves bars into the next day', () => {
    // +9 h: the 16:00 bars count as the next day's first bar. Days: {100}, {101, 103}, {102, 99}, {104, 104}.
    const times = [10, 16, 34, 40, 58, 64, 82].map((h) => T0_MS + h * HOUR);
    const vol = new DailyRealizedVol(2, 9 * HOUR);
    const got = [100, 101, 103, 102, 99, 104, 104].map((c, i) => vol.update(times[i]!, c));
    const std2 = (a: number, b: number): number => (Math.abs(a - b) / Math.SQRT2) * POINTS;
    expect(got.slice(0, 3)).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(got[3]).toBeCloseTo(std2(Math.log(103 / 100), Math.log(102 / 103)), 10);
    expect(got[4]).toBeCloseTo(std2(Math.log(103 / 100), Math.log(99 / 103)), 10);
    expect(got[5]).toBeCloseTo(std2(Math.log(99 / 103), Math.log(104 / 99)), 10);
    expect(got[6]).toBeCloseTo(std2(Math.log(99 / 103), Math.log(104 / 99)), 10);
  });

  it('on daily bars equals the directly computed stdev of the last `lookback` bar returns (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 1, maxLength: 80 }),
        (lookback, moves) => {
          const prices = [100];
          for (const m of moves) prices.push(prices[prices.length - 1]! * Math.exp(m));
          const vol = new DailyRealizedVol(lookback);
          prices.forEach((price, i) => {
            const got = vol.update(T0_MS + i * DAY_MS, price);
            if (i < lookback) return expect(got).toBeNaN();
            const returns = prices.slice(i - lookback, i + 1).map((p, k, window) => (k === 0 ? 0 : Math.log(p / window[k - 1]!))).slice(1);
            expect(Math.abs(got - sampleStd(returns) * POINTS)).toBeLessThanOrEqual(1e-9 * (1 + got));
          });
        },
      ),
    );
  });
});

describe('RegimeClassifier: trend', () => {
  const options = resolveRegimeOptions({ trend: { period: 3, slopeBars: 2, band: 0.01 } });

  it('up on a rising series, unknown for the first period − 1 + slopeBars bars', () => {
    // SMA(3) from bar 2: 11, 12, 13; slope at bar 4 = 13 − 11 > 0 and close 14 > 13 × 1.01.
    expect(classifyAll(closes([10, 11, 12, 13, 14, 15]), options).trend).toEqual([U, U, U, U, 'up', 'up']);
  });

  it('down on a falling series', () => {
    expect(classifyAll(closes([15, 14, 13, 12, 11, 10]), options).trend).toEqual([U, U, U, U, 'down', 'down']);
  });

  it('sideways on a flat series (zero slope)', () => {
    expect(classifyAll(closes([10, 10, 10, 10, 10]), options).trend).toEqual([U, U, U, U, 'sideways']);
  });

  it('sideways when the close is inside the band, or the slope disagrees with the side', () => {
    // SMA at bar 4 = (12 + 13 + 12.5) / 3 = 12.5 = close: inside the band though the slope is 1.5 > 0.
    expect(classifyAll(closes([10, 11, 12, 13, 12.5]), options).trend[4]).toBe('sideways');
    // SMA 19 → 15 (slope −4) but close 17 > 15 × 1.01: neither up (slope) nor down (side).
    expect(classifyAll(closes([20, 19, 18, 10, 17]), options).trend[4]).toBe('sideways');
    // Close just above sma × (1 + band) with a rising SMA: up. SMA at bar 4 = (12 + 13 + 13.2) / 3 = 12.7333…, × 1.01 = 12.8607.
    expect(classifyAll(closes([10, 11, 12, 13, 13.2]), options).trend[4]).toBe('up');
  });

  it('update must be called once per bar, in order', () => {
    const classifier = new RegimeClassifier(closes([10, 11, 12]), options);
    classifier.update(0);
    expect(() => classifier.update(2)).toThrow('update(2) out of order: expected bar 1 (call once per bar, in order)');
  });
});

describe('causality', () => {
  it('labels of any prefix of the data equal the full run over that prefix (property)', () => {
    const series = fc
      .record({
        moves: fc.array(fc.double({ min: -0.08, max: 0.08, noNaN: true }), { minLength: 1, maxLength: 60 }),
        gapsHours: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 60, maxLength: 60 }),
        vix: fc.option(fc.array(fc.double({ min: 5, max: 60, noNaN: true }), { minLength: 60, maxLength: 60 }), { nil: undefined }),
      })
      .map(({ moves, gapsHours, vix }) => {
        const n = moves.length;
        const close = new Float64Array(n);
        const timeMs = new Float64Array(n);
        let price = 100;
        let t = T0_MS;
        for (let i = 0; i < n; i++) {
          price *= Math.exp(moves[i]!);
          t += gapsHours[i]! * HOUR;
          close[i] = price;
          timeMs[i] = t;
        }
        const extras: Record<string, Float64Array> = vix === undefined ? {} : { vix: Float64Array.from(vix.slice(0, n)) };
        return makeBarSeries({ symbol: 'P', timeMs, open: close, high: close, low: close, close, extras });
      });
    const options = fc.record({
      vol: fc.record({ source: fc.constantFrom('auto' as const, 'realized' as const), lookback: fc.integer({ min: 2, max: 6 }) }),
      trend: fc.record({ period: fc.integer({ min: 1, max: 8 }), slopeBars: fc.integer({ min: 1, max: 5 }), band: fc.double({ min: 0, max: 0.05, noNaN: true }) }),
      sessionOffsetMs: fc.integer({ min: -12, max: 12 }).map((h) => h * HOUR),
    });
    fc.assert(
      fc.property(series, options, (bars, userOptions) => {
        const resolved = resolveRegimeOptions(userOptions);
        const full = classifyAll(bars, resolved);
        for (let k = 0; k <= bars.length; k++) {
          const prefix = classifyAll(sliceBars(bars, 0, k), resolved);
          expect(prefix.vol).toEqual(full.vol.slice(0, k));
          expect(prefix.trend).toEqual(full.trend.slice(0, k));
        }
      }),
    );
  });
});
