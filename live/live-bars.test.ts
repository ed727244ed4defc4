import { describe, expect, it } from 'vitest';
import { makeBarSeries } from '../engine/bars.js';
import { LiveBars } from './live-bars.js';

const bar = (timeMs: number, close: number, extras: Record<string, number> = {}) => ({ symbol: 'A', timeMs, open: close, high: close + 1, low: close - 1, close, volume: 5, extras });

describe('LiveBars', () => {
  const history = makeBarSeries({
    symbol: 'A',
    timeMs: Float64Array.of(1, 2),
    open: Float64Array.of(10, 11),
    high: Float64Array.of(11, 12),
    low: Float64Array.of(9, 10),
    close: Float64Array.of(10, 11),
    volume: Float64Array.of(1, 2),
    extras: { vix: Float64Array.of(20, 21) },
  });

  it('copies a series and grows in place: a column taken earlier sees the new bars', () => {
    const live = LiveBars.copyOf(history, 100);
    const close = live.close;
    const vix = live.extras['vix']!;
    expect([...close]).toEqual([10, 11]);
    live.append(bar(3, 12, { vix: 22 }));
    live.append(bar(4, 13));
    expect(live.length).toBe(4);
    expect(live.close).toBe(close);
    expect([...close]).toEqual([10, 11, 12, 13]);
    expect([...vix]).toEqual([20, 21, 22, Number.NaN]);
    expect(live.timeMs.length).toBe(4);
    expect(live.lastTimeMs).toBe(4);
    expect(live.close.subarray(1, 3)).toEqual(Float64Array.of(11, 12));
  });

  it('checks a bar with the loaders\' row rules, and refuses bars beyond its room', () => {
    const live = LiveBars.copyOf(history, 3);
    expect(live.problemWith(bar(3, 12))).toBeUndefined();
    expect(live.problemWith({ ...bar(3, 12), high: 5 })).toBe('high 5 < low 11');
    expect(live.problemWith({ ...bar(3, 12), close: 0, low: 0 })).toBe('low 0 is not positive');
    expect(live.problemWith({ ...bar(3, 12), volume: -1 })).toBe('volume -1 is negative');
    expect(live.problemWith(bar(3, 12, { vix: Number.POSITIVE_INFINITY }))).toMatch(/vix is Infinity/);
    live.append(bar(3, 12));
    expect(() => live.append(bar(4, 12))).toThrow(/A: the live series is full \(3 bars\)/);
    expect(live.length).toBe(3);
  });
});
