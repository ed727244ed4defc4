import type { BacktestResult } from '../engine/backtest.js';
import { computeMetrics } from '../engine/metrics/compute-metrics.js';
import type { Metrics } from '../engine/metrics/types.js';
import type { Trade } from '../engine/trade.js';

/** One walk-forward test window as run: the chosen cell's run, or nothing (no cell qualified). */
export interface TestRun {
  readonly window: number;
  /** Equity the window started with (the previous window's final equity). */
  readonly startEquity: number;
  /** The window's steps on the merged timeline, epoch ms UTC. */
  readonly timeMs: Float64Array;
  /** The test run, made with `keepSeries` and `keepEvents`; undefined when nothing was traded. */
  readonly result: BacktestResult | undefined;
}

/** A trade of the stitched out-of-sample run, with the window it belongs to. */
export interface WindowTrade {
  readonly window: number;
  readonly trade: Trade;
}

/** Test runs joined into one out-of-sample account. */
export interface StitchedCurve {
  /** One value per step of every test window, in order. */
  readonly timeMs: Float64Array;
  /** Net equity at each step's close. */
  readonly equity: Float64Array;
  /** Gross position value ÷ equity at each step (0 in windows where nothing ran). */
  readonly exposure: Float64Array;
  /** Window index of each step. */
  readonly window: Int32Array;
  /**
   * Every test run's trades, window by window (each window's closed trades, then its open ones).
   * A trade still open at the end of a window other than the last is closed there (see
   * {@link stitchOutOfSample}); only the last window's open trades stay open.
   */
  readonly trades: readonly WindowTrade[];
  /** `computeMetrics` over the stitched curve with every test run's trades, fees and traded value. */
  readonly metrics: Metrics;
}

/**
 * Joins test runs into one curve: each run's equity and exposure series back to back (a window
 * without a run contributes flat equity at its start equity and no exposure), and computes the
 * metrics of that curve from `initialCapital` with every run's trades, fees, slippage and traded
 * value (Σ |qty × price × multiplier| of the fills in the runs' event logs).
 *
 * The next window starts flat with the previous one's final equity in cash, so a trade still open
 * at the end of a window (other than the last) was in effect closed at that window's last close:
 * it is listed as closed there (`exitTag: "window-end"`, exit price = that close, P&L as marked —
 * no exit fee or slippage is charged for this close) and counts as a closed trade in the stitched
 * metrics. Trades open at the end of the last window stay open, as in any run.
 *
 * Capital continuity is the caller's: each run must start with the previous one's final equity,
 * so the stitched final equity is `initialCapital × Π (final_i / start_i)`.
 */
export function stitchOutOfSample(runs: readonly TestRun[], options: { readonly initialCapital: number; readonly riskFreeRate: number }): StitchedCurve {
  const steps = runs.reduce((n, r) => n + r.timeMs.length, 0);
  const timeMs = new Float64Array(steps);
  const equity = new Float64Array(steps);
  const exposure = new Float64Array(steps);
  const window = new Int32Array(steps);
  const trades: WindowTrade[] = [];
  let tradedValue = 0;
  let feesPaid = 0;
  let slippagePaid = 0;
  let at = 0;
  for (const [k, run] of runs.entries()) {
    const n = run.timeMs.length;
    timeMs.set(run.timeMs, at);
    window.fill(run.window, at, at + n);
    const result = run.result;
    if (result === undefined) {
      equity.fill(run.startEquity, at, at + n);
    } else {
      const series = result.series;
      if (series === undefined || series.equity.length !== n) {
        throw new Error(`walk-forward window ${run.window}: the test run has ${series?.equity.length ?? 'no'} equity values, expected ${n} (run it with keepSeries: true)`);
      }
      equity.set(series.equity, at);
      exposure.set(series.exposure, at);
      const closeOpen = k < runs.length - 1;
      for (const trade of result.trades) {
        trades.push(Object.freeze({ window: run.window, trade: closeOpen && trade.open ? closedAtWindowEnd(trade, run.timeMs[n - 1]!, n - 1) : trade }));
      }
      feesPaid += result.metrics.feesPaid;
      slippagePaid += result.metrics.slippagePaid;
      tradedValue += tradedValueOf(result);
    }
    at += n;
  }
  const metrics = computeMetrics({
    timeMs,
    equity,
    exposure,
    initialCapital: options.initialCapital,
    trades: trades.map((t) => t.trade),
    tradedValue,
    feesPaid,
    slippagePaid,
    riskFreeRate: options.riskFreeRate,
  });
  return Object.freeze({ timeMs, equity, exposure, window, trades: Object.freeze(trades), metrics });
}

/** An open trade closed at its window's last bar, at the mark it was valued at. */
function closedAtWindowEnd(trade: Trade, timeMs: number, step: number): Trade {
  return Object.freeze({ ...trade, exitTimeMs: timeMs, exitStep: step, exitTag: 'window-end', open: false });
}

/** Σ |qty × price × multiplier| over a run's fills (the portfolio's traded value, from the event log). */
function tradedValueOf(result: BacktestResult): number {
  if (result.metrics.turnover !== 0 && result.events.length === 0) throw new Error('the test run kept no events (run it with keepEvents: true)');
  let value = 0;
  for (const event of result.events) {
    if (event.kind !== 'OrderFilled') continue;
    const fill = event.fill;
    value += Math.abs(fill.qty * fill.price * (result.config.instruments[fill.instrumentId]?.multiplier ?? 1));
  }
  return value;
}
