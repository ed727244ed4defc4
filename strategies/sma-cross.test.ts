import { describe, expect, it } from 'vitest';
import { day, loadSp500, relative } from './test-support.js';
import { runBacktest } from '../engine/backtest.js';
import { smaCross } from './sma-cross.js';


describe('sma-cross golden (bundled S&P 500, fast 10, slow 30, 100000 cash)', () => {
  const bars = loadSp500();

  it('matches backtrader / backtesting.py / vectorbt with no commission', () => {
    const r = runBacktest({ data: bars, strategy: smaCross, params: { fast: 10, slow: 30 }, options: { initialCapital: 100_000 } });
    expect(r.metrics.tradesClosed).toBe(87);
    expect(r.metrics.tradesOpen).toBe(1);
    expect(relative(r.metrics.finalEquity, 164_421.015164)).toBeLessThan(1e-9);
    expect(r.metrics.maxDrawdownPct.toFixed(2)).toBe('29.39');
    expect(r.metrics.sharpe.toFixed(4)).toBe('0.2829');
    const [t1, t2] = r.trades;
    expect([day(t1!.entryTimeMs), day(t1!.exitTimeMs), t1!.qty]).toEqual(['2000-03-17', '2000-04-19', 68]);
    expect([day(t2!.entryTimeMs), day(t2!.exitTimeMs), t2!.qty]).toEqual(['2000-06-08', '2000-08-01', 67]);
    // Pinned digest of the trade log and equity curve (digest form v3): any change to a fill,
    // a fee or an equity value on any bar changes it.
    expect(r.digest).toBe('954145c3c7689555c7aeb7b74bf7f53b35ca950517941165ce480f068520a23b');
  });

  it('matches them with 0.1% commission per side', () => {
    const r = runBacktest({
      data: bars,
      strategy: smaCross,
      params: { fast: 10, slow: 30 },
      options: { initialCapital: 100_000, costs: { commissionRate: 0.001 } },
    });
    expect(r.metrics.tradesClosed).toBe(87);
    expect(r.metrics.tradesOpen).toBe(1);
    expect(relative(r.metrics.finalEquity, 137_507.008197)).toBeLessThan(1e-9);
    expect(r.metrics.maxDrawdownPct.toFixed(2)).toBe('31.21');
    expect(r.metrics.sharpe.toFixed(4)).toBe('0.2007');
    expect(r.trades[0]!.qty).toBe(68);
    expect(r.trades[1]!.qty).toBe(66);
    expect(r.digest).toBe('f9ddb41aa9a4fa2b20275668e620a583be8c24841eba23059679b1923d9ac1b8');
  });

  it('streams the same statistics and digest without keeping series or events', () => {
    const full = runBacktest({ data: bars, strategy: smaCross, params: { fast: 10, slow: 30 }, options: { costs: { commissionRate: 0.001 } } });
    const lean = runBacktest({
      data: bars,
      strategy: smaCross,
      params: { fast: 10, slow: 30 },
      options: { costs: { commissionRate: 0.001 } },
      keepSeries: false,
      keepEvents: false,
    });
    expect(lean.series).toBeUndefined();
    expect(lean.events).toEqual([]);
    expect(lean.metrics).toEqual(full.metrics);
    expect(lean.grossMetrics).toEqual(full.grossMetrics);
    expect(lean.digest).toBe(full.digest);
  });
});
