import { describe, expect, it } from 'vitest';
import type { Trade } from '../trade.js';
import { computeMetrics } from './compute-metrics.js';
import type { MetricsInput } from './types.js';

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 1, 21);
const f64 = (values: number[]): Float64Array => Float64Array.from(values);

const closedWin: Trade = {
  instrumentId: 'AAA',
  side: 'long',
  qty: 10,
  entryTimeMs: t0,
  exitTimeMs: t0 + DAY,
  entryPrice: 100,
  exitPrice: 110,
  pnl: 98,
  grossPnl: 100,
  fees: 1,
  slippageCost: 1,
  entryStep: 0,
  exitStep: 1,
  entryTag: 'entry',
  exitTag: 'exit',
  open: false,
};
const openLoss: Trade = { ...closedWin, exitTimeMs: undefined, exitStep: undefined, exitTag: undefined, exitPrice: 98.9, pnl: -11, grossPnl: -11, fees: 0, slippageCost: 0, open: true };

// Five daily bars, initial capital 1000.
const input: MetricsInput = {
  timeMs: f64([0, 1, 2, 3, 4].map((d) => t0 + d * DAY)),
  equity: f64([1000, 1100, 990, 990, 1089]),
  initialCapital: 1000,
  trades: [closedWin, openLoss],
  exposure: f64([0, 1, 1, 0, 0.5]),
  tradedValue: 2100,
  feesPaid: 1,
  slippagePaid: 1,
};

const FIELDS = [
  'startEquity', 'finalEquity', 'totalReturnPct', 'cagrPct', 'volatilityPct', 'sharpe', 'sortino',
  'maxDrawdownPct', 'maxDrawdownDurationBars', 'maxDrawdownDurationDays', 'calmar', 'tradesClosed',
  'tradesOpen', 'winRatePct', 'profitFactor', 'expectancy', 'avgWin', 'avgLoss', 'avgWinPct',
  'bestTrade', 'worstTrade', 'sqn', 'exposurePct', 'turnover', 'feesPaid', 'slippagePaid', 'bars',
  'startTimeMs', 'endTimeMs',
];

