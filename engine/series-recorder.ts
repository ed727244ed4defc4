import { StepClose } from './step-close.js';

/**
 * Per-step output columns (time, equity, exposure, cumulative costs), growable for live runs,
 * preallocated for backtests. Columns that would only repeat what is known elsewhere are not
 * recorded: the time of a single-series backtest is its bars' time column, and cumulative costs
 * are all zero in a cost-free run. `view()` returns zero-copy views of the filled part.
 */
export class SeriesRecorder {
  private time: Float64Array;
  private equity: Float64Array;
  private exposure: Float64Array;
  private costs: Float64Array;
  length = 0;
  private readonly scratch = new StepClose();

  constructor(
    capacity = 1024,
    private readonly record: { readonly time: boolean; readonly costs: boolean } = { time: true, costs: true },
  ) {
    const n = Math.max(16, capacity);
    this.time = new Float64Array(record.time ? n : 0);
    this.equity = new Float64Array(n);
    this.exposure = new Float64Array(n);
    this.costs = new Float64Array(record.costs ? n : 0);
  }

  /** Appends one step. `exposure` is gross position value ÷ equity; `costs` is cumulative. */
  push(timeMs: number, equity: number, exposure: number, costs: number): void {
    const close = this.scratch;
    close.timeMs = timeMs;
    close.equity = equity;
    close.exposure = exposure;
    close.costs = costs;
    this.pushClose(close);
  }

  /** {@link push} with the numbers in a reused {@link StepClose} (the engine's per-step path: no boxing). */
  pushClose(close: StepClose): void {
    if (this.length === this.equity.length) this.grow();
    const i = this.length++;
    if (this.record.time) this.time[i] = close.timeMs;
    this.equity[i] = close.equity;
    this.exposure[i] = close.exposure;
    if (this.record.costs) this.costs[i] = close.costs;
  }

  /**
   * Views of the recorded columns (valid until the next push that grows the buffers); `timeMs` and
   * `costs` are undefined when they were not recorded.
   */
  view(): { timeMs: Float64Array | undefined; equity: Float64Array; exposure: Float64Array; costs: Float64Array | undefined } {
    const n = this.length;
    return {
      timeMs: this.record.time ? this.time.subarray(0, n) : undefined,
      equity: this.equity.subarray(0, n),
      exposure: this.exposure.subarray(0, n),
      costs: this.record.costs ? this.costs.subarray(0, n) : undefined,
    };
  }

  private grow(): void {
    const n = this.equity.length * 2;
    const grow = (a: Float64Array, keep: boolean): Float64Array => {
      if (!keep) return a;
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.time = grow(this.time, this.record.time);
    this.equity = grow(this.equity, true);
    this.exposure = grow(this.exposure, true);
    this.costs = grow(this.costs, this.record.costs);
  }
}
