import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { CellResult, GridTask, GridWorkerData } from './grid-worker.js';

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
  /** Runs one batch of cell positions on some worker. */
  run(positions: readonly number[]): Promise<CellResult[]>;
  /** Stops every worker (tasks still running are abandoned). */
  destroy(): Promise<void>;
}

/** Starts `workers` worker threads (piscina) for a grid. */
export function createGridPool(options: {
  readonly workers: number;
  readonly workerData: GridWorkerData;
  readonly filename?: string;
  /** Batches a worker holds at once (default 2; 1 where batch costs differ widely, so none waits behind a long one). */
  readonly tasksPerWorker?: number;
}): GridPool {
  const piscina = new Piscina<GridTask, CellResult[]>({
    filename: options.filename ?? gridWorkerFile(),
    workerData: options.workerData,
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: 60_000,
    // A worker holds its next batch while it runs one (the tasks are synchronous, so they still run
    // one after the other): it does not wait on the main thread between batches. Measured: one
    // worker on the S&P grid 5 % more cells/s; `dispatchBatches` keeps 2 batches per worker in flight.
    // The price: a held batch cannot move to a worker that went idle, and an abort waits for it.
    concurrentTasksPerWorker: options.tasksPerWorker ?? 2,
  });
  return {
    workers: options.workers,
    run: (positions) => piscina.run({ positions: [...positions] }),
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

/**
 * The default batch size: about eight batches per worker, between 1 and 64 cells, so workers
 * stay busy to the end while messages stay few — and, where a slightly smaller size does it, a
 * batch count that is a multiple of the workers, so they all finish together (90 cells on 2
 * workers: 18 batches of 5, not 15 of 6, where one worker ran 8 batches while the other ran 7).
 */
export function defaultBatchSize(cells: number, workers: number): number {
  const size = Math.max(1, Math.min(64, Math.ceil(cells / (workers * 8))));
  // With many batches per worker the last round is a small share of the run: nothing to balance.
  if (workers <= 1 || Math.ceil(cells / size) > workers * 16) return size;
  for (let s = size; s >= Math.max(1, Math.ceil((size * 2) / 3)); s--) {
    if (Math.ceil(cells / s) % workers === 0) return s;
  }
  return size;
}

/**
 * Runs batches on the pool with at most `inFlight` outstanding, calling `onResult` as each
 * finishes (in completion order). No batch starts more than `window` batches (default
 * 4 × inFlight) after the oldest unfinished one, so one slow cell cannot make the caller's reorder
 * buffer grow without bound. When `signal` aborts, no further batch is started and the ones
 * running are awaited. The first failure stops dispatching too; it is rethrown once the running
 * batches have settled. Resolves to `'complete'` or `'stopped'`.
 */
export async function dispatchBatches(options: {
  readonly pool: Pick<GridPool, 'run'>;
  readonly batches: readonly (readonly number[])[];
  readonly inFlight: number;
  readonly window?: number;
  readonly signal?: AbortSignal | undefined;
  readonly onResult: (results: CellResult[]) => void;
}): Promise<'complete' | 'stopped'> {
  const { pool, batches, signal, onResult } = options;
  const inFlight = Math.max(1, options.inFlight);
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
  const lane = async (): Promise<void> => {
    while (!stopped() && next < batches.length) {
      if (next - oldest >= window) {
        await new Promise<void>((resolve) => waiters.push(resolve));
        continue;
      }
      const index = next++;
      try {
        const results = await pool.run(batches[index]!);
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
  await Promise.all(Array.from({ length: inFlight }, lane));
  if (failure !== undefined) throw failure.error;
  return next < batches.length ? 'stopped' : 'complete';
}
