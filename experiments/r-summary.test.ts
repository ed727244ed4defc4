import { describe, expect, it } from 'vitest';
import type { Trade } from '../engine/trade.js';
import { rSummary } from './run-json.js';

const trade = (pnl: number, initialRisk: number | undefined, open = false): Trade =>
  ({ pnl, initialRisk, open }) as unknown as Trade;

describe('rSummary', () => {
  it('adds up R over closed trades with a known entry risk: +2R, −1R, +0.5R → 1.5R in 3 trades', () => {
    const trades = [trade(200, 100), trade(-50, 50), trade(25, 50), trade(999, undefined), trade(300, 100, true)];
    expect(rSummary(trades)).toEqual({ trades: 3, totalR: 1.5, averageR: 0.5 });
  });

  it('has no average without such trades', () => {
    expect(rSummary([trade(10, undefined)])).toEqual({ trades: 0, totalR: 0, averageR: null });
  });
});
