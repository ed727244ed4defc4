import { describe, expect, it } from 'vitest';
import type { BarSeries } from '../engine/bars.js';
import { Engine } from '../engine/engine.js';
import { resolveEngineConfig, type EngineOptions } from '../engine/engine-config.js';
import { equity } from '../engine/instrument.js';
import type { StrategyDefinition } from '../engine/strategy.js';
import { barsOf, scriptedStrategy, type Script } from '../engine/test-support.js';
import { smaCross } from '../strategies/sma-cross.js';
import { loadSp500 } from '../strategies/test-support.js';
import { AlertTracker } from './alert-tracker.js';
import type { Alert } from './alerts.js';

/** Steps an engine over one series as the paper session does, taking alerts after every step. */
function track(bars: BarSeries, strategy: StrategyDefinition, params: Record<string, unknown>, run: { options?: EngineOptions; discardRead?: boolean; warmup?: number } = {}) {
  const config = resolveEngineConfig(run.options);
  const engine = new Engine(config, [equity(bars.symbol)], [bars], strategy.create(params as never), { keepSeries: false, keepEvents: true });
  engine.start();
  const view = engine.views[0]!;
  const step = (i: number): void => {
    view.index = i;
    view.updated = true;
    engine.step(bars.timeMs[i]!);
  };
  const warmup = run.warmup ?? 0;
  for (let i = 0; i < warmup; i++) step(i);
  const tracker = new AlertTracker(engine, { discardRead: run.discardRead ?? false });
  const alerts: Alert[] = [];
  let maxEvents = 0;
  for (let i = warmup; i < bars.length; i++) {
    step(i);
    maxEvents = Math.max(maxEvents, engine.events.length);
    alerts.push(...tracker.take());
  }
  return { engine, alerts, maxEvents };
}

describe('AlertTracker over a running engine', () => {
  it('sma-cross long and short: one OPPORTUNITY per entry, one EXIT per closed trade with its gross P&L', () => {
    const data = loadSp500();
    const { engine, alerts } = track(data, smaCross as unknown as StrategyDefinition, { fast: 10, slow: 30, longOnly: false });
    const trades = engine.portfolio.closedTrades;
    const open = engine.portfolio.openTrades();
    const count = (kind: string): number => alerts.filter((a) => a.kind === kind).length;
    expect(trades.length).toBeGreaterThan(10);
    expect(count('EXIT')).toBe(trades.length);
    expect(count('FILL')).toBe(trades.length + open.length);
    // Flips are a close-position order (no alert) plus an equity-fraction entry (an OPPORTUNITY).
    expect(count('OPPORTUNITY')).toBe(trades.length + open.length);
    const exitPnl = alerts.filter((a) => a.kind === 'EXIT').map((a) => a.data?.['grossPnl'] as number);
    exitPnl.forEach((pnl, k) => expect(pnl).toBeCloseTo(trades[k]!.grossPnl, 6));
    expect(alerts.every((a, k) => k === 0 || a.step >= alerts[k - 1]!.step)).toBe(true);
  });

  const bracketBars = barsOf('SPX', [[100, 101, 99, 100], [100, 101, 99, 100], [100, 106, 99, 105], [105, 106, 104, 105], [105, 106, 104, 105]]);
  const bracket: Script = { 0: [{ bracket: { side: 'buy', qty: 10, takeProfit: 104, stopLoss: 95, tag: 'entry' } }] };

  it('a bracket: the entry is the only OPPORTUNITY, its take-profit an EXIT at target', () => {
    const { alerts } = track(bracketBars, scriptedStrategy(bracket).definition, {});
    expect(alerts.map((a) => [a.step, a.kind, a.reason, a.message])).toEqual([
      [0, 'OPPORTUNITY', undefined, 'buy 10 SPX market (entry)'],
      [1, 'FILL', undefined, 'bought 10 SPX @ 100 (entry), stop 95; position 10'],
      [2, 'EXIT', 'target', 'sold 10 SPX @ 104 — target (take-profit), flat; P&L +40.00'],
    ]);
  });

  it('starts from the position left by the warm-up, whose events are not alerted', () => {
    const { alerts } = track(bracketBars, scriptedStrategy(bracket).definition, {}, { warmup: 2 });
    expect(alerts.map((a) => [a.step, a.kind, a.message])).toEqual([[2, 'EXIT', 'sold 10 SPX @ 104 — target (take-profit), flat; P&L +40.00']]);
  });

  it('discardRead keeps the event log empty between takes', () => {
    const data = loadSp500();
    const kept = track(data, smaCross as unknown as StrategyDefinition, { fast: 10, slow: 30 });
    const discarded = track(data, smaCross as unknown as StrategyDefinition, { fast: 10, slow: 30 }, { discardRead: true });
    expect(discarded.engine.events).toHaveLength(0);
    expect(discarded.maxEvents).toBeLessThan(10);
    expect(discarded.alerts).toEqual(kept.alerts);
  });
});
