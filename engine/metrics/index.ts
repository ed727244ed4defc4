/** Run statistics: pure functions over the equity curve and the trade list. */
export type { Metrics, MetricsInput } from './types.js';
export { computeMetrics, metricsFromSummary, type MetricsExtras } from './compute-metrics.js';
export { EquityAccumulator, type EquitySummary } from './equity-accumulator.js';
export { dailyReturns, dayEndEquity } from './daily-returns.js';
export { sharpeRatio } from './sharpe.js';
export { sortinoRatio, downsideDeviation } from './sortino.js';
export { annualizedVolatilityPct } from './volatility.js';
export { totalReturnPct } from './total-return.js';
export { cagrPct, YEAR_MS } from './cagr.js';
export { drawdownSeries, maxDrawdownPct } from './drawdown.js';
export { maxDrawdownDuration, type DrawdownDuration } from './drawdown-duration.js';
export { calmarRatio } from './calmar.js';
export { systemQualityNumber } from './sqn.js';
export { tradeStatistics, tradeReturnPct, type TradeStatistics } from './trade-stats.js';
export { exposurePct } from './exposure.js';
export { turnover } from './turnover.js';
export { mean, sampleStd } from './stats.js';
