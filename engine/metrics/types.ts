import type { Trade } from '../trade.js';

/** Everything {@link computeMetrics} needs about a finished run. Arrays are per bar, same length. */
export interface MetricsInput {
  /** Bar times, epoch ms UTC, increasing. */
  readonly timeMs: Float64Array;
  /** Account equity marked at each bar close, account currency. */
  readonly equity: Float64Array;
  /** Account equity before the first bar, account currency (> 0). */
  readonly initialCapital: number;
  /** Closed and open trades (open ones only count toward `tradesOpen`). */
  readonly trades: Iterable<Trade>;
  /** Per bar: gross position value / equity, 0 when flat. */
  readonly exposure: Float64Array;
  /** Σ |fill notional| over the run, account currency. */
  readonly tradedValue: number;
  /** Total commission paid, account currency. */
  readonly feesPaid: number;
  /** Total slippage and spread cost, account currency. */
  readonly slippagePaid: number;
  /** Annual risk-free rate as a fraction (default 0). */
  readonly riskFreeRate?: number | undefined;
  /** Return periods per year used to annualize daily returns (default 252). */
  readonly periodsPerYear?: number | undefined;
}

/**
 * Summary statistics of a run (frozen). Money in account currency; `…Pct` fields in percent;
 * ratios unitless. Unbounded ratios are `null` (JSON-safe) as documented per field.
 */
export interface Metrics {
  /** The initial capital. */
  readonly startEquity: number;
  /** Equity at the last bar close (the initial capital when there are no bars). */
  readonly finalEquity: number;
  /** `(finalEquity / initialCapital − 1) × 100`. */
  readonly totalReturnPct: number;
  /** Compound annual growth rate, percent (see `cagrPct`). */
  readonly cagrPct: number;
  /** Annualized volatility of daily returns, percent. */
  readonly volatilityPct: number;
  /** Annualized Sharpe ratio of daily returns (see `sharpeRatio`). */
  readonly sharpe: number;
  /** Annualized Sortino ratio of daily returns; `null` when unbounded (see `sortinoRatio`). */
  readonly sortino: number | null;
  /** Largest peak-to-trough fall, percent of the peak (positive). */
  readonly maxDrawdownPct: number;
  /** Longest drawdown span in bars (see `maxDrawdownDuration`). */
  readonly maxDrawdownDurationBars: number;
  /** Longest drawdown span in UTC calendar days. */
  readonly maxDrawdownDurationDays: number;
  /** `cagrPct / maxDrawdownPct`; 0 without a drawdown. */
  readonly calmar: number;
  readonly tradesClosed: number;
  readonly tradesOpen: number;
  /** Winning closed trades (net P&L > 0) in percent of closed trades. */
  readonly winRatePct: number;
  /** Gross wins / |gross losses|; 0 when nothing won, `null` when won without a loss. */
  readonly profitFactor: number | null;
  /** Mean net P&L per closed trade. */
  readonly expectancy: number;
  /** Mean net P&L of winners. */
  readonly avgWin: number;
  /** Mean net P&L of losers (negative). */
  readonly avgLoss: number;
  /** Mean net return of winners in percent of entry notional; absent without winners. */
  readonly avgWinPct?: number;
  readonly bestTrade: number;
  readonly worstTrade: number;
  /** System Quality Number of closed trades' net P&L. */
  readonly sqn: number;
  /** Percent of bars with a position. */
  readonly exposurePct: number;
  /** Traded value / mean equity (multiple, not annualized). */
  readonly turnover: number;
  readonly feesPaid: number;
  readonly slippagePaid: number;
  /** Number of bars. */
  readonly bars: number;
  /** First bar time, epoch ms UTC; `null` when there are no bars. */
  readonly startTimeMs: number | null;
  /** Last bar time, epoch ms UTC; `null` when there are no bars. */
  readonly endTimeMs: number | null;
}
