import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BarSeries } from '../engine/bars.js';
import type { Cell, Experiment, ParamValue } from './experiment.js';
import type { CellRecord } from './grid-worker.js';
import { createGridPool, dispatchBatches, gridWorkerFile, planBatches } from './pool.js';
import type { GridRow } from './results-columns.js';
import { shareBars } from './shared-bars.js';
import { runTrainCells, walkForwardWorkerState, type TrainRange, type WalkForwardWorkerData } from './walk-forward-worker.js';

/** What {@link runTrainGrids} needs: the experiment's cells, the whole series and the train windows. */
export interface TrainGridsInput {
  readonly experiment: Experiment;
  /** Every cell, in cell order. */
  readonly cells: readonly Cell[];
  /** Full params (fixed ∪ swept) of each cell, by position. */
  readonly params: readonly Readonly<Record<string, ParamValue>>[];
  /** Every series of the experiment, whole. */
  readonly bars: readonly BarSeries[];
  /** The train windows, as time ranges. */
  readonly windows: readonly TrainRange[];
  /** Worker threads; 1 runs the cells in this thread (same code, same results). */
  readonly workers: number;
  /** Compiled walk-forward worker module (default: {@link walkForwardWorkerFile}). */
  readonly workerFile?: string | undefined;
  /** Called as cells finish, with the cells done so far of `windows × cells`. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/**
 * The compiled walk-forward worker (`dist/experiments/walk-forward-worker.js`), found beside the
 * grid worker. Throws `Error` when it has not been built.
 */
export function walkForwardWorkerFile(): string {
  const file = join(dirname(gridWorkerFile()), 'walk-forward-worker.js');
  if (!existsSync(file)) throw new Error(`${file} is missing — run \`npm run build\` first`);
  return file;
}

/**
 * Runs every cell of the experiment on every train window and returns, per window, the rows in
 * cell order — the rows `replaylab grid` would store for the experiment restricted to that window
 * (same metrics and digests: the grid worker's `runCells` runs them). The train grids do not
 * depend on each other, so they run as one stream of batches on one pool (the pool's
 * `createGridPool` with the walk-forward worker module, `planBatches`, `dispatchBatches`), or in
 * this thread for `workers <= 1`. Throws the first cell error (naming the cell).
 */
export async function runTrainGrids(input: TrainGridsInput): Promise<GridRow[][]> {
  const { experiment, cells, params, windows } = input;
  const total = windows.length * cells.length;
  const rows: GridRow[][] = windows.map(() => new Array<GridRow>(cells.length));
  let done = 0;
  const store = (results: readonly CellRecord[]): void => {
    for (const r of results) {
      const window = Math.floor(r.position / cells.length);
      const position = r.position - window * cells.length;
      rows[window]![position] = Object.freeze({ cell: r.cell, params: cells[position]!.swept, metrics: r.metrics, digest: r.digest });
    }
    done += results.length;
    input.onProgress?.(done, total);
  };
  const data = (bars: WalkForwardWorkerData['bars']): WalkForwardWorkerData => ({
    strategy: experiment.strategy,
    options: experiment.options,
    params,
    cells: cells.map((c) => c.index),
    bars,
    returnsPerCell: 0,
    windows,
  });
  const { batches, largest: batchCells } = planBatches(0, total, Math.max(1, input.workers));
  if (input.workers <= 1) {
    // BarSeries has every field of SharedBarColumns: the worker code runs on the series directly.
    const state = walkForwardWorkerState(data(input.bars));
    for (const batch of batches) store(runTrainCells(state, batch));
    return rows;
  }
  const workers = Math.max(1, Math.min(input.workers, batches.length));
  // One batch per worker at a time (the pool's default): train windows differ in length, so batches differ in cost.
  const pool = createGridPool({ workers, batchCells, workerData: data(input.bars.map(shareBars)), filename: input.workerFile ?? walkForwardWorkerFile() });
  try {
    await dispatchBatches({ pool, batches, onResult: store });
  } finally {
    await pool.destroy();
  }
  return rows;
}