describe('computeMetrics', () => {
  it('assembles every statistic (hand-computed)', () => {
    const m = computeMetrics(input);
    expect(Object.keys(m)).toEqual(FIELDS);
    expect(Object.isFrozen(m)).toBe(true);
    expect(m.startEquity).toBe(1000);
    expect(m.finalEquity).toBe(1089);
    // 1089 / 1000 − 1 = 8.9 %
    expect(m.totalReturnPct).toBeCloseTo(8.9, 10);
    // span 4 days: 1.089^(365.25 / 4) − 1
    expect(m.cagrPct).toBeCloseTo((1.089 ** (365.25 / 4) - 1) * 100, 6);
    // daily returns 1100/1000−1 = 0.1, 990/1100−1 = −0.1, 0, 1089/990−1 = 0.1: mean 0.025
    // deviations 0.075, −0.125, −0.025, 0.075 → squares sum 0.0275 → sample variance 0.0275/3
    const std = Math.sqrt(0.0275 / 3);
    expect(m.volatilityPct).toBeCloseTo(std * Math.sqrt(252) * 100, 9);
    expect(m.volatilityPct).toBeCloseTo(Math.sqrt(2.31) * 100, 9);
    // 0.025 / std × √252 = √(0.000625 / (0.0275/3) × 252) = √(189/11) = 4.1450956…
    expect(m.sharpe).toBeCloseTo((0.025 / std) * Math.sqrt(252), 10);
    expect(m.sharpe).toBeCloseTo(4.145095678, 8);
    // downside: only −0.1 → √(0.01 / 4) = 0.05 → 0.025 / 0.05 × √252 = 0.5 × √252
    expect(m.sortino).toBeCloseTo(0.5 * Math.sqrt(252), 10);
    // peak 1100 at bar 1, trough 990: (1100 − 990) / 1100 = 10 %
    expect(m.maxDrawdownPct).toBeCloseTo(10, 10);
    // underwater from bar 1 to the last bar (4), never recovered → 3 bars, 3 days
    expect(m.maxDrawdownDurationBars).toBe(3);
    expect(m.maxDrawdownDurationDays).toBe(3);
    expect(m.calmar).toBeCloseTo(m.cagrPct / m.maxDrawdownPct, 12);
    expect(m.tradesClosed).toBe(1);
    expect(m.tradesOpen).toBe(1);
    expect(m.winRatePct).toBe(100);
    expect(m.profitFactor).toBeNull();
    expect(m.expectancy).toBe(98);
    expect(m.avgWin).toBe(98);
    expect(m.avgLoss).toBe(0);
    // 98 / (100 × 10) = 9.8 %
    expect(m.avgWinPct).toBeCloseTo(9.8, 10);
    expect(m.bestTrade).toBe(98);
    expect(m.worstTrade).toBe(98);
    expect(m.sqn).toBe(0);
    // 3 of 5 bars exposed
    expect(m.exposurePct).toBe(60);
    // mean equity (1000 + 1100 + 990 + 990 + 1089) / 5 = 1033.8 → 2100 / 1033.8
    expect(m.turnover).toBeCloseTo(2100 / 1033.8, 12);
    expect(m.feesPaid).toBe(1);
    expect(m.slippagePaid).toBe(1);
    expect(m.bars).toBe(5);
    expect(m.startTimeMs).toBe(t0);
    expect(m.endTimeMs).toBe(t0 + 4 * DAY);
  });

  it('honours riskFreeRate and periodsPerYear', () => {
    // rf 25.2 % / 252 = 0.001 per day → excess mean 0.024
    const std = Math.sqrt(0.0275 / 3);
    expect(computeMetrics({ ...input, riskFreeRate: 0.252 }).sharpe).toBeCloseTo((0.024 / std) * Math.sqrt(252), 10);
    // with 365 periods the rf per period is 0.252 / 365 and the scale √365
    const m = computeMetrics({ ...input, riskFreeRate: 0.252, periodsPerYear: 365 });
    expect(m.sharpe).toBeCloseTo(((0.025 - 0.252 / 365) / std) * Math.sqrt(365), 10);
  });

  it('aggregates intraday bars to day-end equity', () => {
    const hour = 3_600_000;
    const day0 = Date.UTC(2024, 0, 1);
    const m = computeMetrics({
      ...input,
      timeMs: f64([day0 + 10 * hour, day0 + 15 * hour, day0 + DAY + 10 * hour, day0 + DAY + 15 * hour, day0 + 2 * DAY + 12 * hour]),
      equity: f64([1000, 1020, 900, 1050.6, 945.54]),
    });
    // day ends 1020, 1050.6, 945.54 → returns 0.03, −0.1 (the 900 dip inside day 2 is invisible)
    const returns = [0.03, -0.1];
    const mean = (0.03 - 0.1) / 2;
    const std = Math.sqrt(((returns[0]! - mean) ** 2 + (returns[1]! - mean) ** 2) / 1);
    expect(m.sharpe).toBeCloseTo((mean / std) * Math.sqrt(252), 9);
    // but the drawdown sees it: (1020 − 900) / 1020
    expect(m.maxDrawdownPct).toBeCloseTo((120 / 1020) * 100, 10);
  });

  it('handles no trades and flat equity', () => {
    const m = computeMetrics({ ...input, equity: f64([1000, 1000, 1000, 1000, 1000]), trades: [], exposure: new Float64Array(5), tradedValue: 0 });
    expect(m.totalReturnPct).toBe(0);
    expect(m.cagrPct).toBe(0);
    expect(m.volatilityPct).toBe(0);
    expect(m.sharpe).toBe(0);
    expect(m.sortino).toBe(0);
    expect(m.maxDrawdownPct).toBe(0);
    expect(m.maxDrawdownDurationBars).toBe(0);
    expect(m.calmar).toBe(0);
    expect(m.tradesClosed).toBe(0);
    expect(m.profitFactor).toBe(0);
    expect(m.avgWinPct).toBeUndefined();
    expect(m.exposurePct).toBe(0);
    expect(m.turnover).toBe(0);
  });

  it('handles one bar and no bars', () => {
    const one = computeMetrics({ ...input, timeMs: f64([t0]), equity: f64([1100]), exposure: f64([1]) });
    expect(one.totalReturnPct).toBeCloseTo(10, 10);
    expect(one.cagrPct).toBe(0);
    expect(one.sharpe).toBe(0);
    expect(one.maxDrawdownPct).toBe(0);
    expect(one.bars).toBe(1);
    expect(one.startTimeMs).toBe(one.endTimeMs);

    const none = computeMetrics({ ...input, timeMs: f64([]), equity: f64([]), exposure: f64([]), trades: [] });
    expect(none.bars).toBe(0);
    expect(none.finalEquity).toBe(1000);
    expect(none.totalReturnPct).toBe(0);
    expect(none.startTimeMs).toBeNull();
    expect(none.endTimeMs).toBeNull();
    expect(JSON.parse(JSON.stringify(none))).toEqual(none);
  });

  it('is JSON-round-trippable and deterministic', () => {
    const a = computeMetrics(input);
    const b = computeMetrics(input);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.parse(JSON.stringify(a))).toEqual({ ...a });
  });

  it('rejects inconsistent input', () => {
    expect(() => computeMetrics({ ...input, exposure: f64([0]) })).toThrow(/same length/);
    expect(() => computeMetrics({ ...input, initialCapital: 0 })).toThrow(/initialCapital/);
    expect(() => computeMetrics({ ...input, equity: f64([1000, Number.NaN, 990, 990, 1089]) })).toThrow(/bar 1/);
    expect(() => computeMetrics({ ...input, periodsPerYear: 0 })).toThrow(/periodsPerYear/);
  });
});
