import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../engine/backtest.js';
import { loadBars } from '../data/load.js';
import { sliceBars } from '../engine/bars.js';
import { findStrategy } from '../strategies/index.js';
import { transferableSymbol, valueSymbol } from 'piscina';
import { gridWorkerContext, movingReturns, runCells } from './grid-worker.js';
import { rowMetrics } from './results-columns.js';
import { dailyReturnsOf, timelineDays } from './returns-file.js';
import { shareBars } from './shared-bars.js';

const { bars: all } = await loadBars(fileURLToPath(new URL('../data/samples/sp500-2000.csv', import.meta.url)), { symbol: 'SPX' });
const bars = sliceBars(all, 2500, 3500);

describe('movingReturns', () => {
  it('hands piscina each cell’s return buffer to transfer, with the results as the value', () => {
    const a = new Float32Array([0.01, -0.02]);
    const b = new Float32Array([0.03]);
    const results = [a, b, new Float32Array(0)].map((returns, position) => ({ position, cell: position, metrics: {} as never, digest: 'd', returns }));
    const moved = movingReturns(results) as unknown as Record<symbol, unknown>;
    expect(moved[valueSymbol]).toBe(results);
    expect(moved[transferableSymbol]).toEqual([a.buffer, b.buffer]);
  });

  it('leaves results without returns to transfer as they are', () => {
    const results = [{ position: 0, cell: 0, metrics: {} as never, digest: 'd', returns: new Float32Array(0) }];
    expect(movingReturns(results)).toBe(results);
  });
});

describe('runCells (the worker task, in-process)', () => {
  const params: Record<string, number | boolean>[] = [{ fast: 5, slow: 20 }, { fast: 10, slow: 50 }, { fast: 20, slow: 30, longOnly: false }];
  const options = { initialCapital: 50_000, costs: { commissionRate: 0.001 } };
  const days = timelineDays([bars.timeMs]);
  const context = gridWorkerContext({ strategy: 'sma-cross', options, params, cells: [0, 1, 2], bars: [shareBars(bars)], returnsPerCell: days - 1 });

  it('gives each cell the metrics and digest of runBacktest of that cell alone (full series and events kept)', () => {
    const results = runCells(context, [0, 1, 2]);
    for (const [i, p] of params.entries()) {
      const alone = runBacktest({ data: bars, strategy: findStrategy('sma-cross')!, params: p, options });
      expect(results[i]!.digest).toBe(alone.digest);
      expect(results[i]!.metrics).toEqual(rowMetrics(alone.metrics));
      expect(results[i]!.position).toBe(i);
    }
  });

  it('returns the daily returns of the day-end equity, as float32', () => {
    const [result] = runCells(context, [1]);
    const alone = runBacktest({ data: bars, strategy: findStrategy('sma-cross')!, params: params[1]!, options });
    expect(result!.returns).toHaveLength(days - 1);
    const equity = alone.series!.equity;
    const expected = dailyReturnsOf(equity); // daily bars: one bar per day
    expect(Array.from(result!.returns)).toEqual(Array.from(expected));
    expect(result!.returns[10]).toBeCloseTo(equity[11]! / equity[10]! - 1, 6);
  });

  it('names the cell in an error', () => {
    const bad = gridWorkerContext({ strategy: 'sma-cross', options, params: [{ fast: 50, slow: 10 }], cells: [7], bars: [shareBars(bars)], returnsPerCell: days - 1 });
    expect(() => runCells(bad, [0])).toThrow(/^cell 7: params.fast: must be < slow/);
    expect(() => gridWorkerContext({ strategy: 'nope', options, params: [], cells: [], bars: [], returnsPerCell: 0 })).toThrow(/unknown strategy "nope"/);
  });
});
