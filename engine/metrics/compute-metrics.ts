import { cagrPct } from './cagr.js';
import { NOISE_FLOOR } from './stats.js';
import { EquityAccumulator, type EquitySummary } from './equity-accumulator.js';
import { calmarRatio } from './calmar.js';
import { totalReturnPct } from './total-return.js';
import { tradeStatistics } from './trade-stats.js';
import type { Metrics, MetricsInput } from './types.js';

function validate(input: MetricsInput): void {
  const n = input.timeMs.length;
  if (input.equity.length !== n || input.exposure.length !== n) {
    throw new RangeError(
      `computeMetrics: timeMs, equity and exposure must have the same length (got ${n}, ${input.equity.length}, ${input.exposure.length})`,
    );
  }
  if (!(input.initialCapital > 0) || !Number.isFinite(input.initialCapital)) {
    throw new RangeError(`computeMetrics: initialCapital must be a finite number > 0, got ${input.initialCapital}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(input.equity[i]!)) {
      throw new RangeError(`computeMetrics: equity at bar ${i} is ${input.equity[i]} — the equity curve must be finite`);
    }
  }
  const periods = input.periodsPerYear ?? 252;
  if (!(periods > 0) || !Number.isFinite(periods)) {
    throw new RangeError(`computeMetrics: periodsPerYear must be a finite number > 0, got ${periods}`);
  }
  if (!Number.isFinite(input.riskFreeRate ?? 0)) {
    throw new RangeError(`computeMetrics: riskFreeRate must be finite, got ${input.riskFreeRate}`);
  }
}

/**
 * Computes every run statistic from the per-bar equity curve, the exposure series and the trade
 * list. One pass feeds an {@link EquityAccumulator}; {@link metricsFromSummary} does the rest, so
 * batch and streaming (in-engine) metrics are the same numbers by construction.
 */
export function computeMetrics(input: MetricsInput): Metrics {
  validate(input);
  const { timeMs, equity, exposure } = input;
  const accumulator = new EquityAccumulator(input.initialCapital, {
    downsideTarget: (input.riskFreeRate ?? 0) / (input.periodsPerYear ?? 252),
  });
  for (let i = 0; i < equity.length; i++) {
    const x = exposure[i]!;
    accumulator.push(timeMs[i]!, equity[i]!, x !== 0 && !Number.isNaN(x));
  }
  return metricsFromSummary(accumulator.summary(), input);
}

/** The parts of {@link MetricsInput} that are not the per-bar series. */
export type MetricsExtras = Pick<MetricsInput, 'trades' | 'tradedValue' | 'feesPaid' | 'slippagePaid' | 'riskFreeRate' | 'periodsPerYear'>;

/** Metrics from a streamed {@link EquitySummary} plus the trades and cost totals. */
export function metricsFromSummary(summary: EquitySummary, extras: MetricsExtras): Metrics {
  const { initialCapital, finalEquity, startTimeMs, endTimeMs } = summary;
  const n = summary.bars;
  const riskFreeRate = extras.riskFreeRate ?? 0;
  const periodsPerYear = extras.periodsPerYear ?? 252;
  const r = summary.dailyReturns;
  const target = riskFreeRate / periodsPerYear;
  if (Math.abs(r.downsideTarget - target) > 1e-15) {
    throw new RangeError(`metricsFromSummary: the summary was accumulated for a downside target of ${r.downsideTarget}, not ${target} (riskFreeRate / periodsPerYear)`);
  }
  const std = r.count >= 2 ? Math.sqrt(r.m2 / (r.count - 1)) : 0;
  const excess = r.mean - target;
  const downsideDeviation = r.count > 0 ? Math.sqrt(r.downsideSquares / r.count) : 0;
  const annualize = Math.sqrt(periodsPerYear);
  const cagr = startTimeMs === null || endTimeMs === null ? 0 : cagrPct(initialCapital, finalEquity, startTimeMs, endTimeMs);
  const maxDrawdown = summary.maxDrawdownPct;
  const trades = tradeStatistics(extras.trades);
  const meanEquity = n > 0 ? summary.equitySum / n : 0;
  const metrics: Metrics = {
    startEquity: initialCapital,
    finalEquity,
    totalReturnPct: totalReturnPct(initialCapital, finalEquity),
    cagrPct: cagr,
    // Same definitions as sharpeRatio / sortinoRatio / annualizedVolatilityPct over dailyReturns(),
    // from streamed moments (shifted sums), so no per-day series has to be kept.
    volatilityPct: std * annualize * 100,
    sharpe: r.count < 2 || !(std > NOISE_FLOOR) ? 0 : (excess / std) * annualize,
    sortino: r.count < 2 ? 0 : !(downsideDeviation > NOISE_FLOOR) ? (excess > 0 ? null : 0) : (excess / downsideDeviation) * annualize,
    maxDrawdownPct: maxDrawdown,
    maxDrawdownDurationBars: summary.maxDrawdownDurationBars,
    maxDrawdownDurationDays: summary.maxDrawdownDurationDays,
    calmar: calmarRatio(cagr, maxDrawdown),
    tradesClosed: trades.tradesClosed,
    tradesOpen: trades.tradesOpen,
    winRatePct: trades.winRatePct,
    profitFactor: trades.profitFactor,
    expectancy: trades.expectancy,
    avgWin: trades.avgWin,
    avgLoss: trades.avgLoss,
    ...(trades.avgWinPct === undefined ? {} : { avgWinPct: trades.avgWinPct }),
    bestTrade: trades.bestTrade,
    worstTrade: trades.worstTrade,
    sqn: trades.sqn,
    exposurePct: n > 0 ? (summary.exposedBars / n) * 100 : 0,
    turnover: meanEquity > 0 ? extras.tradedValue / meanEquity : 0,
    feesPaid: extras.feesPaid,
    slippagePaid: extras.slippagePaid,
    bars: n,
    startTimeMs,
    endTimeMs,
  };
  return Object.freeze(metrics);
}
