import { StepClose } from '../step-close.js';
import { DAY_MS } from './stats.js';

/**
 * What one pass over an equity curve yields: everything the metrics need from the curve, so
 * a run never has to keep its full per-bar series to report its statistics.
 */
export interface EquitySummary {
  readonly initialCapital: number;
  readonly bars: number;
  readonly startTimeMs: number | null;
  readonly endTimeMs: number | null;
  readonly finalEquity: number;
  /** Σ equity over all bars (mean equity = sum / bars). */
  readonly equitySum: number;
  /** Largest peak-to-trough fall, percent of the peak (initial capital is the first peak). */
  readonly maxDrawdownPct: number;
  /** Longest time under water (peak to first recovery, or to the end), in bars. */
  readonly maxDrawdownDurationBars: number;
  /** The same in UTC calendar days (difference of day numbers). */
  readonly maxDrawdownDurationDays: number;
  /** Equity at the last bar of each UTC calendar day, in order — only when asked for (`keepDayEnds`). */
  readonly dayEndEquity: Float64Array | undefined;
  /** Daily returns (day-end to day-end): count, mean, Σ squared deviations from the mean. */
  readonly dailyReturns: {
    readonly count: number;
    readonly mean: number;
    readonly m2: number;
    /** Σ min(0, r − downsideTarget)². */
    readonly downsideSquares: number;
    readonly downsideTarget: number;
  };
  /** Bars at whose close a position was open. */
  readonly exposedBars: number;
}

/**
 * Streaming equivalent of the batch metric functions over an equity curve (drawdown,
 * drawdown duration, day-end equity, exposure, mean equity): O(1) work and no allocation per bar.
 * Its results equal `maxDrawdownPct`, `maxDrawdownDuration`, `dayEndEquity`, `exposurePct`
 * and `mean` run on the whole arrays (tested).
 */
export class EquityAccumulator {
  private readonly scratch = new StepClose();
  private n = 0;
  private previousDayEnd = Number.NaN;
  private returnCount = 0;
  /** Daily-return sums shifted by the first return (stable variance without a division per day). */
  private returnShift = 0;
  private shiftedSum = 0;
  private shiftedSquares = 0;
  private downside = 0;
  private readonly target: number;
  private readonly keepDayEnds: boolean;
  private firstTime = Number.NaN;
  private lastTime = Number.NaN;
  private last = Number.NaN;
  private sum = 0;
  private peak = 0;
  private worst = 0;
  private peakIndex = -1;
  private peakDay = Number.NaN;
  private underwater = false;
  private longestBars = 0;
  private longestDays = 0;
  private exposed = 0;
  private day = Number.NaN;
  private nextDayStart = Number.NEGATIVE_INFINITY;
  private dayEnds: Float64Array;
  private days = 0;
  /** Set by {@link finalSummary}: the day-end buffer belongs to the summary now. */
  private finished = false;

  /**
   * @param options.downsideTarget per-period return below which Sortino's downside counts
   *   (riskFreeRate / periodsPerYear; default 0)
   * @param options.keepDayEnds also keep the day-end equity series (for PBO and reports)
   * @param options.maxDays with `keepDayEnds`: at most this many UTC days will be pushed (e.g. the
   *   bars, or the calendar days the data spans), so the day-end series is allocated once at its
   *   full size instead of growing by doubling — a run's largest allocations, and on worker
   *   threads freeing grown buffers made the allocator return pages to the system over and over
   */
  constructor(
    readonly initialCapital: number,
    options: { readonly downsideTarget?: number; readonly keepDayEnds?: boolean; readonly maxDays?: number } = {},
  ) {
    if (!(initialCapital > 0) || !Number.isFinite(initialCapital)) {
      throw new RangeError(`initialCapital must be a finite number > 0, got ${initialCapital}`);
    }
    this.peak = initialCapital;
    this.target = options.downsideTarget ?? 0;
    this.keepDayEnds = options.keepDayEnds ?? false;
    const maxDays = options.maxDays;
    const capacity = maxDays !== undefined && Number.isInteger(maxDays) && maxDays >= 0 ? maxDays + 1 : 256;
    this.dayEnds = new Float64Array(this.keepDayEnds ? Math.max(1, capacity) : 0);
  }

  /** Adds the equity at the close of the next bar (`timeMs` non-decreasing). */
  push(timeMs: number, equity: number, exposed: boolean): void {
    const close = this.scratch;
    close.timeMs = timeMs;
    close.equity = equity;
    this.pushClose(close, exposed);
  }

  /**
   * {@link push} with the numbers in a reused {@link StepClose} (the engine's per-step path):
   * fractional numbers passed as arguments to a call V8 does not inline are boxed, one allocation
   * each; read from an object's fields they are not.
   */
  pushClose(close: StepClose, exposed: boolean): void {
    // Hot path (every bar): kept small so the engine's step can inline it; rare work is out of line.
    const timeMs = close.timeMs;
    const equity = close.equity;
    if (this.finished) throw new Error('EquityAccumulator: pushed after finalSummary()');
    const i = this.n++;
    if (timeMs >= this.nextDayStart) this.startDay(i, close);
    this.lastTime = timeMs;
    this.last = equity;
    this.sum += equity;
    if (exposed) this.exposed++;
    if (equity >= this.peak) {
      if (this.underwater || equity > this.peak) this.newPeak(i, close);
      else {
        // Level with the peak (e.g. flat): the peak moves to this bar.
        this.peakIndex = i;
        this.peakDay = this.day;
      }
    } else {
      this.underwater = true;
      const dd = ((this.peak - equity) / this.peak) * 100;
      if (dd > this.worst) this.worst = dd;
    }
  }

