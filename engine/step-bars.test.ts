import { describe, expect, it } from 'vitest';
import { smaCross } from '../strategies/sma-cross.js';
import { createEngine, finishRun, runBacktest } from './backtest.js';
import { barsOf } from './test-support.js';

// 400 daily bars of a wave with a drift: enough crosses of 5/20 for several trades.
const closes = Array.from({ length: 400 }, (_, i) => 100 + 10 * Math.sin(i / 9) + i * 0.05);
const data = barsOf(
  'W',
  closes.map((c, i) => [i === 0 ? c : closes[i - 1]!, c + 1, Math.min(c, i === 0 ? c : closes[i - 1]!) - 1, c] as const),
);
const input = { series: [data], strategy: smaCross, params: { fast: 5, slow: 20 }, options: { costs: { commissionRate: 0.001 } } };

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

  it('drives single-series engines only', () => {
    const other = barsOf('V', closes.map((c) => [c, c, c, c] as const));
    const { engine } = createEngine({ ...input, series: [data, other] });
    expect(() => engine.stepBars(0, 1)).toThrow(/single-series engine; use step\(\) per timestamp/);
  });
});
