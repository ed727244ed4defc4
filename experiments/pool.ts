import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { CellRecord, CellResult, GridTask, GridWorkerData } from './grid-worker.js';
import { createReturnsSlab, slabSlot, slotRow } from './returns-slab.js';

/**
 * The compiled worker module (`dist/experiments/grid-worker.js`): beside this file when running
 * compiled, else (TypeScript sources under vitest) under the package root's `dist/` — worker
 * threads load plain JavaScript, which `npm test` builds before running the tests.
 * Throws `Error` when it has not been built.
 */
export function gridWorkerFile(): string {
  const here = fileURLToPath(import.meta.url);
  let file: string;
  if (here.endsWith('.js')) file = join(dirname(here), 'grid-worker.js');
  else {
    let dir = dirname(here);
    while (!existsSync(join(dir, 'package.json'))) {
      const parent = dirname(dir);
      if (parent === dir) throw new Error(`cannot find the package root above ${here}`);
      dir = parent;
    }
    file = join(dir, 'dist', 'experiments', 'grid-worker.js');
  }
  if (!existsSync(file)) throw new Error(`${file} is missing — run \`npm run build\` first`);
  return file;
}

/** A fixed-size pool of grid workers, each holding the shared bars from `workerData`. */
export interface GridPool {
  readonly workers: number;
  /**
   * Batches that may run at once, each on its own lane `0 … lanes − 1`: a lane owns a slot of the
   * pool's returns slab (shared memory) where its batch's cells leave their daily returns.
   */
  readonly lanes: number;
  /** Most cells in one batch (a slot's rows). */
  readonly batchCells: number;
  /**
   * Runs one batch of cell positions on some worker, on `lane`. The results' `returns` are views
   * of the lane's slot: valid until the lane's next batch, so the caller must be done with them
   * (or have copied them) before it runs the lane again — `dispatchBatches` runs a lane's next
   * batch only after `onResult` has returned. Throws `RangeError` for a lane out of range or with
   * a batch still running (the pool cannot see whether a caller still reads a finished one's
   * views), or a batch larger than `batchCells`.
   */
  run(positions: readonly number[], lane: number): Promise<CellResult[]>;
  /** Stops every worker (tasks still running are abandoned). */
  destroy(): Promise<void>;
}

/** Starts `workers` worker threads (piscina) for a grid. */
export function createGridPool(options: {
  readonly workers: number;
  readonly workerData: GridWorkerData;
  /** Most cells in one batch. */
  readonly batchCells: number;
  /** Batches running at once (default 2 per worker, as `dispatchBatches` keeps them). */
  readonly lanes?: number;
  readonly filename?: string;
  /** Batches a worker holds at once (default 1: see below). */
  readonly tasksPerWorker?: number;
}): GridPool {
  const lanes = options.lanes ?? options.workers * 2;
  const days = options.workerData.returnsPerCell;
  const slab = createReturnsSlab(lanes, options.batchCells, days);
  const busy = new Uint8Array(lanes);
  const piscina = new Piscina<GridTask, CellRecord[]>({
    filename: options.filename ?? gridWorkerFile(),
    workerData: { ...options.workerData, returnsSlab: slab },
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: 60_000,
    // One batch per worker: the other lanes' batches wait in piscina's queue and go to whichever
    // worker frees first, so the work balances itself to the end of a grid. Holding a second batch
    // per worker saved a wait on the main thread between batches (5 % more cells/s with equal S&P
    // batches), but a held batch cannot move to a worker that went idle: with guided batches that
    // gain was gone, and on 10 cells × 2 M synthetic bars (one cell per batch at the end) one
    // worker often ran 6 cells while the other ran 4 — warm scaling 0.82–0.85 holding 2, 0.96–1.06
    // holding 1 (`npm run bench -- --only grid`; S&P 0.82–0.86 holding 2, 0.84–0.89 holding 1).
    concurrentTasksPerWorker: options.tasksPerWorker ?? 1,
  });
  return {
    workers: options.workers,
    lanes,
    batchCells: options.batchCells,
    run: async (positions, lane) => {
      const slot = slabSlot(slab, lane);
      if (busy[lane] === 1) throw new RangeError(`lane ${lane} is already running a batch`);
      if (positions.length > options.batchCells) throw new RangeError(`a batch of ${positions.length} cells is larger than the pool's ${options.batchCells}`);
      busy[lane] = 1;
      try {
        const records = await piscina.run({ positions: [...positions], slot: lane });
        return records.map((record, k) => ({ ...record, returns: slotRow(slot, days, k) }));
      } finally {
        busy[lane] = 0;
      }
    },
    destroy: () => piscina.destroy(),
  };
}

/**
 * Contiguous batches of positions `[from, to)` of at most `size` each, in ascending order (so
 * finished cells arrive roughly in order and the reorder buffer stays small).
 */
export function batchesOf(from: number, to: number, size: number): number[][] {
  const batches: number[][] = [];
  for (let start = from; start < to; start += size) {
    const batch: number[] = [];
    for (let p = start; p < Math.min(to, start + size); p++) batch.push(p);
    batches.push(batch);
  }
  return batches;
}

/** The most cells a default batch holds. */
export const MAX_BATCH_CELLS = 64;