  /** A new UTC day starts at bar `i`: the previous bar closed the previous day. */
  private startDay(i: number, close: StepClose): void {
    // Numbers are read from `close` (and the previous bar's equity from `last`): fractional numbers
    // passed to a call V8 does not inline are boxed, and on daily bars this runs every bar.
    const timeMs = close.timeMs;
    if (i === 0) this.firstTime = timeMs;
    else this.pushDayEnd();
    this.day = Math.floor(timeMs / DAY_MS);
    this.nextDayStart = (this.day + 1) * DAY_MS;
    if (i === 0) this.peakDay = this.day;
  }

  /** Equity at or above the peak at bar `i`: closes a drawdown span, moves the peak. */
  private newPeak(i: number, close: StepClose): void {
    if (this.underwater) this.closeSpan(i);
    this.underwater = false;
    this.peak = close.equity;
    this.peakIndex = i;
    this.peakDay = this.day;
  }

  /** True once {@link finalSummary} has ended the accumulation. */
  get isFinished(): boolean {
    return this.finished;
  }

  /** The summary so far (does not end the accumulation). */
  summary(): EquitySummary {
    return this.summarize(false);
  }

  /**
   * The summary, ending the accumulation: its `dayEndEquity` is a view of the accumulator's own
   * buffer (a copy when that would keep a buffer over twice its size alive) — mind `byteOffset` and
   * `byteLength` before using its `.buffer`. Pushing afterwards throws.
   */
  finalSummary(): EquitySummary {
    const summary = this.summarize(true);
    this.finished = true;
    return summary;
  }

  private summarize(final: boolean): EquitySummary {
    const n = this.n;
    let longestBars = this.longestBars;
    let longestDays = this.longestDays;
    if (this.underwater) {
      longestBars = Math.max(longestBars, n - 1 - this.peakIndex);
      longestDays = Math.max(longestDays, this.day - this.peakDay);
    }
    let dayEnds: Float64Array | undefined;
    if (this.keepDayEnds) {
      if (n === 0) dayEnds = new Float64Array(0);
      else if (final) {
        if (this.days === this.dayEnds.length) this.growDayEnds();
        this.dayEnds[this.days] = this.last;
        // A view when it fills most of the buffer (the usual backtest: sized up front); a copy
        // when most of the buffer would be kept alive for nothing (a live run that grew it).
        dayEnds = (this.days + 1) * 2 >= this.dayEnds.length ? this.dayEnds.subarray(0, this.days + 1) : this.dayEnds.slice(0, this.days + 1);
      } else {
        dayEnds = new Float64Array(this.days + 1);
        dayEnds.set(this.dayEnds.subarray(0, this.days));
        dayEnds[this.days] = this.last;
      }
    }
    // The current (last) day has not closed yet inside the accumulator: count its return here
    // without changing the running state.
    let count = this.returnCount;
    let shift = this.returnShift;
    let sum = this.shiftedSum;
    let squares = this.shiftedSquares;
    let downside = this.downside;
    if (n > 0 && !Number.isNaN(this.previousDayEnd)) {
      const r = this.previousDayEnd === 0 ? 0 : this.last / this.previousDayEnd - 1;
      if (count === 0) shift = r;
      count++;
      const d = r - shift;
      sum += d;
      squares += d * d;
      const shortfall = Math.min(0, r - this.target);
      downside += shortfall * shortfall;
    }
    const mean = count > 0 ? shift + sum / count : 0;
    const m2 = count > 0 ? Math.max(0, squares - (sum * sum) / count) : 0;
    return Object.freeze({
      initialCapital: this.initialCapital,
      bars: n,
      startTimeMs: n > 0 ? this.firstTime : null,
      endTimeMs: n > 0 ? this.lastTime : null,
      finalEquity: n > 0 ? this.last : this.initialCapital,
      equitySum: this.sum,
      maxDrawdownPct: this.worst,
      maxDrawdownDurationBars: longestBars,
      maxDrawdownDurationDays: longestDays,
      dayEndEquity: dayEnds,
      dailyReturns: Object.freeze({ count, mean, m2, downsideSquares: downside, downsideTarget: this.target }),
      exposedBars: this.exposed,
    });
  }

  private closeSpan(end: number): void {
    if (end - this.peakIndex > this.longestBars) this.longestBars = end - this.peakIndex;
    if (this.day - this.peakDay > this.longestDays) this.longestDays = this.day - this.peakDay;
  }

  /** The previous bar ({@link last}) closed a day. */
  private pushDayEnd(): void {
    const value = this.last;
    const previous = this.previousDayEnd;
    if (!Number.isNaN(previous)) {
      const r = previous === 0 ? 0 : value / previous - 1;
      if (this.returnCount++ === 0) this.returnShift = r;
      const d = r - this.returnShift;
      this.shiftedSum += d;
      this.shiftedSquares += d * d;
      const shortfall = Math.min(0, r - this.target);
      this.downside += shortfall * shortfall;
    }
    this.previousDayEnd = value;
    if (!this.keepDayEnds) return;
    if (this.days === this.dayEnds.length) this.growDayEnds();
    this.dayEnds[this.days++] = value;
  }

  private growDayEnds(): void {
    const grown = new Float64Array(Math.max(16, this.dayEnds.length * 2));
    grown.set(this.dayEnds);
    this.dayEnds = grown;
  }
}

