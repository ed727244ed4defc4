import { describe, expect, it } from 'vitest';
import { makeBarSeries } from '../engine/bars.js';
import { runBacktest } from '../engine/backtest.js';
import type { StrategyContext } from '../engine/context.js';
import type { RegimeRow } from '../engine/metrics/regime-metrics.js';
import { defineStrategy } from '../engine/strategy.js';
import type { Experiment } from './experiment.js';
import { choosePerRegime, playbookStrategy } from './playbook.js';
import type { GridRow } from './results-columns.js';

const row = (cell: number, fast: number): GridRow => ({ cell, params: { fast }, metrics: {} as GridRow['metrics'], digest: `d${cell}` });
const figures = (regime: string, trades: number, returnPct: number, sharpe: number | null): RegimeRow => ({
  regime, bars: 10, trades, winRatePct: 50, returnPct, sharpe, maxDrawdownPct: 5,
});
const experiment = (extra: Partial<Experiment>): Experiment => ({ ranking: { kind: 'metric', metric: 'sharpe', order: 'desc' }, filters: {}, ...extra }) as Experiment;

describe('choosePerRegime', () => {
  const rows = [row(0, 5), row(1, 10), row(2, 15)];
  const regimes = new Map<number, RegimeRow[]>([
    [0, [figures('vol:unknown', 0, 0, null), figures('vol:low', 4, 10, 1.5), figures('vol:high', 1, -5, -0.2), figures('trend:up', 5, 5, 1)]],
    [1, [figures('vol:unknown', 0, 0, null), figures('vol:low', 3, 12, 0.9), figures('vol:high', 3, 8, 0.7)]],
    [2, [figures('vol:unknown', 0, 0, null), figures('vol:low', 1, 30, 2.5), figures('vol:high', 2, 2, 0.1)]],
  ]);

  it('picks the best cell per vol regime by the mapped ranking, after the mapped filters', () => {
    // minTrades 2: cell 2 drops out in `low` (1 trade), cell 0 in `high` (1 trade).
    const { ranking, choices } = choosePerRegime(experiment({ filters: { minTrades: 2 } }), rows, regimes);
    expect(ranking).toBe('sharpe in the regime (desc)');
    expect(choices.map((c) => [c.regime, c.passed, c.cell])).toEqual([
      ['low', 2, 0],
      ['high', 2, 1],
    ]);
  });

  it('maps return rankings and composite scores, and falls back to Sharpe for unmapped metrics', () => {
    const byReturn = choosePerRegime(experiment({ ranking: { kind: 'metric', metric: 'totalReturnPct', order: 'desc' } }), rows, regimes);
    expect(byReturn.choices.map((c) => c.cell)).toEqual([2, 1]);
    const composite = choosePerRegime(experiment({ ranking: { kind: 'score', weights: { totalReturnPct: 0.25, sharpe: 8 } } }), rows, regimes);
    // low: cell 0 = 2.5 + 12 = 14.5, cell 1 = 3 + 7.2 = 10.2, cell 2 = 7.5 + 20 = 27.5.
    expect(composite.choices[0]!.cell).toBe(2);
    const unmapped = choosePerRegime(experiment({ ranking: { kind: 'metric', metric: 'profitFactor', order: 'desc' } }), rows, regimes);
    expect(unmapped.ranking).toContain('no per-regime figure');
    expect(unmapped.choices[0]!.cell).toBe(2);
  });
});

describe('playbookStrategy', () => {
  // Two vol regimes from a vix column: very_low (10) on steps 0–3, high (25) on steps 4–7.
  const prices = [100, 101, 102, 103, 104, 105, 106, 107];
  const p = Float64Array.from(prices);
  const bars = makeBarSeries({
    symbol: 'T',
    timeMs: Float64Array.from(prices, (_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000),
    open: p, high: p.map((v) => v + 1), low: p.map((v) => v - 1), close: Float64Array.from(p),
    extras: { vix: Float64Array.from([10, 10, 10, 10, 25, 25, 25, 25]) },
  });
  /** Buys `qty` whenever flat: its params tell the instances apart. */
  const buyer = defineStrategy({
    name: 'buyer', description: 'test', params: { qty: { type: 'int', default: 1, min: 1, max: 100, description: 'units' } },
    create: (params) => ({ onBar(ctx: StrategyContext): void { if (ctx.position() === 0) ctx.buy({ qty: params.qty, tag: `q${params.qty}` }); } }),
  });

  it('lets only the current regime\'s cell trade and closes out at a regime switch', () => {
    const strategy = playbookStrategy(buyer, new Map([['very_low', { qty: 1 }], ['high', { qty: 2 }]]));
    const r = runBacktest({ data: bars, strategy, options: { regimes: { vol: { source: 'column' } } } });
    const fills = r.events.flatMap((e) => (e.kind === 'OrderFilled' ? [[e.step, e.fill.side, e.fill.qty, e.fill.tag]] : []));
    // very_low: 1 unit bought at step 1; step 4 is high: close (filled at 5), then the high cell
    // buys 2 as soon as it sees the account flat (order at 5, fill at 6).
    expect(fills).toEqual([
      [1, 'buy', 1, 'q1'],
      [5, 'sell', 1, 'regime-switch'],
      [6, 'buy', 2, 'q2'],
    ]);
  });

  it('does not trade in a regime without a chosen cell', () => {
    const strategy = playbookStrategy(buyer, new Map([['high', { qty: 2 }]]));
    const r = runBacktest({ data: bars, strategy, options: { regimes: { vol: { source: 'column' } } } });
    const fills = r.events.flatMap((e) => (e.kind === 'OrderFilled' ? [[e.step, e.fill.side, e.fill.qty]] : []));
    expect(fills).toEqual([[5, 'buy', 2]]);
  });
});
