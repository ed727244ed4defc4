import { NOISE_FLOOR } from './stats.js';

/** Statistics of the bars and trades of one regime label. */
export interface RegimeRow {
  /** The regime label (e.g. `high`, `up`, `unknown`). */
  readonly regime: string;
  /** Bars carrying this label. */
  readonly bars: number;
  /** Trades entered on a bar carrying this label. */
  readonly trades: number;
  /** Trades with P&L > 0 ÷ trades × 100; 0 when there are no trades. */
  readonly winRatePct: number;
  /** Compounded return of the label's bars, percent: `(Π(1 + r) − 1) × 100`. */
  readonly returnPct: number;
  /** `mean(r) / sampleStd(r) × √periodsPerYear`; null with fewer than two returns or a zero std. */
  readonly sharpe: number | null;
  /** Largest peak-to-trough fall of the curve chained from the label's bar returns only, percent (positive). */
  readonly maxDrawdownPct: number;
}

/** Running sums of one label. */
interface LabelState {
  readonly regime: string;
  bars: number;
  /** Π(1 + r) so far: the label's own chained curve, starting at 1. */
  level: number;
  peak: number;
  worstDrawdown: number;
  /** Welford mean and Σ squared deviations of the label's returns. */
  mean: number;
  m2: number;
  trades: number;
  wins: number;
}

/**
 * Streaming per-regime statistics of a run, fed once per bar, O(1) per bar.
 *
 * Definitions: the return of bar t is `r_t = equity_t / equity_{t−1} − 1` (the first bar against
 * the initial capital; 0 when the previous equity is 0) and belongs to bar t's label — the regime
 * the bar was in while the return was earned. Per label, over its bars only: `returnPct` compounds
 * the returns, `maxDrawdownPct` is the drawdown of the curve chained from them (starting at 1, so a
 * first loss counts), `sharpe` annualizes their mean/sample-std (n − 1) by √periodsPerYear.
 * Trades are counted by the regime at entry. Because every bar's return belongs to exactly one
 * label, Π over labels of `(1 + returnPct / 100)` equals `finalEquity / initialCapital`.
 */
export class RegimeStats {
  private readonly labels = new Map<string, LabelState>();
  private previousEquity = 0;
  private lastTimeMs = Number.NEGATIVE_INFINITY;
  private lastLabel: LabelState | undefined;
  /** Return periods per year used to annualize the Sharpe ratio. */
  readonly periodsPerYear: number;

  /**
   * @param initialCapital account currency before the first bar, finite > 0.
   * @param options.periodsPerYear bars per year for the Sharpe ratio (default 252, daily bars;
   *   e.g. 252 × 78 for 5-minute bars of a 6.5-hour session).
   * @throws RangeError on a non-positive capital or period count.
   */
  constructor(
    readonly initialCapital: number,
    options: { readonly periodsPerYear?: number } = {},
  ) {
    if (!(initialCapital > 0) || !Number.isFinite(initialCapital)) {
      throw new RangeError(`initialCapital must be a finite number > 0, got ${initialCapital}`);
    }
    const periodsPerYear = options.periodsPerYear ?? 252;
    if (!(periodsPerYear > 0) || !Number.isFinite(periodsPerYear)) {
      throw new RangeError(`periodsPerYear must be a finite number > 0, got ${periodsPerYear}`);
    }
    this.periodsPerYear = periodsPerYear;
    this.previousEquity = initialCapital;
  }

  /**
   * Adds one bar: its regime label and the account equity at its close.
   * @param timeMs the bar's time, epoch ms, non-decreasing from call to call.
   * @throws RangeError on a non-finite equity or a time going backwards.
   */
  push(label: string, equity: number, timeMs: number): void {
    if (!Number.isFinite(equity)) throw new RangeError(`equity must be a finite number, got ${equity} at ${timeMs}`);
    if (timeMs < this.lastTimeMs) throw new RangeError(`bar time ${timeMs} is before the previous bar's ${this.lastTimeMs}`);
    this.lastTimeMs = timeMs;
    const previous = this.previousEquity;
    const r = previous === 0 ? 0 : equity / previous - 1;
    this.previousEquity = equity;
    const state = this.lastLabel?.regime === label ? this.lastLabel : this.state(label);
    this.lastLabel = state;
    const n = ++state.bars;
    const d = r - state.mean;
    state.mean += d / n;
    state.m2 += d * (r - state.mean);
    state.level *= 1 + r;
    if (state.level > state.peak) state.peak = state.level;
    else {
      const drawdown = ((state.peak - state.level) / state.peak) * 100;
      if (drawdown > state.worstDrawdown) state.worstDrawdown = drawdown;
    }
  }

  /** Adds one closed trade under the regime of its entry bar; P&L in account currency (> 0 wins). */
  addTrade(entryLabel: string, pnl: number): void {
    const state = this.state(entryLabel);
    state.trades++;
    if (pnl > 0) state.wins++;
  }

  /** One frozen row per label, in the order labels were first seen (by `push` or `addTrade`). */
  summary(): readonly RegimeRow[] {
    const rows: RegimeRow[] = [];
    for (const s of this.labels.values()) {
      const std = s.bars >= 2 ? Math.sqrt(s.m2 / (s.bars - 1)) : 0;
      rows.push(
        Object.freeze({
          regime: s.regime,
          bars: s.bars,
          trades: s.trades,
          winRatePct: s.trades > 0 ? (s.wins / s.trades) * 100 : 0,
          returnPct: (s.level - 1) * 100,
          sharpe: std > NOISE_FLOOR ? (s.mean / std) * Math.sqrt(this.periodsPerYear) : null,
          maxDrawdownPct: s.worstDrawdown,
        }),
      );
    }
    return Object.freeze(rows);
  }

  private state(label: string): LabelState {
    let state = this.labels.get(label);
    if (state === undefined) {
      state = { regime: label, bars: 0, level: 1, peak: 1, worstDrawdown: 0, mean: 0, m2: 0, trades: 0, wins: 0 };
      this.labels.set(label, state);
    }
    return state;
  }
}
