import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CellResult } from './grid-worker.js';
import { batchesOf, defaultBatchSize, dispatchBatches, gridWorkerFile } from './pool.js';

/** A fake pool: each batch resolves after `delay(batch)` ms with one result per position. */
function fakePool(delay: (batch: readonly number[]) => number, fail?: number) {
  const started: number[][] = [];
  let running = 0;
  let maxRunning = 0;
  return {
    started,
    maxRunning: () => maxRunning,
    run: async (positions: readonly number[]): Promise<CellResult[]> => {
      started.push([...positions]);
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

  it('defaults to about eight batches per worker, 1…64 cells each, a multiple of the workers where it can', () => {
    // ceil(90 / 16) = 6 would make 15 batches (8 on one worker, 7 on the other): 5 makes 18.
    expect(defaultBatchSize(90, 2)).toBe(5);
    expect(defaultBatchSize(90, 1)).toBe(12);
    expect(defaultBatchSize(96, 2)).toBe(6); // 16 batches already
    expect(defaultBatchSize(3, 16)).toBe(1);
    expect(defaultBatchSize(1_000_000, 4)).toBe(64);
    // No size within a third below gives a multiple: the plain size.
    expect(defaultBatchSize(7, 2)).toBe(1);
    expect(defaultBatchSize(10, 4)).toBe(1);
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
    pool.run = async (positions) => {
      if (!zeroDone) startedWhileZeroRan.push(positions[0]!);
      const result = await run(positions);
      if (positions[0] === 0) zeroDone = true;
      return result;
    };
    await dispatchBatches({ pool, batches: batchesOf(0, 40, 1), inFlight: 2, window: 5, onResult: (r) => seen.push(...r.map((x) => x.position)) });
    expect(Math.max(...startedWhileZeroRan)).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
  });
});
