import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { makeBarSeries, sliceBars } from '../engine/bars.js';
import { barsFromShared, shareBars } from './shared-bars.js';

const bars = makeBarSeries({
  symbol: 'X',
  timeMs: Float64Array.of(1, 2, 3, 4),
  open: Float64Array.of(10, 11, 12, 13),
  high: Float64Array.of(11, 12, 13, 14),
  low: Float64Array.of(9, 10, 11, 12),
  close: Float64Array.of(10.5, 11.5, 12.5, 13.5),
  volume: Float64Array.of(100, 200, 300, 400),
  extras: { vix: Float64Array.of(20, 21, 22, 23) },
});

describe('shareBars', () => {
  it('copies every column into shared memory and rebuilds the same series', () => {
    const shared = shareBars(bars);
    for (const column of [shared.timeMs, shared.open, shared.close, shared.volume!, shared.extras['vix']!]) {
      expect(column.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    const again = barsFromShared(shared);
    expect(again.symbol).toBe('X');
    expect(again.length).toBe(4);
    expect(Array.from(again.high)).toEqual([11, 12, 13, 14]);
    expect(Array.from(again.volume!)).toEqual([100, 200, 300, 400]);
    expect(Array.from(again.extras['vix']!)).toEqual([20, 21, 22, 23]);
  });

  it('copies only a window, and handles a series without volume', () => {
    const window = sliceBars(makeBarSeries({ ...bars, volume: undefined, extras: {} }), 1, 3);
    const shared = shareBars(window);
    expect(shared.volume).toBeUndefined();
    expect(shared.timeMs.buffer.byteLength).toBe(5 * 2 * 8);
    expect(Array.from(barsFromShared(shared).close)).toEqual([11.5, 12.5]);
  });

  it('is shared, not copied, with a worker thread', async () => {
    const shared = shareBars(bars);
    const worker = new Worker('const { workerData, parentPort } = require("node:worker_threads"); workerData.close[0] = 99; parentPort.postMessage("done");', {
      eval: true,
      workerData: shared,
    });
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(shared.close[0]).toBe(99);
  });
});
