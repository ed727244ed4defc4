import { workerData } from 'piscina';
import type { BarSeries } from '../engine/bars.js';
import { cellRecord, gridWorkerContext, runCells, type CellRecord, type GridTask, type GridWorkerData, type GridWorkerContext } from './grid-worker.js';
import { timelineDays } from './returns-file.js';
import { barsFromShared } from './shared-bars.js';
import { sliceByTime } from './walk-forward-slice.js';

/**
 * The walk-forward train-grid worker: the grid worker's `runCells` on time windows of the shared
 * bars. One pool serves every train window of a walk-forward: task position `p` stands for cell
 * position `p mod cells` on train window `floor(p / cells)`, so all train grids can run as one
 * stream of batches (they never depend on each other) through the pool's `dispatchBatches`.
 */

/** A train window as a time range of the shared bars: `fromMs <= time < toMs`. */
export interface TrainRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * `GridWorkerData` over the whole series, plus the train windows. Its `returnsPerCell` is unused:
 * each window's grid context counts its own days.
 */
export interface WalkForwardWorkerData extends GridWorkerData {
  readonly windows: readonly TrainRange[];
}

/** A worker's state: the full series, and a grid context per train window (built when first needed). */
export interface WalkForwardWorkerState {
  readonly data: WalkForwardWorkerData;
  readonly bars: readonly BarSeries[];
  readonly contexts: Map<number, GridWorkerContext>;
}

/** The state for some worker data (the bars may be shared columns or plain series). */
export function walkForwardWorkerState(data: WalkForwardWorkerData): WalkForwardWorkerState {
  return { data, bars: data.bars.map(barsFromShared), contexts: new Map() };
}

/**
 * Runs task positions (window × cells + cell position): each cell on its train window, exactly as
 * `runCells` runs a grid restricted to that window (same metrics and digest). Returned records
 * keep the task position; walk-forward ranks by metrics only, so the daily returns are dropped.
 */
export function runTrainCells(state: WalkForwardWorkerState, positions: readonly number[]): CellRecord[] {
  const cells = state.data.cells.length;
  return positions.map((position) => {
    const window = Math.floor(position / cells);
    const result = runCells(contextOf(state, window), [position - window * cells])[0]!;
    return cellRecord({ ...result, position });
  });
}

function contextOf(state: WalkForwardWorkerState, window: number): GridWorkerContext {
  let context = state.contexts.get(window);
  if (context === undefined) {
    const range = state.data.windows[window];
    if (range === undefined) throw new Error(`no train window ${window}`);
    const bars = state.bars.map((b) => sliceByTime(b, range.fromMs, range.toMs));
    const returnsPerCell = Math.max(0, timelineDays(bars.map((b) => b.timeMs)) - 1);
    // No returns slab: walk-forward ranks by metrics, and a window's cells have their own day count.
    const { returnsSlab: _unused, ...data } = state.data;
    context = gridWorkerContext({ ...data, bars, returnsPerCell });
    state.contexts.set(window, context);
  }
  return context;
}

let state: WalkForwardWorkerState | undefined;

/** The piscina task: one batch of task positions with this worker's shared bars. */
export default function runWalkForwardTask(task: GridTask): CellRecord[] {
  state ??= walkForwardWorkerState(workerData as WalkForwardWorkerData);
  return runTrainCells(state, task.positions);
}
