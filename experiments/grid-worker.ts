import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import type { BarSeries } from '../engine/bars.js';
import { runBacktest } from '../engine/backtest.js';
import type { RegimeRow } from '../engine/metrics/regime-metrics.js';
import { regimeRows } from './run-json.js';
import type { EngineOptions } from '../engine/engine-config.js';
import type { StrategyDefinition } from '../engine/strategy.js';
import { findStrategy } from '../strategies/index.js';
import type { ParamValue } from './experiment.js';
import { rowMetrics, type RowMetrics } from './results-columns.js';
import { dailyReturnsOf } from './returns-file.js';
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
}

/** One batch: positions in the cell order (ascending). */
export interface GridTask {
  readonly positions: readonly number[];
}

/** One finished cell. */
export interface CellResult {
  readonly position: number;
  readonly cell: number;
  readonly metrics: RowMetrics;
  readonly digest: string;
  /** Daily returns from day-end equity, float32. */
  readonly returns: Float32Array;
  /** Per-regime figures (`vol:…` and `trend:…` rows) when the experiment has a `regimes` block. */
  readonly regimes?: readonly RegimeRow[];
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
 * series, no events): the same metrics and digest as `runBacktest` of that cell alone.
 * Errors name the cell.
 */
export function runCells(context: GridWorkerContext, positions: readonly number[]): CellResult[] {
  const { data, strategy, bars } = context;
  return positions.map((position) => {
    const cell = data.cells[position]!;
    try {
      const result = runBacktest({ data: bars, strategy, params: data.params[position]!, options: data.options, keepSeries: false, keepEvents: false, keepDailyEquity: true });
      if (result.dailyEquity === undefined) throw new Error('the engine returned no day-end equity (needed for daily returns)');
      const returns = dailyReturnsOf(result.dailyEquity);
      if (returns.length !== data.returnsPerCell) throw new Error(`${returns.length} daily returns, expected ${data.returnsPerCell}`);
      const out = { position, cell, metrics: rowMetrics(result.metrics), digest: result.digest, returns };
      return result.regimes === undefined ? out : { ...out, regimes: regimeRows(result.regimes) };
    } catch (error) {
      throw new Error(`cell ${cell}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

let context: GridWorkerContext | undefined;

/** The piscina task: runs one batch of cells with this worker's shared bars. */
export default function runGridTask(task: GridTask): CellResult[] {
  context ??= gridWorkerContext(workerData as GridWorkerData);
  return movingReturns(runCells(context, task.positions));
}

/**
 * Marks a batch's results so that piscina transfers each cell's daily-return buffer to the main
 * thread instead of copying it (the caller receives a plain `CellResult[]`). A cell's returns are
 * the largest part of its result (one float32 per day); on a grid of short cells the copies were a
 * measurable share of the main thread's work, which on a small machine competes with the workers.
 * Empty and shared buffers are left to be copied.
 */
export function movingReturns(results: CellResult[]): CellResult[] {
  const buffers = new Set<ArrayBuffer>();
  for (const r of results) {
    const buffer = r.returns.buffer;
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) buffers.add(buffer);
  }
  if (buffers.size === 0) return results;
  // piscina sends `[valueSymbol]` with `[transferableSymbol]` as the transfer list.
  return move({ [transferableSymbol]: [...buffers], [valueSymbol]: results }) as unknown as CellResult[];
}
