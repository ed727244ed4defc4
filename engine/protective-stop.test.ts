import { describe, expect, it } from 'vitest';
import { makeBarSeries } from './bars.js';
import { runBacktest } from './backtest.js';
import type { StrategyContext } from './context.js';
import { defineStrategy } from './strategy.js';

const DAY_MS = 86_400_000;
const prices = [100, 100, 110, 110];
const bars = makeBarSeries({
  symbol: 'TEST',
  timeMs: Float64Array.from(prices, (_, i) => Date.UTC(2024, 0, 1) + i * DAY_MS),
  open: Float64Array.from(prices),
  high: Float64Array.from(prices, (p) => p + 1),
  low: Float64Array.from(prices, (p) => p - 1),
  close: Float64Array.from(prices),
});

/** Buys 10 at step 0 with a separately managed stop at `stop`, sells everything at step 2. */
const entryWithStop = (stop: number) =>
  defineStrategy({
    name: 'entry-with-stop',
    description: 'test',
    params: {},
    create: () => ({
      onBar(ctx: StrategyContext): void {
        if (ctx.step === 0) ctx.buy({ qty: 10, protectiveStop: stop, tag: 'entry' });
        if (ctx.step === 2) ctx.closePosition(undefined, 'exit');
      },
    }),
  });

describe('OrderRequest.protectiveStop', () => {
  it('records the entry risk on the trade: 10 × (100 − 95) = 50, so +100 P&L is 2R', () => {
    const r = runBacktest({ data: bars, strategy: entryWithStop(95) });
    const trade = r.trades[0]!;
    expect([trade.entryPrice, trade.exitPrice, trade.pnl, trade.initialRisk]).toEqual([100, 110, 100, 50]);
  });

  it('rejects a stop that is not a price', () => {
    const r = runBacktest({ data: bars, strategy: entryWithStop(-1) });
    const rejected = r.events.filter((e) => e.kind === 'OrderRejected');
    expect(rejected.map((e) => (e.kind === 'OrderRejected' ? e.reason : ''))).toEqual(['protectiveStop must be a price > 0, was -1']);
  });
});
