import { describe, expect, it } from 'vitest';
import type { Trade } from '../trade.js';
import { tradeReturnPct, tradeStatistics } from './trade-stats.js';

interface TradeSpec {
  side?: 'long' | 'short';
  qty?: number;
  entryPrice?: number;
  exitPrice?: number;
  grossPnl: number;
  fees?: number;
  open?: boolean;
}

function trade(spec: TradeSpec): Trade {
  const fees = spec.fees ?? 0;
  const open = spec.open ?? false;
  return {
    instrumentId: 'AAA',
    side: spec.side ?? 'long',
    qty: spec.qty ?? 10,
    entryTimeMs: 0,
    exitTimeMs: open ? undefined : 86_400_000,
    entryPrice: spec.entryPrice ?? 100,
    exitPrice: spec.exitPrice ?? 100,
    pnl: spec.grossPnl - fees,
    grossPnl: spec.grossPnl,
    fees,
    slippageCost: 0,
    entryStep: 0,
    exitStep: open ? undefined : 1,
    entryTag: 'entry',
    exitTag: open ? undefined : 'exit',
    open,
  };
}

// 1: long 10 @ 100 → 110, gross 100, fees 2 → net 98 (win)
// 2: long 10 @ 100 → 95, gross −50, fees 2 → net −52 (loss)
// 3: short 5 @ 200 → 160, gross 200, fees 4 → net 196 (win)
// 4: long 10 @ 50 → 50.2, gross 2, fees 2 → net 0 (break-even)
// 5: open, unrealized 1000 (ignored except for tradesOpen)
const trades: Trade[] = [
  trade({ exitPrice: 110, grossPnl: 100, fees: 2 }),
  trade({ exitPrice: 95, grossPnl: -50, fees: 2 }),
  trade({ side: 'short', qty: 5, entryPrice: 200, exitPrice: 160, grossPnl: 200, fees: 4 }),
  trade({ entryPrice: 50, exitPrice: 50.2, grossPnl: 2, fees: 2 }),
  trade({ exitPrice: 200, grossPnl: 1000, open: true }),
];

describe('tradeStatistics', () => {
  it('summarizes closed trades by net P&L', () => {
    const s = tradeStatistics(trades);
    expect(s.tradesClosed).toBe(4);
    expect(s.tradesOpen).toBe(1);
    // 2 wins of 4 closed (the break-even trade is not a win)
    expect(s.winRatePct).toBe(50);
    // (98 + 196) / 52 = 294 / 52
    expect(s.profitFactor).toBeCloseTo(294 / 52, 12);
    // (98 − 52 + 196 + 0) / 4 = 60.5
    expect(s.expectancy).toBeCloseTo(60.5, 12);
    expect(s.avgWin).toBeCloseTo(147, 12);
    expect(s.avgLoss).toBe(-52);
    expect(s.bestTrade).toBe(196);
    expect(s.worstTrade).toBe(-52);
    // trade 1: notional 100 × 10 = 1000 → 98 / 1000 = 9.8 %; trade 3: 200 × 5 = 1000 → 19.6 %
    expect(s.avgWinPct).toBeCloseTo(14.7, 10);
    // deviations from 60.5: 37.5, −112.5, 135.5, −60.5 → squares sum 36083 → /3
    expect(s.sqn).toBeCloseTo((2 * 60.5) / Math.sqrt(36083 / 3), 12);
  });

  it('is all zeros without trades', () => {
    const s = tradeStatistics([]);
    expect(s).toEqual({
      tradesClosed: 0,
      tradesOpen: 0,
      winRatePct: 0,
      profitFactor: 0,
      expectancy: 0,
      avgWin: 0,
      avgLoss: 0,
      bestTrade: 0,
      worstTrade: 0,
      sqn: 0,
    });
    expect('avgWinPct' in s).toBe(false);
  });

  it('reports an unbounded profit factor as null when every trade wins', () => {
    const s = tradeStatistics([trade({ exitPrice: 101, grossPnl: 10 }), trade({ exitPrice: 102, grossPnl: 20 })]);
    expect(s.profitFactor).toBeNull();
    expect(s.winRatePct).toBe(100);
    expect(s.avgLoss).toBe(0);
    // 10 / 1000 = 1 %, 20 / 1000 = 2 % → 1.5 %
    expect(s.avgWinPct).toBeCloseTo(1.5, 12);
    expect(JSON.parse(JSON.stringify(s)).profitFactor).toBeNull();
  });

  it('has a profit factor of 0 when nothing is won', () => {
    expect(tradeStatistics([trade({ exitPrice: 90, grossPnl: -100 })]).profitFactor).toBe(0);
    expect(tradeStatistics([trade({ grossPnl: 0 })]).profitFactor).toBe(0);
  });
});

describe('tradeReturnPct', () => {
  it('recovers the entry notional including the multiplier', () => {
    // ES-like: 2 contracts × 50 × 4000 = 400 000 notional; +10 points → gross 1000, fees 10
    const t = trade({ qty: 2, entryPrice: 4000, exitPrice: 4010, grossPnl: 1000, fees: 10 });
    expect(tradeReturnPct(t)).toBeCloseTo((990 / 400_000) * 100, 12);
    expect(tradeReturnPct(trade({ grossPnl: 0, fees: 1 }))).toBeUndefined();
  });
});
