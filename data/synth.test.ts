import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { BarSeries } from '../engine/bars.js';
import { SessionClock, weekday } from './session-clock.js';
import { synthBars } from './synth.js';

/** sha256 over the first `n` values of every column (little-endian doubles, fixed column order). */
function digest(bars: BarSeries, n: number): string {
  const hash = createHash('sha256');
  const columns = [bars.timeMs, bars.open, bars.high, bars.low, bars.close, bars.volume, bars.extras['vix']];
  for (const column of columns) {
    if (column === undefined) throw new Error('missing column');
    hash.update(new Uint8Array(column.buffer, column.byteOffset, n * 8));
  }
  return hash.digest('hex');
}

describe('synthBars', () => {
  it('is deterministic: pinned digest of the first 1000 daily bars for seed 42', () => {
    const bars = synthBars({ bars: 1000, seed: 42 });
    expect(digest(bars, 1000)).toBe(digest(synthBars({ bars: 1000, seed: 42 }), 1000));
    expect(digest(bars, 1000)).toBe('04f045a6f5ce653fe44d565948a1830327295705a66b94a838a9b098fd87d37b');
  });

  it('a longer run starts with the same bars; other seeds differ', () => {
    expect(digest(synthBars({ bars: 5000, seed: 42 }), 1000)).toBe(digest(synthBars({ bars: 1000, seed: 42 }), 1000));
    expect(digest(synthBars({ bars: 1000, seed: 43 }), 1000)).not.toBe(digest(synthBars({ bars: 1000, seed: 42 }), 1000));
  });

  it('always gives consistent OHLC, positive prices, non-negative volume and increasing weekday times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.oneof(fc.integer(), fc.string()), fc.constantFrom(86_400_000, 60_000, 300_000), (n, seed, intervalMs) => {
        const bars = synthBars({ bars: n, seed, intervalMs, startPrice: 50 });
        expect(bars.length).toBe(n);
        for (let i = 0; i < n; i++) {
          const [o, h, l, c] = [bars.open[i], bars.high[i], bars.low[i], bars.close[i]] as number[] as [number, number, number, number];
          expect(l).toBeGreaterThan(0);
          expect(h).toBeGreaterThanOrEqual(Math.max(o, c));
          expect(l).toBeLessThanOrEqual(Math.min(o, c));
          expect(bars.volume?.[i]).toBeGreaterThanOrEqual(0);
          expect(bars.extras['vix']?.[i]).toBeGreaterThan(0);
          const t = bars.timeMs[i] as number;
          if (i > 0) expect(t).toBeGreaterThan(bars.timeMs[i - 1] as number);
          expect([0, 6]).not.toContain(weekday(Math.floor(t / 86_400_000)));
        }
        expect(bars.open[0]).toBe(50);
      }),
      { numRuns: 60 },
    );
  });

  it('vix follows the volatility regime: realized vol tracks vix/100', () => {
    const bars = synthBars({ bars: 20_000, seed: 'regimes' });
    const vix = bars.extras['vix'] as Float64Array;
    // Bucket daily log returns by vix level and compare annualized realized vol per bucket.
    const buckets = new Map<number, number[]>();
    for (let i = 1; i < bars.length; i++) {
      const r = Math.log((bars.close[i] as number) / (bars.close[i - 1] as number));
      const level = vix[i] as number;
      const key = level < 13 ? 10 : level < 22 ? 16 : level < 40 ? 28 : 60;
      buckets.set(key, [...(buckets.get(key) ?? []), r]);
    }
    expect(buckets.size).toBe(4);
    for (const [level, returns] of buckets) {
      const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
      const vol = Math.sqrt((returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length) * 252) * 100;
      expect(vol / level).toBeGreaterThan(0.75);
      expect(vol / level).toBeLessThan(1.35);
    }
  });

  it('rejects bad sizes and intervals', () => {
    expect(() => synthBars({ bars: -1, seed: 1 })).toThrow(RangeError);
    expect(() => synthBars({ bars: 10, seed: 1, intervalMs: 7 * 60_000 })).toThrow('divide the 390-minute session');
  });
});

describe('SessionClock', () => {
  it('daily: weekdays at midnight UTC, starting on the start date or the next weekday', () => {
    const clock = new SessionClock(Date.UTC(2020, 0, 4), 86_400_000); // a Saturday
    const days: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.next();
      days.push(new Date(clock.timeMs).toISOString().slice(0, 10));
    }
    expect(days).toEqual(['2020-01-06', '2020-01-07', '2020-01-08']);
  });

  it('intraday: bars stamped at their close from 14:31 to 21:00 UTC, then the next weekday', () => {
    const clock = new SessionClock(Date.UTC(2020, 0, 3), 60_000); // a Friday
    const starts: boolean[] = [];
    const times: number[] = [];
    for (let i = 0; i < 391; i++) {
      starts.push(clock.next());
      times.push(clock.timeMs);
    }
    expect(new Date(times[0] as number).toISOString()).toBe('2020-01-03T14:31:00.000Z');
    expect(new Date(times[389] as number).toISOString()).toBe('2020-01-03T21:00:00.000Z');
    expect(new Date(times[390] as number).toISOString()).toBe('2020-01-06T14:31:00.000Z');
    expect(starts.filter(Boolean).length).toBe(2);
  });
});
