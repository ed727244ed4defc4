import { makeBarSeries, type BarSeries } from '../engine/bars.js';

/**
 * A bar series whose columns live in `SharedArrayBuffer`s: posting it to a worker (e.g. in
 * `workerData`) shares the memory instead of copying it. Plain data, structured-cloneable.
 */
export interface SharedBarColumns {
  readonly symbol: string;
  readonly timeMs: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array | undefined;
  readonly extras: Readonly<Record<string, Float64Array>>;
}

/**
 * Copies a series' columns once into `SharedArrayBuffer`-backed `Float64Array`s (one buffer per
 * series, columns laid out back to back). Windows (`subarray` views) copy only their window.
 */
export function shareBars(bars: BarSeries): SharedBarColumns {
  const columns: Float64Array[] = [bars.timeMs, bars.open, bars.high, bars.low, bars.close];
  if (bars.volume !== undefined) columns.push(bars.volume);
  const extraNames = Object.keys(bars.extras);
  for (const name of extraNames) columns.push(bars.extras[name]!);
  const n = bars.length;
  const buffer = new SharedArrayBuffer(columns.length * n * Float64Array.BYTES_PER_ELEMENT);
  const shared = columns.map((column, i) => {
    const view = new Float64Array(buffer, i * n * Float64Array.BYTES_PER_ELEMENT, n);
    view.set(column);
    return view;
  });
  const at = (i: number): Float64Array => shared[i]!;
  const hasVolume = bars.volume !== undefined;
  const firstExtra = hasVolume ? 6 : 5;
  const extras: Record<string, Float64Array> = {};
  extraNames.forEach((name, i) => (extras[name] = at(firstExtra + i)));
  return {
    symbol: bars.symbol,
    timeMs: at(0),
    open: at(1),
    high: at(2),
    low: at(3),
    close: at(4),
    volume: hasVolume ? at(5) : undefined,
    extras,
  };
}

/** Rebuilds a frozen {@link BarSeries} over shared columns (views, no copy), e.g. inside a worker. */
export function barsFromShared(shared: SharedBarColumns): BarSeries {
  return makeBarSeries(shared);
}
