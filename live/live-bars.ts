import type { BarColumns, BarSeries } from '../engine/bars.js';
import { checkRow } from '../data/row-checks.js';
import type { ParsedBar } from './bar-message.js';

/** Default room per symbol: 16.7 million bars (32 years of 1-minute bars around the clock). */
export const DEFAULT_MAX_BARS = 1 << 24;

/** ES2024 resizable `ArrayBuffer` (Node ≥ 20), typed here because the project's lib is ES2022. */
type ResizableBuffer = ArrayBuffer & { resize(byteLength: number): void; readonly maxByteLength: number };
const ResizableBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableBuffer;

/**
 * One symbol's bars that grow while a paper run goes on: a {@link BarSeries} whose columns are
 * length-tracking `Float64Array`s over resizable buffers. A column keeps its identity as it grows,
 * so every part of the engine that took a column when it was built (the spread column, a regime
 * classifier's vol column, a strategy's view) sees the new bars without being told. Each column
 * always holds exactly `length` values, as `BarSeries` promises. The address space for `maxBars`
 * is reserved up front; memory is committed as bars arrive.
 */
export class LiveBars implements BarSeries {
  readonly timeMs: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array | undefined;
  readonly extras: Readonly<Record<string, Float64Array>>;
  private readonly buffers: ResizableBuffer[] = [];
  /** A one-row copy of a candidate bar, checked with the loaders' row rules before it is appended. */
  private readonly scratch: BarColumns;
  private count = 0;

  /** Empty bars with the columns of `shape` (volume if it has one, the same extras, in order). */
  constructor(
    readonly symbol: string,
    shape: Pick<BarSeries, 'volume' | 'extras'>,
    readonly maxBars = DEFAULT_MAX_BARS,
  ) {
    const column = (): Float64Array => {
      const buffer = new ResizableBuffer(0, { maxByteLength: maxBars * Float64Array.BYTES_PER_ELEMENT });
      this.buffers.push(buffer);
      return new Float64Array(buffer);
    };
    this.timeMs = column();
    this.open = column();
    this.high = column();
    this.low = column();
    this.close = column();
    this.volume = shape.volume === undefined ? undefined : column();
    this.extras = Object.freeze(Object.fromEntries(Object.keys(shape.extras).map((name) => [name, column()])));
    const one = (): Float64Array => new Float64Array(1);
    this.scratch = {
      symbol,
      timeMs: one(),
      open: one(),
      high: one(),
      low: one(),
      close: one(),
      volume: this.volume === undefined ? undefined : one(),
      extras: Object.fromEntries(Object.keys(this.extras).map((name) => [name, one()])),
    };
  }

  /** A growable copy of `bars` (same symbol, columns and values). */
  static copyOf(bars: BarSeries, maxBars = Math.max(DEFAULT_MAX_BARS, 2 * bars.length)): LiveBars {
    const live = new LiveBars(bars.symbol, bars, maxBars);
    live.resize(bars.length);
    live.timeMs.set(bars.timeMs);
    live.open.set(bars.open);
    live.high.set(bars.high);
    live.low.set(bars.low);
    live.close.set(bars.close);
    if (bars.volume !== undefined) live.volume!.set(bars.volume);
    for (const [name, column] of Object.entries(live.extras)) column.set(bars.extras[name]!);
    return live;
  }

  get length(): number {
    return this.count;
  }

  /** Time of the last bar, or -Infinity when there is none. */
  get lastTimeMs(): number {
    return this.count === 0 ? Number.NEGATIVE_INFINITY : this.timeMs[this.count - 1]!;
  }

  /**
   * What is wrong with `bar`'s values by the loaders' rules (`data/row-checks.ts`: finite positive
   * prices, `high ≥ low`, open and close inside the range, finite volume >= 0 when these bars have
   * volume, no infinite extra), or undefined. Time order is the caller's business.
   */
  problemWith(bar: ParsedBar): string | undefined {
    const s = this.scratch;
    s.timeMs[0] = bar.timeMs;
    s.open[0] = bar.open;
    s.high[0] = bar.high;
    s.low[0] = bar.low;
    s.close[0] = bar.close;
    if (s.volume !== undefined) s.volume[0] = bar.volume;
    for (const [name, column] of Object.entries(s.extras ?? {})) column[0] = bar.extras[name] ?? Number.NaN;
    return checkRow(s, 0)?.reason;
  }

  /** Appends a bar checked by {@link problemWith}. Throws `RangeError` when `maxBars` are held. */
  append(bar: ParsedBar): void {
    const i = this.count;
    if (i >= this.maxBars) throw new RangeError(`${this.symbol}: the live series is full (${this.maxBars} bars) — restart the paper run with a shorter warm-up`);
    this.resize(i + 1);
    this.timeMs[i] = bar.timeMs;
    this.open[i] = bar.open;
    this.high[i] = bar.high;
    this.low[i] = bar.low;
    this.close[i] = bar.close;
    if (this.volume !== undefined) this.volume[i] = bar.volume;
    for (const [name, column] of Object.entries(this.extras)) column[i] = bar.extras[name] ?? Number.NaN;
  }

  private resize(length: number): void {
    for (const buffer of this.buffers) buffer.resize(length * Float64Array.BYTES_PER_ELEMENT);
    this.count = length;
  }
}
