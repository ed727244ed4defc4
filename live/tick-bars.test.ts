import { describe, expect, it } from 'vitest';
import { parseTick, TickBars, type Tick } from './tick-bars.js';

const T0 = Date.UTC(2024, 0, 2, 9, 30);
const sec = (s: number) => T0 + s * 1000;
const trade = (symbol: string, s: number, price: number, size: number): Tick => ({ symbol, timeMs: sec(s), price, size });

describe('TickBars', () => {
  it('builds 1-minute OHLCV bars with VWAP, stamped at the minute close, sent when a later minute starts', () => {
    const bars = new TickBars();
    expect(bars.add(trade('A', 10, 100, 2))).toEqual({ closed: [] });
    expect(bars.add(trade('A', 40, 102, 1))).toEqual({ closed: [] });
    // Out of order inside the current minute: earlier than the open so far → the new open.
    expect(bars.add(trade('A', 5, 101, 1))).toEqual({ closed: [] });
    // A quote's mid (99.5), size 0: a price (the new low and the close) but no volume.
    const quote = parseTick({ type: 'quote', symbol: 'A', timeMs: sec(50), bid: 99, ask: 100 });
    expect(quote.tick).toEqual({ symbol: 'A', timeMs: sec(50), price: 99.5, size: 0 });
    expect(bars.add(quote.tick!)).toEqual({ closed: [] });
    expect(bars.add(trade('B', 20, 50, 4))).toEqual({ closed: [] });

    // 09:31:00 exactly is the next minute's first instant: it closes the 09:30 bars, stamped 09:31.
    const next = bars.add(trade('A', 60, 103, 1));
    expect(next.closed).toEqual([
      // VWAP (100×2 + 102×1 + 101×1) ÷ 4 = 403 ÷ 4 = 100.75; the quote adds no volume.
      { symbol: 'A', timeMs: sec(60), open: 101, high: 102, low: 99.5, close: 99.5, volume: 4, extras: { vwap: 100.75 } },
      { symbol: 'B', timeMs: sec(60), open: 50, high: 50, low: 50, close: 50, volume: 4, extras: { vwap: 50 } },
    ]);
    expect(bars.currentStartMs).toBe(sec(60));

    // A tick of the closed minute is refused: its bar was sent.
    expect(bars.add(trade('B', 59, 51, 1)).problem).toBe('B tick at 2024-01-02T09:30:59.000Z: its bar (closing 2024-01-02T09:31:00.000Z) was sent already — the feed is at 2024-01-02T09:31:00.000Z');

    expect(bars.add(parseTick({ type: 'quote', symbol: 'B', timeMs: sec(90), bid: 51, ask: 51.5 }).tick!)).toEqual({ closed: [] });
    // End of the feed: the last minute closes too; a bar of quotes only has volume 0 and no VWAP.
    expect(bars.flush()).toEqual([
      { symbol: 'A', timeMs: sec(120), open: 103, high: 103, low: 103, close: 103, volume: 1, extras: { vwap: 103 } },
      { symbol: 'B', timeMs: sec(120), open: 51.25, high: 51.25, low: 51.25, close: 51.25, volume: 0, extras: { vwap: Number.NaN } },
    ]);
    expect(bars.flush()).toEqual([]);
    expect(bars.add(trade('A', 119, 104, 1)).problem).toMatch(/was sent already/);
    expect(bars.add(trade('A', 120, 104, 1))).toEqual({ closed: [] });
  });

  it('on equal times the open is the first tick to arrive and the close the last; minutes without ticks have no bar', () => {
    const bars = new TickBars();
    bars.add(trade('A', 30, 10, 1));
    bars.add(trade('A', 30, 12, 3));
    bars.add(trade('A', 30, 11, 0));
    // Skips 09:31 and 09:32: the next bar is the 09:33 one.
    const { closed } = bars.add(trade('A', 200, 13, 1));
    // VWAP (10×1 + 12×3 + 11×0) ÷ 4 = 46 ÷ 4 = 11.5.
    expect(closed).toEqual([{ symbol: 'A', timeMs: sec(60), open: 10, high: 12, low: 10, close: 11, volume: 4, extras: { vwap: 11.5 } }]);
    expect(bars.flush()).toEqual([{ symbol: 'A', timeMs: sec(240), open: 13, high: 13, low: 13, close: 13, volume: 1, extras: { vwap: 13 } }]);
  });

  it('takes other intervals', () => {
    const bars = new TickBars(5_000);
    bars.add(trade('A', 1, 10, 1));
    expect(bars.add(trade('A', 5, 11, 1)).closed).toEqual([{ symbol: 'A', timeMs: sec(5), open: 10, high: 10, low: 10, close: 10, volume: 1, extras: { vwap: 10 } }]);
    expect(() => new TickBars(0)).toThrow(RangeError);
  });
});

describe('parseTick', () => {
  it('reads trades and quotes', () => {
    expect(parseTick({ type: 'tick', symbol: 'A', timeMs: T0, price: 10.5, size: 3, venue: 'X' })).toEqual({ tick: { symbol: 'A', timeMs: T0, price: 10.5, size: 3 } });
    expect(parseTick({ type: 'quote', symbol: 'A', timeMs: T0, bid: 10, ask: 10 })).toEqual({ tick: { symbol: 'A', timeMs: T0, price: 10, size: 0 } });
  });

  it('names what is wrong', () => {
    expect(parseTick([1])).toEqual({ problem: 'not a tick object: [1]' });
    expect(parseTick({ type: 'bar', symbol: 'A' }).problem).toBe('type must be "tick" or "quote" on a tick feed, was "bar"');
    expect(parseTick({ type: 'tick', symbol: '', timeMs: T0 }).problem).toBe('tick: symbol must be a non-empty string, was ""');
    expect(parseTick({ type: 'tick', symbol: 'A', timeMs: '09:30' }).problem).toBe('A tick: timeMs must be epoch milliseconds, was "09:30"');
    expect(parseTick({ type: 'tick', symbol: 'A', timeMs: T0, price: null, size: 1 }).problem).toBe('A tick at 2024-01-02T09:30:00.000Z: price must be a number > 0, was null');
    expect(parseTick({ type: 'tick', symbol: 'A', timeMs: T0, price: -1, size: 1 }).problem).toMatch(/price must be a number > 0, was -1/);
    expect(parseTick({ type: 'tick', symbol: 'A', timeMs: T0, price: 1, size: -1 }).problem).toMatch(/size must be a number >= 0, was -1/);
    expect(parseTick({ type: 'tick', symbol: 'A', timeMs: T0, price: 1 }).problem).toMatch(/size must be a number >= 0, was undefined/);
    expect(parseTick({ type: 'quote', symbol: 'A', timeMs: T0, bid: 0, ask: 1 }).problem).toMatch(/bid must be a number > 0, was 0/);
    expect(parseTick({ type: 'quote', symbol: 'A', timeMs: T0, bid: 10, ask: 9.5 }).problem).toBe('A quote at 2024-01-02T09:30:00.000Z: crossed (ask 9.5 < bid 10)');
  });
});
