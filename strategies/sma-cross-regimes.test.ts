import { describe, expect, it } from 'vitest';
import { runBacktest } from '../engine/backtest.js';
import { smaCross } from './sma-cross.js';
import { loadSp500 } from './test-support.js';

describe('per-regime statistics on the bundled S&P 500 data', () => {
  it('compound to the run: Π (1 + return) over the vol regimes = final ÷ initial equity', async () => {
    const bars = await loadSp500();
    const r = runBacktest({ data: bars, strategy: smaCross, params: { fast: 10, slow: 180 }, options: { regimes: {} } });
    // Classification changes nothing about the run itself (the pinned 270,848.54 of this cell).
    expect(r.metrics.finalEquity.toFixed(2)).toBe('270848.54');
    for (const rows of [r.regimes!.vol, r.regimes!.trend]) {
      const product = rows.reduce((p, row) => p * (1 + row.returnPct / 100), 1);
      expect(product).toBeCloseTo(r.metrics.finalEquity / 100_000, 9);
      expect(rows.reduce((n, row) => n + row.bars, 0)).toBe(bars.length);
      expect(rows.reduce((n, row) => n + row.trades, 0)).toBe(r.metrics.tradesClosed);
    }
  });
});
