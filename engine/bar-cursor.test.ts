import { describe, expect, it } from 'vitest';
import { BarCursor } from './bar-cursor.js';
import { barsOf, fillsOf, runScript } from './test-support.js';

describe('BarCursor', () => {
  const a = barsOf('A', [
    { open: 10, high: 12, low: 9, close: 11, volume: 500 },
    { open: 11, high: 13, low: 10.5, close: 12.5, volume: 700 },
  ], { extras: { spread: [0.2, 0.4] } });
  const b = barsOf('B', [[100, 101, 99, 100.5]]);

  it('reads the bar it points at, column by column', () => {
    const bar = new BarCursor(a).moveTo(a, 1);
    expect([bar.timeMs, bar.open, bar.high, bar.low, bar.close, bar.volume, bar.spread]).toEqual([
      a.timeMs[1], 11, 13, 10.5, 12.5, 700, 0.4,
    ]);
    bar.moveTo(a, 0);
    expect([bar.open, bar.high, bar.low, bar.close, bar.volume, bar.spread]).toEqual([10, 12, 9, 11, 500, 0.2]);
  });

  it('moves to another series, with NaN for a volume or spread it does not have', () => {
    const bar = new BarCursor(a).moveTo(b, 0);
    expect([bar.open, bar.high, bar.low, bar.close]).toEqual([100, 101, 99, 100.5]);
    expect(bar.volume).toBeNaN();
    expect(bar.spread).toBeNaN();
    bar.moveTo(a, 1);
    expect(bar.spread).toBe(0.4);
  });

  it('gives the slippage model the fill bar’s spread through the broker', () => {
    // Buy on bar 0 fills at bar 1's open 11 plus half its spread 0.4; the sell on bar 1 fills at
    // bar 2's open 12 minus half of 0.6.
    const data = barsOf('A', [[10, 10, 10, 10], [11, 11, 11, 11], [12, 12, 12, 12]], { extras: { spread: [0.2, 0.4, 0.6] } });
    const { result } = runScript(
      data,
      { 0: [{ submit: { side: 'buy', qty: 10 } }], 1: [{ submit: { side: 'sell', qty: 10 } }] },
      { costs: { spreadFromColumn: true } },
    );
    expect(fillsOf(result).map((f) => [f.price, f.slippage])).toEqual([
      [11, 0.2],
      [12, 0.3],
    ]);
    expect(result.metrics.finalEquity).toBeCloseTo(100_000 + 10 * (12 - 0.3) - 10 * (11 + 0.2), 9);
  });
});
