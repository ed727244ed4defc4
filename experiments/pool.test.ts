import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBars } from '../data/load.js';
import { sliceBars } from '../engine/bars.js';
import { gridWorkerContext, runCells, type CellResult, type GridWorkerData } from './grid-worker.js';
import { batchesOf, createGridPool, dispatchBatches, gridWorkerFile, guidedBatches, guidedLargest, MAX_BATCH_CELLS, planBatches } from './pool.js';
import { timelineDays } from './returns-file.js';
import { shareBars } from './shared-bars.js';

/** A fake pool: each batch resolves after `delay(batch)` ms with one result per position. */
function fakePool(delay: (batch: readonly number[]) => number, fail?: number, lanes = 8) {
  const started: number[][] = [];
  const lanesUsed: number[] = [];
  let running = 0;
  let maxRunning = 0;
  return {
    lanes,
    started,
    lanesUsed,
    maxRunning: () => maxRunning,
    run: async (positions: readonly number[], lane: number): Promise<CellResult[]> => {
      started.push([...positions]);
      lanesUsed.push(lane);
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, delay(positions)));
      running--;
      if (fail !== undefined && positions.includes(fail)) throw new Error(`cell ${fail}: boom`);
      return positions.map((position) => ({ position, cell: position, metrics: {} as CellResult['metrics'], digest: '', returns: new Float32Array(0) }));
    },
  };
}

describe('pool helpers', () => {
  it('cuts contiguous ascending batches from the first cell not yet done', () => {
    expect(batchesOf(3, 10, 3)).toEqual([[3, 4, 5], [6, 7, 8], [9]]);
    expect(batchesOf(5, 5, 2)).toEqual([]);
    expect(batchesOf(0, 2, 7)).toEqual([[0, 1]]);
  });

  it('cuts guided batches: a 1/(2 × workers) share of what is left, capped, shrinking to single cells', () => {
    const sizes = (batches: number[][]) => batches.map((b) => b.length);
    // Worked by hand. Cap ceil(90 / (8 × 2)) = 6 while ceil(left / 4) ≥ 6, i.e. 12 batches (18 left),
    // then ceil(18/4) = 5, ceil(13/4) = 4, ceil(9/4) = 3, ceil(6/4) = 2, and 4 single cells.
    expect(guidedLargest(90, 2)).toBe(6);
    expect(sizes(guidedBatches(0, 90, 2))).toEqual([...Array(12).fill(6), 5, 4, 3, 2, 1, 1, 1, 1]);
    // One worker: cap ceil(90 / 8) = 12 while ceil(left / 2) ≥ 12 (6 batches, 18 left), then 9, 5, 2, 1, 1.
    expect(sizes(guidedBatches(0, 90, 1))).toEqual([...Array(6).fill(12), 9, 5, 2, 1, 1]);
    // Without the default cap: 23, 17, 13, …
    expect(sizes(guidedBatches(0, 90, 2, MAX_BATCH_CELLS))).toEqual([23, 17, 13, 10, 7, 5, 4, 3, 2, 2, 1, 1, 1, 1]);
    expect(guidedBatches(85, 90, 2, 6)).toEqual([[85, 86], [87], [88], [89]]);
    expect(guidedBatches(5, 5, 2)).toEqual([]);
    expect(guidedLargest(1_000_000, 4)).toBe(MAX_BATCH_CELLS);
    expect(guidedLargest(3, 16)).toBe(1);
    // 2000 cells: cap min(64, ceil(2000 / 16) = 125) = 64; after 27 batches 272 are left (272 / 4 = 68 → 64),
    // after 28, 208 (208 / 4 = 52).
    const big = sizes(guidedBatches(0, 2000, 2));
    expect(big.slice(0, 28)).toEqual(Array(28).fill(MAX_BATCH_CELLS));
    expect(big[28]).toBe(52);
    expect(big.at(-1)).toBe(1);
    expect(sizes(guidedBatches(0, 10, 2, 2))).toEqual([2, 2, 2, 1, 1, 1, 1]);
    expect(sizes(guidedBatches(0, 10, 1, 2.5))).toEqual([2, 2, 2, 2, 1, 1]); // a fractional cap is rounded down
    expect(sizes(guidedBatches(0, 3, 1, 0))).toEqual([1, 1, 1]); // and raised to 1
  });

  it('guided batches cover every position once, in order, never growing (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 100 }), (from, count, workers, largest) => {
        const batches = guidedBatches(from, from + count, workers, largest);
        expect(batches.flat()).toEqual(Array.from({ length: count }, (_, i) => from + i));
        for (const [i, b] of batches.entries()) {
          expect(b.length).toBeGreaterThanOrEqual(1);
          expect(b.length).toBeLessThanOrEqual(largest);
          if (i > 0) expect(b.length).toBeLessThanOrEqual(batches[i - 1]!.length);
        }
      }),
    );
  });

  it('plans guided batches by default and fixed ones for a batch size, with the largest batch', () => {
    expect(planBatches(0, 90, 2)).toMatchObject({ largest: 6, batching: 'guided' });
    // A resumed run keeps the whole run's cap: the same batches as the tail of an uninterrupted run.
    expect(planBatches(72, 90, 2).batches).toEqual(guidedBatches(0, 90, 2).slice(12));
    expect(planBatches(0, 90, 2, 7)).toEqual({ batches: batchesOf(0, 90, 7), largest: 7, batching: 'fixed' });
    expect(planBatches(3, 3, 2)).toEqual({ batches: [], largest: 1, batching: 'guided' });
  });

  it('finds the compiled worker under dist/ when running from the TypeScript sources', () => {
    const file = gridWorkerFile();
    expect(file.replaceAll('\\', '/')).toMatch(/\/dist\/experiments\/grid-worker\.js$/);
    expect(existsSync(file)).toBe(true);
  });
});

