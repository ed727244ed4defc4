/**
 * Per-step output columns (time, equity, exposure, cumulative costs), growable for live runs,
 * preallocated for backtests. `view()` returns zero-copy views of the filled part.
 */
export class SeriesRecorder {
  private time: Float64Array;
  private equity: Float64Array;
  private exposure: Float64Array;
  private costs: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    const n = Math.max(16, capacity);
    this.time = new Float64Array(n);
    this.equity = new Float64Array(n);
    this.exposure = new Float64Array(n);
    this.costs = new Float64Array(n);
  }

  /** Appends one step. `exposure` is gross position value ÷ equity; `costs` is cumulative. */
  push(timeMs: number, equity: number, exposure: number, costs: number): void {
    if (this.length === this.time.length) this.grow();
    const i = this.length++;
    this.time[i] = timeMs;
    this.equity[i] = equity;
    this.exposure[i] = exposure;
    this.costs[i] = costs;
  }

  /** Views of the recorded columns (valid until the next push that grows the buffers). */
  view(): { timeMs: Float64Array; equity: Float64Array; exposure: Float64Array; costs: Float64Array } {
    const n = this.length;
    return {
      timeMs: this.time.subarray(0, n),
      equity: this.equity.subarray(0, n),
      exposure: this.exposure.subarray(0, n),
      costs: this.costs.subarray(0, n),
    };
  }

  private grow(): void {
    const n = this.time.length * 2;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.time = grow(this.time);
    this.equity = grow(this.equity);
    this.exposure = grow(this.exposure);
    this.costs = grow(this.costs);
  }
}
