import { workerData } from 'piscina';
import type { BarSeries } from '../engine/bars.js';
import { runBacktest } from '../engine/backtest.js';
import type { RegimeRow } from '../engine/metrics/regime-metrics.js';
import { regimeRows } from './run-json.js';
import type { EngineOptions } from '../engine/engine-config.js';
import type { StrategyDefinition } from '../engine/strategy.js';
import { findStrategy } from '../strategies/index.js';
import type { ParamValue } from './experiment.js';
import { rowMetrics, type RowMetrics } from './results-columns.js';
import { dailyReturnsInto } from './returns-file.js';
import { slabSlot, slotRow, type ReturnsSlab } from './returns-slab.js';
import { barsFromShared, type SharedBarColumns } from './shared-bars.js';

/** What every grid worker receives once (`workerData`): the bars are shared, not copied. */
export interface GridWorkerData {
  readonly strategy: string;
  readonly options: EngineOptions;
  /** Full params (fixed and swept) of every cell, by position in the cell order. */
  readonly params: readonly Readonly<Record<string, ParamValue>>[];
  /** Cell index of every position. */
  readonly cells: readonly number[];
  readonly bars: readonly SharedBarColumns[];
  /** Daily returns every cell must yield (one fewer than the timeline's UTC days). */
  readonly returnsPerCell: number;
  /**
   * Where a pool worker writes its cells' daily returns (added by `createGridPool`; `days` is
   * `returnsPerCell`). Without it a task's returns are not sent back.
   */
  readonly returnsSlab?: ReturnsSlab;
}

/** One batch: positions in the cell order (ascending), and the returns slab's slot it writes to. */
export interface GridTask {
  readonly positions: readonly number[];
  readonly slot: number;
}

/** What a worker sends back per cell: everything but the daily returns, which it wrote to the slab. */
export interface CellRecord {
  readonly position: number;
  readonly cell: number;
  readonly metrics: RowMetrics;
  readonly digest: string;
  /** Per-regime figures (`vol:…` and `trend:…` rows) when the experiment has a `regimes` block. */
  readonly regimes?: readonly RegimeRow[];
}

/** One finished cell. */
export interface CellResult extends CellRecord {
  /**
   * Daily returns from day-end equity, float32. From a pool, a view of the returns slab that the
   * lane's next batch overwrites: copy it to keep it past the result handler.
   */
  readonly returns: Float32Array;
}

/** A worker's ready state: the strategy and the bar views, built once per worker. */
export interface GridWorkerContext {
  readonly data: GridWorkerData;
  readonly strategy: StrategyDefinition;
  readonly bars: readonly BarSeries[];
}

/** Builds the per-worker context from its `workerData`. Throws `Error` for an unknown strategy. */
export function gridWorkerContext(data: GridWorkerData): GridWorkerContext {
  const strategy = findStrategy(data.strategy);
  if (strategy === undefined) throw new Error(`unknown strategy ${JSON.stringify(data.strategy)}`);
  return { data, strategy, bars: data.bars.map(barsFromShared) };
}

/**
 * Runs cells one after the other, each in a fresh engine with statistics streamed only (no
 * series, no events): the same metrics and digest as `runBacktest` of that cell alone. Cell `k`'s
 * daily returns go to row `k` of `returnsInto` (`positions.length × returnsPerCell` float32s, e.g.
 * a slot of the returns slab), or to a buffer of its own without it. Errors name the cell.
 */
export function runCells(context: GridWorkerContext, positions: readonly number[], returnsInto?: Float32Array): CellResult[] {
  const { data, strategy, bars } = context;
  const days = data.returnsPerCell;
  if (returnsInto !== undefined && returnsInto.length < positions.length * days) {
    throw new RangeError(`${positions.length} cells need ${positions.length * days} returns of room, the buffer holds ${returnsInto.length}`);
  }
  return positions.map((position, k) => {
    const cell = data.cells[position]!;
    try {
      const result = runBacktest({ data: bars, strategy, params: data.params[position]!, options: data.options, keepSeries: false, keepEvents: false, keepDailyEquity: true });
      if (result.dailyEquity === undefined) throw new Error('the engine returned no day-end equity (needed for daily returns)');
      if (result.dailyEquity.length - 1 !== days) throw new Error(`${result.dailyEquity.length - 1} daily returns, expected ${days}`);
      const returns = dailyReturnsInto(result.dailyEquity, returnsInto === undefined ? new Float32Array(days) : slotRow(returnsInto, days, k));
      const out = { position, cell, metrics: rowMetrics(result.metrics), digest: result.digest, returns };
      return result.regimes === undefined ? out : { ...out, regimes: regimeRows(result.regimes) };
    } catch (error) {
      throw new Error(`cell ${cell}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

/** A result without its returns: what crosses back to the main thread. */
export function cellRecord(result: CellResult): CellRecord {
  const record = { position: result.position, cell: result.cell, metrics: result.metrics, digest: result.digest };
  return result.regimes === undefined ? record : { ...record, regimes: result.regimes };
}

let context: GridWorkerContext | undefined;

/**
 * The piscina task: runs one batch of cells with this worker's shared bars, writes their daily
 * returns into the task's slot of the returns slab and sends back the rest.
 */
export default function runGridTask(task: GridTask): CellRecord[] {
  context ??= gridWorkerContext(workerData as GridWorkerData);
  const slab = context.data.returnsSlab;
  if (slab !== undefined && task.positions.length > slab.cellsPerSlot) {
    throw new RangeError(`a batch of ${task.positions.length} cells does not fit a returns slot of ${slab.cellsPerSlot}`);
  }
  return runCells(context, task.positions, slab === undefined ? undefined : slabSlot(slab, task.slot)).map(cellRecord);
}
