import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BarSeries } from '../engine/bars.js';
import { runBacktest, type BacktestResult } from '../engine/backtest.js';
import type { Metrics } from '../engine/metrics/index.js';
import type { Trade } from '../engine/trade.js';
import { synthBars } from '../data/synth.js';
import { smaCross } from '../strategies/sma-cross.js';
import { loadSp500 } from '../strategies/test-support.js';
import { floorSmaCross } from './floor.js';
import { floorSmaCrossFull, type FloorFullResult } from './floor-full.js';
import { tradeRows } from './floor-full-finish.js';

interface Case {
  readonly fast: number;
  readonly slow: number;
  readonly commissionRate: number;
  readonly initialCapital?: number;
  readonly riskFreeRate?: number;
}

function engine(bars: BarSeries, c: Case, keepDailyEquity = false): BacktestResult {
  return runBacktest({
    data: bars,
    strategy: smaCross,
    params: { fast: c.fast, slow: c.slow, longOnly: true },
    options: {
      initialCapital: c.initialCapital ?? 100_000,
      costs: c.commissionRate > 0 ? { commissionRate: c.commissionRate } : {},
      ...(c.riskFreeRate === undefined ? {} : { riskFreeRate: c.riskFreeRate }),
    },
    keepSeries: false,
    keepEvents: false,
    keepDailyEquity,
  });
}

function floor(bars: BarSeries, c: Case, keepDayEnds = false): FloorFullResult {
  return floorSmaCrossFull({
    open: bars.open,
    close: bars.close,
    timeMs: bars.timeMs,
    symbol: bars.symbol,
    fast: c.fast,
    slow: c.slow,
    initialCapital: c.initialCapital ?? 100_000,
    commissionRate: c.commissionRate,
    ...(c.riskFreeRate === undefined ? {} : { riskFreeRate: c.riskFreeRate }),
    keepDayEnds,
  });
}

/** Names of the fields of `a` and `b` that differ (Object.is; every key of either). */
function differingMetrics(a: Metrics, b: Metrics): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Metrics>;
  return [...keys].filter((k) => !Object.is(a[k], b[k])).map((k) => `${k}: ${String(a[k])} vs ${String(b[k])}`);
}

/** Trades as independent plain objects (copied as they come: the floor yields one reused row). */
function plain(trades: Iterable<Trade>): Trade[] {
  const out: Trade[] = [];
  for (const t of trades) out.push({ ...t });
  return out;
}

/** Asserts the floor computed exactly what the engine's lean run returns. */
function expectSameOutputs(label: string, bars: BarSeries, c: Case): FloorFullResult {
  const e = engine(bars, c);
  const f = floor(bars, c);
  expect(f.digest, `${label}: digest`).toBe(e.digest);
  expect(differingMetrics(f.metrics, e.metrics), `${label}: metrics`).toEqual([]);
  expect(differingMetrics(f.grossMetrics, e.grossMetrics), `${label}: gross metrics`).toEqual([]);
  expect(plain(tradeRows(f.symbol, f.trades)), `${label}: trades`).toEqual(plain(e.trades));
  return f;
}

const sp500 = loadSp500();

describe('floorSmaCrossFull computes what the engine lean run returns (bit for bit)', () => {
  it('on the S&P 500 sample, without and with commission', () => {
    const f = expectSameOutputs('S&P 500', sp500, { fast: 10, slow: 30, commissionRate: 0 });
    expect(f.trades.closed).toBe(87);
    expect(f.trades.count).toBe(88);
    expect(f.grossSummary).toBeUndefined();
    expect(f.grossMetrics).toBe(f.metrics);
    const costly = expectSameOutputs('S&P 500 0.1 %', sp500, { fast: 10, slow: 30, commissionRate: 0.001 });
    expect(costly.grossSummary).toBeDefined();
    expect(costly.feesPaid).toBeGreaterThan(0);
    expect(costly.metrics.sharpe).not.toBe(costly.grossMetrics.sharpe);
    expectSameOutputs('S&P 500 3/7', sp500, { fast: 3, slow: 7, commissionRate: 0.0005, riskFreeRate: 0.02 });
  });

  it('makes the same trades as the trades-only floor', () => {
    for (const commissionRate of [0, 0.001]) {
      const input = { open: sp500.open, close: sp500.close, fast: 10, slow: 30, initialCapital: 100_000, commissionRate };
      const lean = floorSmaCross(input);
      const full = floorSmaCrossFull({ ...input, timeMs: sp500.timeMs, symbol: sp500.symbol });
      expect(full.trades.closed).toBe(lean.closedTrades);
      expect(full.trades.count - full.trades.closed).toBe(lean.openTrades);
      expect(full.summary.finalEquity).toBe(lean.finalEquity);
      expect(full.summary.maxDrawdownPct).toBe(lean.maxDrawdownPct);
      expect(full.summary.equitySum).toBe(lean.equitySum);
      expect(full.summary.exposedBars).toBe(lean.exposedBars);
      expect(full.refusedOrders).toBe(lean.refusedOrders);
    }
  });

  it('on seeded synthetic minute and daily bars', () => {
    for (const seed of [1, 2, 3]) {
      const minutes = synthBars({ bars: 20_000, seed, intervalMs: 60_000 });
      const daily = synthBars({ bars: 3_000, seed });
      for (const commissionRate of [0, 0.001]) {
        expectSameOutputs(`seed ${seed} minutes ${commissionRate}`, minutes, { fast: 10, slow: 30, commissionRate });
        expectSameOutputs(`seed ${seed} daily ${commissionRate}`, daily, { fast: 5, slow: 20, commissionRate, riskFreeRate: 0.03 });
      }
    }
  });

  it('without trades (every buy refused) and without bars', () => {
    const bars = synthBars({ bars: 5_000, seed: 4, intervalMs: 60_000 });
    const poor = expectSameOutputs('too little cash', bars, { fast: 10, slow: 30, commissionRate: 0.001, initialCapital: 10 });
    expect(poor.trades.count).toBe(0);
    expect(poor.refusedOrders).toBeGreaterThan(0);
    const none = floor(synthBars({ bars: 0, seed: 1 }), { fast: 10, slow: 30, commissionRate: 0 });
    expect(none.summary.finalEquity).toBe(100_000);
    expect(none.summary.startTimeMs).toBeNull();
    expect(none.metrics.bars).toBe(0);
  });

  it('keeps the day-end equity a grid cell keeps', () => {
    const bars = synthBars({ bars: 10_000, seed: 5, intervalMs: 60_000 });
    const c = { fast: 20, slow: 100, commissionRate: 0 };
    const e = engine(bars, c, true);
    const f = floor(bars, c, true);
    expect(f.summary.dayEndEquity).toEqual(e.dailyEquity);
    expect(f.digest).toBe(e.digest);
    expect(floor(bars, c).summary.dayEndEquity).toBeUndefined();
  });

  it('property: digest and metrics parity for random periods, seeds, lengths, bar spacing and costs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 4_000 }),
        fc.constantFrom(60_000, 1_800_000, 86_400_000),
        fc.constantFrom(0, 0.001),
        (fast, extra, seed, count, intervalMs, commissionRate) => {
          const bars = synthBars({ bars: count, seed, intervalMs });
          const c = { fast, slow: fast + extra, commissionRate };
          const e = engine(bars, c);
          const f = floor(bars, c);
          return f.digest === e.digest && differingMetrics(f.metrics, e.metrics).length === 0 && differingMetrics(f.grossMetrics, e.grossMetrics).length === 0;
        },
      ),
      { numRuns: 150, seed: 20_261_124 },
    );
  });
});
