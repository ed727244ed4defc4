/**
 * Portfolio accounting on hand-made fills: cash, positions, FIFO lots, average price, realized and
 * unrealized P&L, costs and the contract multiplier.
 */
import { describe, expect, it } from 'vitest';
import type { Fill } from './fill.js';
import { equity } from './instrument.js';
import { Portfolio } from './portfolio.js';
import { barsOf, fillsOf, runScript } from './test-support.js';

let nextOrderId = 1;
function fill(side: 'buy' | 'sell', qty: number, price: number, extra: Partial<Fill> = {}): Fill {
  return {
    orderId: nextOrderId++,
    instrumentId: 'A',
    side,
    qty,
    price,
    slippage: 0,
    fee: 0,
    timeMs: 0,
    step: 0,
    tag: '',
    ...extra,
  };
}

function portfolio(capital = 100_000, spec: Parameters<typeof equity>[1] = {}): Portfolio {
  return new Portfolio([equity('A', spec)], capital);
}

describe('Portfolio: long positions', () => {
  it('a buy moves cash by the paid price and fee; equity marks the position', () => {
    const p = portfolio();
    // Buy 10 at 100 with slippage 0.1/unit and fee 1: cash 100 000 − 10 × 100.1 − 1 = 98 998.
    p.applyFill(0, fill('buy', 10, 100, { slippage: 0.1, fee: 1 }));
    expect(p.cash).toBeCloseTo(98_998, 9);
    expect(p.qty[0]).toBe(10);
    // No mark yet → the fill price becomes the mark: equity 98 998 + 10 × 100 = 99 998.
    expect(p.mark[0]).toBe(100);
    expect(p.equity()).toBeCloseTo(99_998, 9);
    p.markTo(0, 105);
    expect(p.equity()).toBeCloseTo(100_048, 9);
    expect(p.grossExposure()).toBe(1050);
    expect(p.feesPaid).toBe(1);
    expect(p.slippagePaid).toBeCloseTo(1, 12);
    expect(p.tradedValue).toBe(1000);
    expect(p.openPositions).toBe(1);
    // Unrealized: gross (105 − 100) × 10 = 50; pnl 50 − 1 (fee) − 1 (slippage) = 48.
    const [open] = p.openTrades();
    expect(open).toMatchObject({ side: 'long', qty: 10, entryPrice: 100, exitPrice: 105, grossPnl: 50, fees: 1, open: true });
    expect(open!.pnl).toBeCloseTo(48, 10);
    expect(p.realizedPnl()).toBe(0);
  });

  it('FIFO partial closes: the oldest lot closes first; average price of what is left', () => {
    const p = portfolio();
    p.applyFill(0, fill('buy', 10, 100, { fee: 2, timeMs: 1, step: 1, tag: 'first' }));
    p.applyFill(0, fill('buy', 10, 110, { fee: 4, timeMs: 2, step: 2, tag: 'second' }));
    // Average of 10 @ 100 and 10 @ 110 = 105.
    expect(p.averagePrice(0)).toBe(105);
    // Sell 15 at 120, fee 3 (0.2 per unit).
    p.applyFill(0, fill('sell', 15, 120, { fee: 3, timeMs: 3, step: 3, tag: 'exit' }));
    expect(p.qty[0]).toBe(5);
    expect(p.averagePrice(0)).toBe(110);
    // Lot 1: 10 × (120 − 100) = 200 gross; fees 10 × 0.2 (entry) + 10 × 0.2 (exit) = 4 → pnl 196.
    // Lot 2 (5 of 10): 5 × (120 − 110) = 50 gross; fees 5 × 0.4 + 5 × 0.2 = 3 → pnl 47.
    const round = (x: number) => Math.round(x * 1e9) / 1e9;
    expect(p.closedTrades.map((t) => [t.qty, t.entryPrice, t.exitPrice, t.grossPnl, round(t.fees), round(t.pnl), t.entryTag, t.exitTag, t.entryStep, t.exitStep])).toEqual([
      [10, 100, 120, 200, 4, 196, 'first', 'exit', 1, 3],
      [5, 110, 120, 50, 3, 47, 'second', 'exit', 2, 3],
    ]);
    expect(p.realizedPnl()).toBeCloseTo(243, 10);
    // The 5 left keep their share of the entry fee: 5 × 0.4 = 2.
    p.markTo(0, 120);
    expect(p.openTrades()).toEqual([expect.objectContaining({ qty: 5, entryPrice: 110, grossPnl: 50, fees: 2, pnl: 48 })]);
    // Cash: 100 000 − 1000 − 2 − 1100 − 4 + 1800 − 3 = 99 691; equity 99 691 + 5 × 120 = 100 291
    // = initial + realized 243 + unrealized 48.
    expect(p.cash).toBe(99_691);
    expect(p.equity()).toBe(100_291);
  });

  it('a sell larger than the position flips it: the remainder opens a short lot', () => {
    const p = portfolio();
    p.applyFill(0, fill('buy', 10, 100));
    p.applyFill(0, fill('sell', 30, 90, { fee: 3 }));
    // Close 10: (90 − 100) × 10 = −100, exit fee 10 × 0.1 = 1 → −101. Open short 20 @ 90 with fee 2.
    expect(p.closedTrades.map((t) => [t.side, t.qty, t.pnl])).toEqual([['long', 10, -101]]);
    expect(p.qty[0]).toBe(-20);
    expect(p.averagePrice(0)).toBe(90);
    expect(p.openPositions).toBe(1);
    p.applyFill(0, fill('buy', 20, 80));
    // Short 20 from 90 to 80: +200 gross, −2 entry fee → 198.
    expect(p.closedTrades.at(-1)).toMatchObject({ side: 'short', qty: 20, entryPrice: 90, exitPrice: 80, grossPnl: 200, fees: 2, pnl: 198 });
    expect(p.qty[0]).toBe(0);
    expect(p.openPositions).toBe(0);
    expect(p.averagePrice(0)).toBeNaN();
    expect(p.openTrades()).toEqual([]);
  });
});

