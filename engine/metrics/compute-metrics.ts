import { cagrPct } from './cagr.js';
import { calmarRatio } from './calmar.js';
import { dailyReturns } from './daily-returns.js';
import { maxDrawdownPct } from './drawdown.js';
import { maxDrawdownDuration } from './drawdown-duration.js';
import { exposurePct } from './exposure.js';
import { sharpeRatio } from './sharpe.js';
import { sortinoRatio } from './sortino.js';
import { totalReturnPct } from './total-return.js';
import { tradeStatistics } from './trade-stats.js';
import { turnover } from './turnover.js';
import type { Metrics, MetricsInput } from './types.js';
import { annualizedVolatilityPct } from './volatility.js';

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
 * Assembles every run statistic from the equity curve and trades (backtesting.py's
 * `compute_stats`). Pure: same input, same output, nothing read from the environment.
 * Return-based ratios use {@link dailyReturns}; see each field of {@link Metrics} and the
 * function it comes from for the exact definition.
 * @returns a frozen {@link Metrics}, fields in a fixed order (stable JSON).
 * @throws RangeError on ragged arrays, non-finite equity, `initialCapital <= 0`, or a bad
 *   `periodsPerYear`/`riskFreeRate`.
 */
export function computeMetrics(input: MetricsInput): Metrics {
  validate(input);
  const { timeMs, equity, initialCapital } = input;
  const n = equity.length;
  const riskFreeRate = input.riskFreeRate ?? 0;
  const periodsPerYear = input.periodsPerYear ?? 252;
  const finalEquity = n > 0 ? equity[n - 1]! : initialCapital;
  const startTimeMs = n > 0 ? timeMs[0]! : null;
  const endTimeMs = n > 0 ? timeMs[n - 1]! : null;
  const returns = dailyReturns(timeMs, equity);
  const cagr = startTimeMs === null || endTimeMs === null ? 0 : cagrPct(initialCapital, finalEquity, startTimeMs, endTimeMs);
  const maxDrawdown = maxDrawdownPct(equity, initialCapital);
  const duration = maxDrawdownDuration(timeMs, equity, initialCapital);
  const trades = tradeStatistics(input.trades);
  const metrics: Metrics = {
    startEquity: initialCapital,
    finalEquity,
    totalReturnPct: totalReturnPct(initialCapital, finalEquity),
    cagrPct: cagr,
    volatilityPct: annualizedVolatilityPct(returns, periodsPerYear),
    sharpe: sharpeRatio(returns, riskFreeRate, periodsPerYear),
    sortino: sortinoRatio(returns, riskFreeRate, periodsPerYear),
    maxDrawdownPct: maxDrawdown,
    maxDrawdownDurationBars: duration.bars,
    maxDrawdownDurationDays: duration.days,
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
    exposurePct: exposurePct(input.exposure),
    turnover: turnover(input.tradedValue, equity),
    feesPaid: input.feesPaid,
    slippagePaid: input.slippagePaid,
    bars: n,
    startTimeMs,
    endTimeMs,
  };
  return Object.freeze(metrics);
}