describe('dispatchBatches', () => {
  it('runs every batch with at most inFlight outstanding, reporting in completion order', async () => {
    const pool = fakePool((batch) => (batch[0]! % 3 === 0 ? 15 : 1));
    const seen: number[] = [];
    const state = await dispatchBatches({ pool, batches: batchesOf(0, 12, 2), inFlight: 3, onResult: (r) => seen.push(...r.map((x) => x.position)) });
    expect(state).toBe('complete');
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(pool.maxRunning()).toBe(3);
    expect(pool.started.map((b) => b[0])).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('gives each running batch a lane of its own, reused only after its results were handled', async () => {
    const pool = fakePool((batch) => 1 + ((batch[0]! * 7) % 5), undefined, 3);
    const busy = new Set<number>();
    const run = pool.run;
    pool.run = async (positions, lane) => {
      expect(lane).toBeGreaterThanOrEqual(0);
      expect(lane).toBeLessThan(3);
      expect(busy.has(lane)).toBe(false);
      busy.add(lane);
      const results = await run(positions, lane);
      // Still busy until the handler has run: released there.
      return results.map((r) => ({ ...r, cell: lane }));
    };
    let handled = 0;
    await dispatchBatches({
      pool, batches: batchesOf(0, 24, 1),
      onResult: (r) => {
        handled += r.length;
        busy.delete(r[0]!.cell);
      },
    });
    expect(handled).toBe(24);
    expect(new Set(pool.lanesUsed)).toEqual(new Set([0, 1, 2])); // inFlight defaults to the pool's lanes
    expect(pool.maxRunning()).toBe(3);
  });

  it('refuses more batches in flight than the pool has lanes', async () => {
    const pool = fakePool(() => 1, undefined, 2);
    await expect(dispatchBatches({ pool, batches: batchesOf(0, 4, 1), inFlight: 3, onResult: () => undefined })).rejects.toThrow('3 batches in flight need as many lanes; the pool has 2');
    expect(pool.started).toEqual([]);
  });

  it('stops dispatching on abort and waits for the running batches', async () => {
    const controller = new AbortController();
    const pool = fakePool(() => 5);
    const seen: number[] = [];
    const state = await dispatchBatches({
      pool, batches: batchesOf(0, 20, 1), inFlight: 2, signal: controller.signal,
      onResult: (r) => {
        seen.push(...r.map((x) => x.position));
        if (seen.length === 3) controller.abort();
      },
    });
    expect(state).toBe('stopped');
    expect(pool.started.length).toBe(seen.length); // every started batch was reported
    expect(seen.length).toBeLessThan(20);
  });

  it('rethrows the first failure after the running batches settle, dispatching nothing more', async () => {
    const pool = fakePool(() => 2, 4);
    const seen: number[] = [];
    await expect(dispatchBatches({ pool, batches: batchesOf(0, 30, 1), inFlight: 2, onResult: (r) => seen.push(...r.map((x) => x.position)) })).rejects.toThrow('cell 4: boom');
    expect(pool.started.length).toBeLessThan(30);
    expect(seen).not.toContain(4);
  });
});

describe('dispatchBatches window', () => {
  it('starts no batch more than `window` batches after the oldest unfinished one (a slow cell bounds the run-ahead)', async () => {
    const pool = fakePool((batch) => (batch[0] === 0 ? 60 : 1));
    const startedWhileZeroRan: number[] = [];
    let zeroDone = false;
    const seen: number[] = [];
    const run = pool.run;
    pool.run = async (positions, lane) => {
      if (!zeroDone) startedWhileZeroRan.push(positions[0]!);
      const result = await run(positions, lane);
      if (positions[0] === 0) zeroDone = true;
      return result;
    };
    await dispatchBatches({ pool, batches: batchesOf(0, 40, 1), inFlight: 2, window: 5, onResult: (r) => seen.push(...r.map((x) => x.position)) });
    expect(Math.max(...startedWhileZeroRan)).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
  });
});

describe('createGridPool (worker threads)', () => {
  it('hands back each cell’s returns as a view of its lane’s slot in shared memory, equal to running the cells in-process', async () => {
    const { bars: all } = await loadBars(fileURLToPath(new URL('../data/samples/sp500-2000.csv', import.meta.url)), { symbol: 'SPX' });
    const bars = sliceBars(all, 1000, 1800);
    const params = [5, 10, 15, 20, 25, 30, 35].map((fast) => ({ fast, slow: 40 }));
    const data: GridWorkerData = { strategy: 'sma-cross', options: {}, params, cells: params.map((_, i) => 10 + i), bars: [shareBars(bars)], returnsPerCell: timelineDays([bars.timeMs]) - 1 };
    const alone = runCells(gridWorkerContext(data), params.map((_, i) => i));
    const pool = createGridPool({ workers: 2, batchCells: 2, workerData: data });
    try {
      expect(pool.lanes).toBe(4);
      const seen: number[] = [];
      await dispatchBatches({
        pool,
        batches: batchesOf(0, params.length, 2),
        onResult: (results) => {
          for (const r of results) {
            seen.push(r.position);
            expect(r.returns.buffer).toBeInstanceOf(SharedArrayBuffer);
            expect(r.digest).toBe(alone[r.position]!.digest);
            expect(r.metrics).toEqual(alone[r.position]!.metrics);
            expect(Array.from(r.returns)).toEqual(Array.from(alone[r.position]!.returns));
          }
        },
      });
      expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      await expect(pool.run([0, 1, 2], 0)).rejects.toThrow("a batch of 3 cells is larger than the pool's 2");
      await expect(pool.run([0], 4)).rejects.toThrow('returns slab: slot 4 is out of range 0…3');
      const first = pool.run([0], 1);
      await expect(pool.run([1], 1)).rejects.toThrow('lane 1 is already running a batch');
      expect((await first)[0]!.digest).toBe(alone[0]!.digest);
    } finally {
      await pool.destroy();
    }
    // One lane: every batch reuses the same slot, so a handled batch's views show the next batch's returns.
    const single = createGridPool({ workers: 1, batchCells: 2, lanes: 1, workerData: data });
    try {
      const views: { readonly position: number; readonly returns: Float32Array }[] = [];
      await dispatchBatches({
        pool: single,
        batches: batchesOf(0, params.length, 2),
        onResult: (results) => {
          for (const r of results) {
            expect(Array.from(r.returns)).toEqual(Array.from(alone[r.position]!.returns));
            views.push({ position: r.position, returns: r.returns });
          }
        },
      });
      expect(views.map((v) => v.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      // The last batch (cell 6 alone) wrote row 0: cell 0's old view now shows cell 6's returns.
      expect(Array.from(views[0]!.returns)).toEqual(Array.from(alone[6]!.returns));
      expect(Array.from(views[0]!.returns)).not.toEqual(Array.from(alone[0]!.returns));
    } finally {
      await single.destroy();
    }
  });
});
