import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingKelly } from './kelly.js';
import { kellyFraction } from './sizing.js';

function kellyOf(trades: readonly number[], window: number, cap: number, minTrades?: number): RollingKelly {
  const kelly = new RollingKelly(window, cap, minTrades === undefined ? {} : { minTrades });
  for (const pnl of trades) kelly.addTrade(pnl);
  return kelly;
}

const repeat = (pnl: number, n: number): number[] => Array.from({ length: n }, () => pnl);

describe('RollingKelly', () => {
  it('6 wins of +2 and 4 losses of −1: p 0.6, b 2, Kelly 0.6 − 0.4 / 2 = 0.4, capped at 0.25', () => {
    const trades = [...repeat(2, 6), ...repeat(-1, 4)];
    expect(kellyOf(trades, 10, 0.25).fraction()).toBe(0.25);
    expect(kellyOf(trades, 10, 0.5).fraction()).toBeCloseTo(0.4, 12);
  });

  it('is 0 until minTrades trades are in the window (default 10)', () => {
    const kelly = new RollingKelly(20, 1);
    for (let k = 0; k < 9; k++) {
      kelly.addTrade(k % 2 === 0 ? 3 : -1);
      expect(kelly.fraction()).toBe(0);
    }
    kelly.addTrade(-1); // 10 trades: 5 wins of 3, 5 losses of 1 → 0.5 − 0.5 / 3 = 1/3
    expect(kelly.fraction()).toBeCloseTo(1 / 3, 12);
    expect(kellyOf([3, -1], 20, 1, 2).fraction()).toBeCloseTo(1 / 3, 12);
  });

  it('a window shorter than 10 lowers the default minTrades to the window', () => {
    // 3 wins of 1, 1 loss of 1: 0.75 − 0.25 / 1 = 0.5
    expect(kellyOf([1, 1, -1, 1], 4, 1).fraction()).toBeCloseTo(0.5, 12);
  });

  it('only the last `window` trades count', () => {
    // Window 4 over [−5, −5, 2, 2, 2, −1]: the last four are 2, 2, 2, −1 → p 0.75, b 2 → 0.75 − 0.25 / 2 = 0.625
    const kelly = kellyOf([-5, -5, 2, 2, 2, -1], 4, 1, 4);
    expect(kelly.trades).toBe(4);
    expect(kelly.fraction()).toBeCloseTo(0.625, 12);
    // Three more losses of −1 push out the first three wins: 2, −1, −1, −1 → p 0.25, b 2 → 0.25 − 0.75 / 2 < 0 → 0
    for (let k = 0; k < 3; k++) kelly.addTrade(-1);
    expect(kelly.fraction()).toBe(0);
  });

  it('no losses: Kelly is the win rate; no wins or all break-even: 0', () => {
    // 8 wins, 2 break-even (count as trades, not wins): p 0.8, b ∞ → 0.8
    expect(kellyOf([...repeat(1, 8), 0, 0], 10, 1).fraction()).toBeCloseTo(0.8, 12);
    expect(kellyOf(repeat(-1, 10), 10, 1).fraction()).toBe(0);
    expect(kellyOf(repeat(0, 10), 10, 1).fraction()).toBe(0);
  });

  it('rejects bad configuration and non-finite P&L, naming the field', () => {
    expect(() => new RollingKelly(0, 0.5)).toThrow(/window/);
    expect(() => new RollingKelly(2.5, 0.5)).toThrow(/window/);
    expect(() => new RollingKelly(10, -0.1)).toThrow(/cap/);
    expect(() => new RollingKelly(10, 0.5, { minTrades: 11 })).toThrow(/minTrades/);
    expect(() => new RollingKelly(10, 0.5, { minTrades: 0 })).toThrow(/minTrades/);
    expect(() => new RollingKelly(10, 0.5).addTrade(Number.NaN)).toThrow(/pnl/);
  });

  it('property: equals kellyFraction recomputed from the last `window` trades', () => {
    // Realistic P&Ls: whole cents up to ±1 000 000.00, and break-evens.
    const pnl = fc.oneof(fc.constant(0), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1e8, max: 1e8 }).map((cents) => cents / 100));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(pnl, { maxLength: 60 }),
        (window, cap, trades) => {
          const kelly = new RollingKelly(window, cap, { minTrades: 1 });
          trades.forEach((p, k) => {
            kelly.addTrade(p);
            const last = trades.slice(Math.max(0, k + 1 - window), k + 1);
            const wins = last.filter((x) => x > 0);
            const losses = last.filter((x) => x < 0);
            let expected = 0;
            if (wins.length > 0) {
              const avgWin = wins.reduce((a, b) => a + b, 0) / wins.length;
              const avgLoss = losses.length === 0 ? 0 : -losses.reduce((a, b) => a + b, 0) / losses.length;
              expected = kellyFraction({ winRate: wins.length / last.length, payoff: avgLoss === 0 ? Number.POSITIVE_INFINITY : avgWin / avgLoss, cap });
            }
            expect(kelly.trades).toBe(last.length);
            expect(kelly.fraction()).toBeCloseTo(expected, 6);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tiny P&Ls next to huge ones: removing the huge one keeps the tiny ones (no NaN, no throw)', () => {
    // Window 3 over [−1, 1, −5e−324, 5e−324]: the −1 leaves; plain running sums would round both
    // the loss sum and the win sum to 0 (payoff 0 / 0). Left: 1, −5e−324, 5e−324 → p 2/3,
    // avg win 0.5, avg loss 5e−324 → Kelly 2/3 − (1/3) / 1e323… = 2/3.
    expect(kellyOf([-1, 1, -5e-324, 5e-324], 3, 1, 1).fraction()).toBeCloseTo(2 / 3, 12);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true }), { maxLength: 40 }), (window, trades) => {
        const kelly = new RollingKelly(window, 0.5, { minTrades: 1 });
        for (const p of trades) {
          kelly.addTrade(p);
          const f = kelly.fraction();
          expect(f >= 0 && f <= 0.5).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('RollingKelly scale (half-Kelly)', () => {
  it('scales the full Kelly fraction before the cap: 6 × +2, 4 × −1 → Kelly 0.4, half 0.2 (under the cap 0.25)', () => {
    const half = new RollingKelly(10, 0.25, { scale: 0.5 });
    for (let i = 0; i < 6; i++) half.addTrade(2);
    for (let i = 0; i < 4; i++) half.addTrade(-1);
    expect(half.fraction()).toBeCloseTo(0.2, 12);
    const capped = new RollingKelly(10, 0.15, { scale: 0.5 });
    for (let i = 0; i < 6; i++) capped.addTrade(2);
    for (let i = 0; i < 4; i++) capped.addTrade(-1);
    expect(capped.fraction()).toBe(0.15);
  });

  it('rejects a scale outside (0, 1]', () => {
    expect(() => new RollingKelly(10, 0.25, { scale: 0 })).toThrow('scale must be in (0, 1]');
    expect(() => new RollingKelly(10, 0.25, { scale: 1.5 })).toThrow('scale must be in (0, 1]');
  });
});
