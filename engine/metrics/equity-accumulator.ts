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
  /** Equity at the last bar of each UTC calendar day, in order. */
  readonly dayEndEquity: Float64Array;
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
  private n = 0;
  private firstTime = Number.NaN;
  private lastTime = Number.NaN;
  private last = Number.NaN;
  private sum = 0;
  private peak: number;
  private worst = 0;
  private peakIndex = -1;
  private peakDay = Number.NaN;
  private underwater = false;
  private longestBars = 0;
  private longestDays = 0;
  private exposed = 0;
  private day = Number.NaN;
  private nextDayStart = Number.NEGATIVE_INFINITY;
  private dayEnds = new Float64Array(256);
  private days = 0;

  constructor(readonly initialCapital: number) {
    if (!(initialCapital > 0) || !Number.isFinite(initialCapital)) {
      throw new RangeError(`initialCapital must be a finite number > 0, got ${initialCapital}`);
    }
    this.peak = initialCapital;
  }

  /** Adds the equity at the close of the next bar (`timeMs` non-decreasing). */
  push(timeMs: number, equity: number, exposed: boolean): void {
    const i = this.n++;
    if (i === 0) this.firstTime = timeMs;
    if (timeMs >= this.nextDayStart) {
      // A new UTC day: the previous bar closed the previous day.
      if (i > 0) this.pushDayEnd(this.last);
      this.day = Math.floor(timeMs / DAY_MS);
      this.nextDayStart = (this.day + 1) * DAY_MS;
      if (i === 0) this.peakDay = this.day;
    }
    this.lastTime = timeMs;
    this.last = equity;
    this.sum += equity;
    if (exposed) this.exposed++;
    if (equity >= this.peak) {
      if (this.underwater) this.closeSpan(i);
      this.underwater = false;
      this.peak = equity;
      this.peakIndex = i;
      this.peakDay = this.day;
    } else {
      this.underwater = true;
      const dd = ((this.peak - equity) / this.peak) * 100;
      if (dd > this.worst) this.worst = dd;
    }
  }

  /** The summary so far (does not end the accumulation). */
  summary(): EquitySummary {
    const n = this.n;
    let longestBars = this.longestBars;
    let longestDays = this.longestDays;
    if (this.underwater) {
      longestBars = Math.max(longestBars, n - 1 - this.peakIndex);
      longestDays = Math.max(longestDays, this.day - this.peakDay);
    }
    const dayEnds = n > 0 ? new Float64Array(this.days + 1) : new Float64Array(0);
    if (n > 0) {
      dayEnds.set(this.dayEnds.subarray(0, this.days));
      dayEnds[this.days] = this.last;
    }
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
      exposedBars: this.exposed,
    });
  }

  private closeSpan(end: number): void {
    if (end - this.peakIndex > this.longestBars) this.longestBars = end - this.peakIndex;
    if (this.day - this.peakDay > this.longestDays) this.longestDays = this.day - this.peakDay;
  }

  private pushDayEnd(value: number): void {
    if (this.days === this.dayEnds.length) {
      const grown = new Float64Array(this.dayEnds.length * 2);
      grown.set(this.dayEnds);
      this.dayEnds = grown;
    }
    this.dayEnds[this.days++] = value;
  }
}