/**
 * Guided batches of positions `[from, to)` (the schedule OpenMP calls "guided"): each batch takes
 * a `1 / (2 × workers)` share of the cells not yet given out, at least 1 and at most `largest`
 * (default: 64, and no more than an eighth of one worker's share of the whole range, so a small
 * grid still reports progress and stops on Ctrl-C after a few cells), so batches shrink to single
 * cells at the end, where any worker that finishes early takes the last small ones and all finish
 * together. 90 cells on 2 workers: 6 × 12, then 5, 4, 3, 2, 1, 1, 1, 1. Measured on the 90-cell
 * S&P grid (warm pools, 2 vCPUs, `npm run bench -- --only grid`): 1 → 2 worker scaling 0.84–0.86
 * (0.87–0.93 uncapped), against 0.80 with 18 equal batches of 5, where one worker sat idle while
 * the other ran its last batch and the one it held.
 */
export function guidedBatches(from: number, to: number, workers: number, largest = guidedLargest(to - from, workers)): number[][] {
  const share = 2 * Math.max(1, workers);
  const batches: number[][] = [];
  for (let start = from; start < to; ) {
    const size = Math.min(Math.max(1, Math.floor(largest)), Math.max(1, Math.ceil((to - start) / share)));
    const batch: number[] = [];
    for (let p = start; p < start + size; p++) batch.push(p);
    batches.push(batch);
    start += size;
  }
  return batches;
}

/** The default cap of {@link guidedBatches} for `cells` cells: 1 … 64, about eight batches per worker before the shrinking tail. */
export function guidedLargest(cells: number, workers: number): number {
  return Math.max(1, Math.min(MAX_BATCH_CELLS, Math.ceil(cells / (8 * Math.max(1, workers)))));
}

/** How a grid's cells are cut into batches. */
export interface BatchPlan {
  readonly batches: number[][];
  /** Cells in the largest batch (what a returns slot must hold). */
  readonly largest: number;
  /** `guided` by default ({@link guidedBatches}); `fixed` when a batch size was asked for. */
  readonly batching: 'guided' | 'fixed';
}

/**
 * Batches of `[from, to)` for `workers`: of `batchSize` cells each when given, else guided with the
 * cap of a run over `[0, to)` (a resumed run keeps the whole run's cap; its batches match the
 * uninterrupted run's tail when it resumes at a batch boundary with the same workers, as after
 * Ctrl-C — the results never depend on the batches).
 */
export function planBatches(from: number, to: number, workers: number, batchSize?: number): BatchPlan {
  const batches = batchSize === undefined ? guidedBatches(from, to, workers, guidedLargest(to, workers)) : batchesOf(from, to, batchSize);
  const largest = batches.reduce((most, b) => Math.max(most, b.length), 1);
  return { batches, largest, batching: batchSize === undefined ? 'guided' : 'fixed' };
}

/**
 * Runs batches on the pool with at most `inFlight` outstanding (default and most: the pool's
 * lanes), calling `onResult` as each finishes (in completion order); each running batch has a lane
 * of its own, which it keeps until `onResult` has returned. No batch starts more than `window`
 * batches (default 4 × inFlight) after the oldest unfinished one, so one slow cell cannot make the
 * caller's reorder buffer grow without bound. When `signal` aborts, no further batch is started
 * and the ones running are awaited. The first failure stops dispatching too; it is rethrown once
 * the running batches have settled. Resolves to `'complete'` or `'stopped'`. Throws `RangeError`
 * for more in flight than the pool has lanes.
 */
export async function dispatchBatches(options: {
  readonly pool: Pick<GridPool, 'run' | 'lanes'>;
  readonly batches: readonly (readonly number[])[];
  readonly inFlight?: number;
  readonly window?: number;
  readonly signal?: AbortSignal | undefined;
  readonly onResult: (results: CellResult[]) => void;
}): Promise<'complete' | 'stopped'> {
  const { pool, batches, signal, onResult } = options;
  const inFlight = Math.max(1, options.inFlight ?? pool.lanes);
  if (inFlight > pool.lanes) throw new RangeError(`${inFlight} batches in flight need as many lanes; the pool has ${pool.lanes}`);
  const window = Math.max(inFlight, options.window ?? 4 * inFlight);
  const finished = new Uint8Array(batches.length);
  let oldest = 0;
  let next = 0;
  let failure: { error: unknown } | undefined;
  let waiters: (() => void)[] = [];
  const stopped = (): boolean => failure !== undefined || signal?.aborted === true;
  const wakeAll = (): void => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  const lane = async (id: number): Promise<void> => {
    while (!stopped() && next < batches.length) {
      if (next - oldest >= window) {
        await new Promise<void>((resolve) => waiters.push(resolve));
        continue;
      }
      const index = next++;
      try {
        const results = await pool.run(batches[index]!, id);
        if (failure === undefined) onResult(results);
      } catch (error) {
        failure ??= { error };
      }
      finished[index] = 1;
      while (oldest < batches.length && finished[oldest] === 1) oldest++;
      // A waiting lane always has a running one to wake it: the oldest unfinished batch is running.
      wakeAll();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, (_, id) => lane(id)));
  if (failure !== undefined) throw failure.error;
  return next < batches.length ? 'stopped' : 'complete';
}
