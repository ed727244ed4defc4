/**
 * SymbolData (a strategy's view of one symbol up to the current bar) and the merged timeline of
 * several symbols as the strategy sees it.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from './backtest.js';
import { ConfigError } from './config-error.js';
import { SymbolData } from './symbol-data.js';
import { barsOf, DAY_MS, flatBars, runScript, scriptedStrategy, T0_MS } from './test-support.js';

const bars = barsOf(
  'A',
  [
    [10, 11, 9, 10.5],
    [10.5, 12, 10, 11.5],
    [11.5, 13, 11, 12.5],
  ],
  { volume: [100, 200, 300], extras: { vix: [20, 21, 22] } },
);

describe('SymbolData', () => {
  it('before the first bar: nothing is known', () => {
    const view = new SymbolData(bars, 0);
    expect(view.index).toBe(-1);
    expect(view.length).toBe(0);
    expect(view.closes().length).toBe(0);
    expect(() => view.close()).toThrow(new RangeError('A: no bar 0 bars ago (0 bars known so far)'));
  });

  it('reads OHLCV, time and extra columns `ago` bars back from the current bar', () => {
    const view = new SymbolData(bars, 0);
    view.index = 2;
    expect(view.symbol).toBe('A');
    expect(view.length).toBe(3);
    expect([view.open(), view.high(), view.low(), view.close()]).toEqual([11.5, 13, 11, 12.5]);
    expect([view.open(2), view.high(1), view.low(2), view.close(1)]).toEqual([10, 12, 9, 11.5]);
    expect(view.volume(1)).toBe(200);
    expect(view.timeMs(2)).toBe(T0_MS);
    expect(view.has('vix')).toBe(true);
    expect(view.has('signal')).toBe(false);
    expect(view.value('vix', 1)).toBe(21);
    expect(() => view.value('signal')).toThrow(new RangeError('A has no column "signal" — columns: vix'));
  });

  it('refuses to look forward or past the first bar', () => {
    const view = new SymbolData(bars, 0);
    view.index = 1;
    expect(() => view.close(-1)).toThrow(new RangeError('A: no bar -1 bars ago (2 bars known so far)'));
    expect(() => view.close(2)).toThrow(new RangeError('A: no bar 2 bars ago (2 bars known so far)'));
    expect(() => view.open(Number.NaN)).toThrow(RangeError);
  });

  it('closes(count) is a zero-copy view ending at the current bar', () => {
    const view = new SymbolData(bars, 0);
    view.index = 1;
    expect([...view.closes()]).toEqual([10.5, 11.5]);
    expect([...view.closes(1)]).toEqual([11.5]);
    expect([...view.closes(10)]).toEqual([10.5, 11.5]);
    expect(view.closes().buffer).toBe(bars.close.buffer);
  });

  it('volume is NaN and extras are empty when the data has none', () => {
    const view = new SymbolData(flatBars('B', 2, 5), 1);
    view.index = 0;
    expect(view.volume()).toBeNaN();
    expect(view.rank).toBe(1);
    expect(() => view.value('vix')).toThrow(new RangeError('B has no column "vix" — columns: (none)'));
  });
});

describe('the strategy’s view during a run', () => {
  it('sees exactly the bars up to the current one', () => {
    const seen: [number, number, number][] = [];
    runScript(bars, {}, {}, { onBar: (ctx) => seen.push([ctx.step, ctx.data().length, ctx.data().close()]) });
    expect(seen).toEqual([
      [0, 1, 10.5],
      [1, 2, 11.5],
      [2, 3, 12.5],
    ]);
  });

  it('two symbols merge by time, then symbol order; each view advances only on its own bars', () => {
    // A at days 0, 2, 4; B at days 1, 2, 3 → steps: d0 (A), d1 (B), d2 (A and B), d3 (B), d4 (A).
    const a = barsOf('A', [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]], { timesMs: [0, 2, 4].map((d) => T0_MS + d * DAY_MS) });
    const b = barsOf('B', [[10, 10, 10, 10], [20, 20, 20, 20], [30, 30, 30, 30]], { timesMs: [1, 2, 3].map((d) => T0_MS + d * DAY_MS) });
    const seen: unknown[] = [];
    const { result } = runScript([a, b], {}, {}, {
      onBar: (ctx) => {
        const va = ctx.data('A');
        const vb = ctx.data('B');
        seen.push([(ctx.timeMs - T0_MS) / DAY_MS, va.index, va.updated, vb.index, vb.updated]);
      },
    });
    expect(seen).toEqual([
      [0, 0, true, -1, false],
      [1, 0, false, 0, true],
      [2, 1, true, 1, true],
      [3, 1, false, 2, true],
      [4, 2, true, 2, false],
    ]);
    expect(result.symbols).toEqual(['A', 'B']);
    expect(result.metrics.bars).toBe(5);
  });

  it('the context names symbols and refuses unknown ones', () => {
    let symbols: readonly string[] = [];
    let error: unknown;
    runScript([flatBars('A', 1, 1), flatBars('B', 1, 2)], {}, {}, {
      onBar: (ctx) => {
        symbols = ctx.symbols;
        try {
          ctx.data('C');
        } catch (e) {
          error = e;
        }
      },
    });
    expect(symbols).toEqual(['A', 'B']);
    expect(error).toEqual(new RangeError('unknown symbol C — known: A, B'));
  });

  it('duplicate symbols are refused before the run', () => {
    const { definition } = scriptedStrategy({});
    expect(() => runBacktest({ data: [flatBars('A', 1, 1), flatBars('A', 1, 2)], strategy: definition })).toThrow(
      new ConfigError('data', 'duplicate symbols: A, A'),
    );
  });
});