describe('Portfolio: short positions', () => {
  it('a short sale adds cash; the position is negative; equity falls as the price rises', () => {
    const p = portfolio();
    p.applyFill(0, fill('sell', 10, 100, { slippage: 0.05 }));
    // Received 10 × 99.95 = 999.5 → cash 100 999.5; equity 100 999.5 − 10 × 100 = 99 999.5.
    expect(p.cash).toBeCloseTo(100_999.5, 9);
    expect(p.qty[0]).toBe(-10);
    expect(p.equity()).toBeCloseTo(99_999.5, 9);
    p.markTo(0, 110);
    expect(p.equity()).toBeCloseTo(99_899.5, 9);
    expect(p.grossExposure()).toBe(1100);
    const [open] = p.openTrades();
    // (100 − 110) × 10 = −100 gross; slippage 0.5 → −100.5.
    expect(open).toMatchObject({ side: 'short', grossPnl: -100, slippageCost: 0.5, pnl: -100.5 });
  });

  it('partial covers close the short lots FIFO', () => {
    const p = portfolio();
    p.applyFill(0, fill('sell', 5, 100));
    p.applyFill(0, fill('sell', 5, 96));
    expect(p.averagePrice(0)).toBe(98);
    p.applyFill(0, fill('buy', 7, 90));
    // 5 × (100 − 90) = 50 and 2 × (96 − 90) = 12.
    expect(p.closedTrades.map((t) => [t.qty, t.pnl])).toEqual([
      [5, 50],
      [2, 12],
    ]);
    expect(p.qty[0]).toBe(-3);
    expect(p.averagePrice(0)).toBe(96);
  });
});

describe('Portfolio: multiplier and several instruments', () => {
  it('the multiplier scales cash, P&L and exposure', () => {
    const p = new Portfolio([equity('A'), equity('ES', { multiplier: 50 })], 1_000_000);
    p.applyFill(1, fill('buy', 2, 4000, { instrumentId: 'ES', slippage: 0.25, fee: 4 }));
    // Cash 1 000 000 − 2 × 4000.25 × 50 − 4 = 599 971.
    expect(p.cash).toBe(599_971);
    expect(p.equity()).toBe(599_971 + 400_000);
    p.markTo(1, 4010);
    expect(p.grossExposure()).toBe(401_000);
    p.applyFill(1, fill('sell', 2, 4010, { instrumentId: 'ES', fee: 4 }));
    // Gross 10 × 2 × 50 = 1000; slippage 0.25 × 2 × 50 = 25; fees 8 → 967.
    expect(p.closedTrades[0]).toMatchObject({ instrumentId: 'ES', grossPnl: 1000, slippageCost: 25, fees: 8, pnl: 967 });
    expect(p.equity()).toBe(1_000_967);
    expect(p.tradedValue).toBe(2 * 4000 * 50 + 2 * 4010 * 50);
  });

  it('positions in several instruments: equity sums them; openPositions counts them', () => {
    const p = new Portfolio([equity('A'), equity('B')], 10_000);
    p.applyFill(0, fill('buy', 10, 100));
    p.applyFill(1, fill('sell', 20, 50, { instrumentId: 'B' }));
    expect(p.openPositions).toBe(2);
    p.markTo(0, 101);
    p.markTo(1, 49);
    // Cash 10 000 − 1000 + 1000 = 10 000; equity 10 000 + 10 × 101 − 20 × 49 = 10 030.
    expect(p.equity()).toBe(10_030);
    expect(p.grossExposure()).toBe(1010 + 980);
  });
});

describe('Portfolio: fractional lots', () => {
  it('closing fractional lots leaves exactly flat (no float dust position)', () => {
    const p = portfolio(100_000, { lotSize: 0.1 });
    p.applyFill(0, fill('buy', 0.1, 100));
    p.applyFill(0, fill('buy', 0.2, 100));
    p.applyFill(0, fill('sell', 0.3, 110)); // 0.1 + 0.2 − 0.3 = 5.55e-17 in floats
    expect(p.qty[0]).toBe(0);
    expect(p.openPositions).toBe(0);
    expect(p.openTrades()).toEqual([]);
    expect(p.closedTrades.map((t) => t.qty)).toEqual([0.1, 0.2]);
    expect(p.realizedPnl()).toBeCloseTo(3, 10);
  });

  it('end to end: a round trip in 0.1 lots ends flat', () => {
    const bars = barsOf('A', [
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [110, 110, 110, 110],
      [110, 110, 110, 110],
    ]);
    const positions: number[] = [];
    const { result } = runScript(
      bars,
      { 0: [{ submit: { side: 'buy', qty: 0.1 } }], 1: [{ submit: { side: 'buy', qty: 0.2 } }], 2: [{ closePosition: true }] },
      { instruments: { A: { lotSize: 0.1 } } },
      { onBar: (ctx) => positions.push(ctx.position()) },
    );
    expect(fillsOf(result).map((f) => f.side)).toEqual(['buy', 'buy', 'sell']);
    expect(positions.at(-1)).toBe(0);
    expect(result.trades.every((t) => !t.open)).toBe(true);
    expect(result.metrics.tradesOpen).toBe(0);
  });
});
