import { describe, expect, it } from 'vitest';
import { ReplayClock } from './clock.js';
import { runBacktest } from './backtest.js';
import { defineStrategy } from './strategy.js';
import { barsOf } from './test-support.js';

describe('ReplayClock', () => {
  it('moves forward, allows equal times, refuses to go back', () => {
    const clock = new ReplayClock();
    clock.advance(10);
    clock.advance(10);
    clock.advance(25);
    expect(clock.nowMs()).toBe(25);
    expect(() => clock.advance(24)).toThrow('replay clock cannot go back from 25 to 24 — bars must be in time order');
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
  });

  it('drives the strategy context: ctx.timeMs is the bar time at every step', () => {
    const seen: number[] = [];
    const probe = defineStrategy({ name: 'probe', description: '', params: {}, create: () => ({ onBar: (ctx) => void seen.push(ctx.timeMs) }) });
    const bars = barsOf('A', [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]], { timesMs: [1000, 2000, 5000] });
    runBacktest({ data: bars, strategy: probe });
    expect(seen).toEqual([1000, 2000, 5000]);
  });
});
