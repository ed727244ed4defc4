import { describe, expect, it } from 'vitest';
import { createEngine, finishRun, runBacktest } from './backtest.js';
import type { StrategyContext } from './context.js';
import { RollingMean } from './indicators.js';
import { defineStrategy, type Strategy } from './strategy.js';
import { barsOf } from './test-support.js';

/** A moving-average crossover (engine tests may not import strategies/). */
class Crossing implements Strategy {
  private readonly fast = new RollingMean(5);
  private readonly slow = new RollingMean(20);
  private wasAbove: boolean | undefined;

  onBar(ctx: StrategyContext): void {
    const close = ctx.data().close();
    const f = this.fast.update(close);
    const s = this.slow.update(close);
    if (Number.isNaN(s)) return;
    const above = f > s;
    if (this.wasAbove === false && above && ctx.position() === 0) ctx.buy({ equityFraction: 1, tag: 'up' });
    if (this.wasAbove === true && !above && ctx.position() > 0) ctx.closePosition(undefined, 'down');
    this.wasAbove = above;
  }
}
const smaCross = defineStrategy({ name: 'crossing', description: 'test crossover', params: {}, create: () => new Crossing() });

// 400 daily bars of a wave with a drift: enough crosses of 5/20 for several trades.
const closes = Array.from({ length: 400 }, (_, i) => 100 + 10 * Math.sin(i / 9) + i * 0.05);
const data = barsOf(
  'W',
  closes.map((c, i) => [i === 0 ? c : closes[i - 1]!, c + 1, Math.min(c, i === 0 ? c : closes[i - 1]!) - 1, c] as const),
);
const input = { series: [data], strategy: smaCross, params: {}, options: { costs: { commissionRate: 0.001 } } };

function viaStep(): ReturnType<typeof finishRun> {
  const { engine, params, symbols } = createEngine(input);
  const view = engine.views[0]!;
  view.updated = true;
  for (let i = 0; i < data.length; i++) {
    view.index = i;
    engine.step(data.timeMs[i]!);
  }
  return finishRun(engine, smaCross.name, params, symbols);
}

describe('Engine.stepBars', () => {
  it('runs the same steps as step() per bar: same events, trades and digest', () => {
    const stepped = viaStep();
    const looped = runBacktest({ data, strategy: smaCross, params: input.params, options: input.options });
    expect(looped.trades.length).toBeGreaterThan(5);
    expect(looped.digest).toBe(stepped.digest);
    expect(looped.events).toEqual(stepped.events);
    expect(looped.metrics).toEqual(stepped.metrics);
  });

  it('may be called in pieces', () => {
    const { engine, params, symbols } = createEngine(input);
    engine.stepBars(0, 137);
    engine.stepBars(137, 138);
    engine.stepBars(138, data.length);
    expect(finishRun(engine, smaCross.name, params, symbols).digest).toBe(viaStep().digest);
  });

  it('refuses to step after finishRun, before anything moves', () => {
    const { engine, params, symbols } = createEngine(input);
    engine.stepBars(0, 200);
    const result = finishRun(engine, smaCross.name, params, symbols);
    const cash = engine.portfolio.cash;
    expect(() => engine.stepBars(200, 201)).toThrow(/has finished \(finishRun collected its result\): it takes no more steps/);
    expect(() => engine.step(data.timeMs[200]!)).toThrow(/has finished/);
    expect(engine.clock.step).toBe(199);
    expect(engine.portfolio.cash).toBe(cash);
    expect(result.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('drives single-series engines only', () => {
    const other = barsOf('V', closes.map((c) => [c, c, c, c] as const));
    const { engine } = createEngine({ ...input, series: [data, other] });
    expect(() => engine.stepBars(0, 1)).toThrow(/single-series engine; use step\(\) per timestamp/);
  });
});
