/**
 * Columnar OHLCV bars: one `Float64Array` per field, timestamps in epoch milliseconds UTC.
 *
 * Bars are stamped at their close: a bar with `timeMs[i] = t` is fully known at `t`.
 * A `BarSeries` is never mutated by the engine; filters and windows are `subarray` views.
 */
export interface BarSeries {
  /** Instrument symbol these bars belong to (e.g. `SPX`). */
  readonly symbol: string;
  /** Number of bars. Every column has exactly this length. */
  readonly length: number;
  /** Bar timestamps, epoch milliseconds UTC, strictly increasing. */
  readonly timeMs: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** Traded volume, or `undefined` when the source had no volume column. */
  readonly volume: Float64Array | undefined;
  /**
   * Any other numeric columns (e.g. `vix`, `signal`, `confidence`, `adjclose`), keyed by their
   * lower-cased header name, in source column order.
   */
  readonly extras: Readonly<Record<string, Float64Array>>;
}

/** The fixed OHLC(V) field names, in canonical order. */
export const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;

/** Options for {@link makeBarSeries}. */
export interface BarColumns {
  readonly symbol: string;
  readonly timeMs: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume?: Float64Array | undefined;
  readonly extras?: Readonly<Record<string, Float64Array>>;
}

/**
 * Builds a frozen {@link BarSeries} from columns, checking that every column has the same length.
 * Does not validate prices (see `data/validate.ts` for that); throws `RangeError` on ragged columns.
 */
export function makeBarSeries(columns: BarColumns): BarSeries {
  const length = columns.timeMs.length;
  const check = (name: string, column: Float64Array): void => {
    if (column.length !== length) {
      throw new RangeError(`column ${name} has ${column.length} values, expected ${length} (same as time)`);
    }
  };
  check('open', columns.open);
  check('high', columns.high);
  check('low', columns.low);
  check('close', columns.close);
  if (columns.volume !== undefined) check('volume', columns.volume);
  const extras: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(columns.extras ?? {})) {
    check(name, column);
    extras[name] = column;
  }
  return Object.freeze({
    symbol: columns.symbol,
    length,
    timeMs: columns.timeMs,
    open: columns.open,
    high: columns.high,
    low: columns.low,
    close: columns.close,
    volume: columns.volume,
    extras: Object.freeze(extras),
  });
}

/**
 * A zero-copy window `[start, end)` of a series (views via `subarray`, never copies).
 */
export function sliceBars(bars: BarSeries, start: number, end: number): BarSeries {
  const s = Math.max(0, Math.min(start, bars.length));
  const e = Math.max(s, Math.min(end, bars.length));
  const extras: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(bars.extras)) extras[name] = column.subarray(s, e);
  return makeBarSeries({
    symbol: bars.symbol,
    timeMs: bars.timeMs.subarray(s, e),
    open: bars.open.subarray(s, e),
    high: bars.high.subarray(s, e),
    low: bars.low.subarray(s, e),
    close: bars.close.subarray(s, e),
    volume: bars.volume?.subarray(s, e),
    extras,
  });
}
