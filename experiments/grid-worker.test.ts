import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../engine/backtest.js';
import { loadBars } from '../data/load.js';
import { sliceBars } from '../engine/bars.js';
import { findStrategy } from '../strategies/index.js';
import { cellRecord, gridWorkerContext, runCells } from './grid-worker.js';
import { createReturnsSlab, slabSlot } from './returns-slab.js';
import { rowMetrics } from './results-columns.js';
import { dailyReturnsOf, timelineDays } from './returns-file.js';
import { shareBars } from './shared-bars.js';

const { bars: all } = await loadBars(fileURLToPath(new URL('../data/samples/sp500-2000.csv', import.meta.url)), { symbol: 'SPX' });
const bars = sliceBars(all, 2500, 3500);

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

  it('writes cell k’s returns to row k of the buffer it is given (a slab slot), the rest of the slot untouched', () => {
    const slab = createReturnsSlab(2, 4, days - 1);
    const slot = slabSlot(slab, 1);
    slot.fill(7);
    const into = runCells(context, [2, 0], slot);
    const alone = runCells(context, [2, 0]);
    expect(into.map((r) => r.digest)).toEqual(alone.map((r) => r.digest));
    for (const k of [0, 1]) {
      expect(into[k]!.returns.buffer).toBe(slab.buffer);
      expect(Array.from(into[k]!.returns)).toEqual(Array.from(alone[k]!.returns));
      expect(Array.from(slot.subarray(k * (days - 1), (k + 1) * (days - 1)))).toEqual(Array.from(alone[k]!.returns));
    }
    expect(slot.subarray(2 * (days - 1)).every((x) => x === 7)).toBe(true);
    expect(slabSlot(slab, 0).every((x) => x === 0)).toBe(true);
    expect(() => runCells(context, [0, 1, 2], slot.subarray(0, 2 * (days - 1)))).toThrow(`3 cells need ${3 * (days - 1)} returns of room, the buffer holds ${2 * (days - 1)}`);
  });

  it('sends back everything but the returns (cellRecord)', () => {
    const [result] = runCells(context, [0]);
    expect(cellRecord(result!)).toEqual({ position: 0, cell: 0, metrics: result!.metrics, digest: result!.digest });
    expect(cellRecord({ ...result!, regimes: [] })).toEqual({ position: 0, cell: 0, metrics: result!.metrics, digest: result!.digest, regimes: [] });
  });

  it('names the cell in an error', () => {
    const bad = gridWorkerContext({ strategy: 'sma-cross', options, params: [{ fast: 50, slow: 10 }], cells: [7], bars: [shareBars(bars)], returnsPerCell: days - 1 });
    expect(() => runCells(bad, [0])).toThrow(/^cell 7: params.fast: must be < slow/);
    expect(() => gridWorkerContext({ strategy: 'nope', options, params: [], cells: [], bars: [], returnsPerCell: 0 })).toThrow(/unknown strategy "nope"/);
  });
});
