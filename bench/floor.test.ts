import { describe, expect, it } from 'vitest';
import { loadBars } from '../data/load.js';
import { synthBars } from '../data/synth.js';
import { floorSmaCross } from './floor.js';
import { ENGINE_OUTPUT, runEngine, runFloor, verifyParity, type RunSettings } from './in-process.js';
import { interleave, median } from './measure.js';

const SP500 = new URL('../data/samples/sp500-2000.csv', import.meta.url).pathname;
const base: RunSettings = { fast: 10, slow: 30, initialCapital: 100_000, commissionRate: 0 };

describe('floorSmaCross computes what the engine computes (bit for bit)', () => {
  it('on the S&P 500 sample, matching the sma-cross golden figures', async () => {
    const { bars } = await loadBars(SP500);
    const { outcome } = verifyParity('S&P 500', bars, base);
    expect(outcome.closedTrades).toBe(87);
    expect(outcome.openTrades).toBe(1);
    expect(Math.abs(outcome.finalEquity / 164_421.015164 - 1)).toBeLessThan(1e-9);
  });

  it('with a percent commission and other periods', async () => {
    const { bars } = await loadBars(SP500);
    for (const settings of [
      { ...base, commissionRate: 0.001 },
      { ...base, fast: 3, slow: 7, commissionRate: 0.0005 },
      { ...base, fast: 20, slow: 100 },
    ]) {
      expect(() => verifyParity(`fast ${settings.fast}`, bars, settings)).not.toThrow();
    }
  });

  it('on synthetic minute bars, including buys refused for a zero size', () => {
    const bars = synthBars({ bars: 50_000, seed: 3, intervalMs: 60_000 });
    verifyParity('synthetic', bars, base);
    // 10 cash at prices near 100: every size rounds to 0 and every buy is refused.
    const poor = { ...base, initialCapital: 10, commissionRate: 0.001 };
    verifyParity('synthetic, too little cash', bars, poor);
    expect(runFloor(bars, poor, false).closedTrades).toBe(0);
    expect(runEngine(bars, poor, ENGINE_OUTPUT.engineLean).closedTrades).toBe(0);
  });

  it('writes the equity curve only when asked, without changing the figures', () => {
    const bars = synthBars({ bars: 1000, seed: 1 });
    const input = { open: bars.open, close: bars.close, fast: 10, slow: 30, initialCapital: 100_000, commissionRate: 0 };
    const lean = floorSmaCross(input);
    const kept = floorSmaCross({ ...input, keepEquity: true });
    expect(lean.equity).toBeUndefined();
    expect(kept.equity?.length).toBe(1000);
    expect(kept.equity?.[999]).toBe(lean.finalEquity);
    expect({ ...kept, equity: undefined }).toEqual(lean);
  });
});

describe('measure', () => {
  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('interleave rotates the order each round and checks every result', () => {
    const calls: string[] = [];
    const timings = interleave(
      ['a', 'b', 'c'].map((name) => ({ name, units: 10, run: () => calls.push(name) })),
      { warmup: 1, rounds: 3, check: (_, result) => expect(result).toBeGreaterThan(0) },
    );
    expect(calls.join('')).toBe('abc' + 'abc' + 'bca' + 'cab');
    expect(timings.map((t) => t.seconds.length)).toEqual([3, 3, 3]);
  });
});
