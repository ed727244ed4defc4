import type { BarMessage } from './feed.js';

/** One minute, the length of the bars {@link TickBars} builds by default, ms. */
export const MINUTE_MS = 60_000;

/** A trade (`type: "tick"`) or a quote's mid price (`type: "quote"`, size 0), checked. */
export interface Tick {
  readonly symbol: string;
  /** Event time, epoch milliseconds UTC. */
  readonly timeMs: number;
  /** Trade price, or the quote's mid `(bid + ask) ÷ 2`; finite and > 0. */
  readonly price: number;
  /** Traded quantity (>= 0); 0 for a quote. */
  readonly size: number;
}

/** The outcome of {@link parseTick}. */
export type TickParse = { readonly tick: Tick; readonly problem?: undefined } | { readonly tick?: undefined; readonly problem: string };

/**
 * Checks a parsed JSON message of a tick feed: `{"type": "tick", symbol, timeMs, price, size}` or
 * `{"type": "quote", symbol, timeMs, bid, ask}`.
 * @returns the tick, or `problem`: why it is not one (the feed warns and drops it).
 */
export function parseTick(value: unknown): TickParse {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: `not a tick object: ${show(value)}` };
  const fields = value as Record<string, unknown>;
  const type = fields['type'];
  if (type !== 'tick' && type !== 'quote') return { problem: `type must be "tick" or "quote" on a tick feed, was ${show(type)}` };
  const symbol = fields['symbol'];
  if (typeof symbol !== 'string' || symbol === '') return { problem: `${type}: symbol must be a non-empty string, was ${show(symbol)}` };
  const timeMs = fields['timeMs'];
  if (typeof timeMs !== 'number' || !Number.isFinite(timeMs)) return { problem: `${symbol} ${type}: timeMs must be epoch milliseconds, was ${show(timeMs)}` };
  const positive = (name: string): number | string => {
    const v = fields[name];
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : `${symbol} ${type} at ${iso(timeMs)}: ${name} must be a number > 0, was ${show(v)}`;
  };
  if (type === 'tick') {
    const price = positive('price');
    if (typeof price === 'string') return { problem: price };
    const size = fields['size'];
    if (typeof size !== 'number' || !Number.isFinite(size) || size < 0) return { problem: `${symbol} tick at ${iso(timeMs)}: size must be a number >= 0, was ${show(size)}` };
    return { tick: { symbol, timeMs, price, size } };
  }
  const bid = positive('bid');
  if (typeof bid === 'string') return { problem: bid };
  const ask = positive('ask');
  if (typeof ask === 'string') return { problem: ask };
  if (ask < bid) return { problem: `${symbol} quote at ${iso(timeMs)}: crossed (ask ${ask} < bid ${bid})` };
  return { tick: { symbol, timeMs, price: (bid + ask) / 2, size: 0 } };
}

/** What {@link TickBars.add} did: bars it closed (to send, in order), or why the tick was refused. */
export type TickOutcome = { readonly closed: readonly BarMessage[]; readonly problem?: undefined } | { readonly closed?: undefined; readonly problem: string };

/** The bar being built for one symbol in the current interval. */
interface OpenBar {
  openTimeMs: number;
  open: number;
  high: number;
  low: number;
  closeTimeMs: number;
  close: number;
  volume: number;
  /** Σ price × size of the trades, for the VWAP. */
  notional: number;
}

/**
 * Builds OHLCV bars from ticks: one bar per symbol and interval `[t, t + intervalMs)` that has a
 * tick, stamped at its close `t + intervalMs` (the engine's convention). Open and close are the
 * prices of the earliest and latest tick by `timeMs` (the first to arrive on a tie, and the last),
 * so ticks may arrive out of order inside an interval. Volume is the sum of trade sizes; `extras.vwap`
 * is Σ price × size ÷ volume over the trades, NaN ("no value") for a bar of quotes only.
 *
 * The interval moves forward for all symbols at once: a tick in a later interval closes the bars
 * of every symbol, which {@link add} returns — so bars leave in time order across symbols, as the
 * `Feed` contract asks. A tick of an interval already closed is refused (its bar was sent; a bar is
 * final when sent). {@link flush} closes the last bars at the end of the feed.
 */
export class TickBars {
  private startMs = Number.NEGATIVE_INFINITY;
  /** Open bars of the current interval, by symbol in first-tick order. */
  private readonly open = new Map<string, OpenBar>();

  constructor(readonly intervalMs: number = MINUTE_MS) {
    if (!(intervalMs > 0 && Number.isInteger(intervalMs))) throw new RangeError(`intervalMs must be a whole number > 0, was ${intervalMs}`);
  }

  /** Start of the current interval (epoch ms), -Infinity before the first tick. */
  get currentStartMs(): number {
    return this.startMs;
  }

  /** Adds a tick; returns the bars a tick of a later interval closed (none otherwise), or the refusal. */
  add(tick: Tick): TickOutcome {
    const startMs = Math.floor(tick.timeMs / this.intervalMs) * this.intervalMs;
    if (startMs < this.startMs) {
      return { problem: `${tick.symbol} tick at ${iso(tick.timeMs)}: its bar (closing ${iso(startMs + this.intervalMs)}) was sent already — the feed is at ${iso(this.startMs)}` };
    }
    const closed = startMs > this.startMs ? this.close() : [];
    this.startMs = startMs;
    const bar = this.open.get(tick.symbol);
    const { timeMs, price, size } = tick;
    if (bar === undefined) {
      this.open.set(tick.symbol, { openTimeMs: timeMs, open: price, high: price, low: price, closeTimeMs: timeMs, close: price, volume: size, notional: price * size });
      return { closed };
    }
    if (timeMs < bar.openTimeMs) {
      bar.openTimeMs = timeMs;
      bar.open = price;
    }
    if (timeMs >= bar.closeTimeMs) {
      bar.closeTimeMs = timeMs;
      bar.close = price;
    }
    if (price > bar.high) bar.high = price;
    if (price < bar.low) bar.low = price;
    bar.volume += size;
    bar.notional += price * size;
    return { closed };
  }

  /**
   * Closes the open bars (end of the feed) and returns them, one per symbol that had a tick. The
   * interval counts as closed: a later tick in it is refused.
   */
  flush(): BarMessage[] {
    const bars = this.close();
    if (bars.length > 0) this.startMs += this.intervalMs;
    return bars;
  }

  private close(): BarMessage[] {
    const timeMs = this.startMs + this.intervalMs;
    const bars: BarMessage[] = [];
    for (const [symbol, b] of this.open) {
      bars.push({
        symbol,
        timeMs,
        open: b.open,
        high: b.high,
        low: b.low,
        close: b.close,
        volume: b.volume,
        extras: { vwap: b.volume > 0 ? b.notional / b.volume : Number.NaN },
      });
    }
    this.open.clear();
    return bars;
  }
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

function show(value: unknown): string {
  if (typeof value === 'number' || value === undefined) return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
