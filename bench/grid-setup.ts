import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BarSeries } from '../engine/bars.js';
import { synthBars } from '../data/synth.js';
import { cellParams, expandCells } from '../experiments/cells.js';
import type { Experiment } from '../experiments/experiment.js';
import { parseExperiment } from '../experiments/experiment-spec.js';
import type { GridWorkerData } from '../experiments/grid-worker.js';
import { timelineDays } from '../experiments/returns-file.js';
import { loadRunData } from '../experiments/run.js';
import { barsFromShared, shareBars, type SharedBarColumns } from '../experiments/shared-bars.js';

/**
 * The two grids of the bench's `grid` part, built the way `runGrid` builds its pool input: the
 * experiment's cells and params, and the bars copied once into `SharedArrayBuffer`s that every
 * worker (and the floor, on the main thread) reads in place.
 */

/** The bundled 90-cell experiment, relative to the repository root. */
export const SP500_EXPERIMENT = 'experiments/sma-sp500.json';

/** The synthetic grid: minute bars from `synthBars` (seed fixed), sma-cross fast 10…50 × slow 100, 200 (10 cells). */
export const SYNTH_GRID = Object.freeze({
  seed: 7,
  intervalMs: 60_000,
  symbol: 'SYN',
  capital: 100_000,
  sweep: { fast: { from: 10, to: 50, step: 10 }, slow: { from: 100, to: 200, step: 100 } },
});

/** A grid ready for the pool and for the floor. */
export interface GridSetup {
  readonly label: string;
  readonly experiment: Experiment;
  /** Cell index of each position (cell order). */
  readonly cellIndexes: readonly number[];
  /** SMA periods of each position, for the floor. */
  readonly periods: readonly { readonly fast: number; readonly slow: number }[];
  /** Starting cash of every cell, account currency. */
  readonly initialCapital: number;
  /** What `createGridPool` gets, as `runGrid` builds it (bars shared, not copied). */
  readonly workerData: GridWorkerData;
  /** The shared bars as a series (views of the shared memory; the floor reads these). */
  readonly bars: BarSeries;
  /** Bytes of the `SharedArrayBuffer`s holding the bars: the data that must exist once. */
  readonly sharedBytes: number;
}

/**
 * Builds a {@link GridSetup} from an experiment and its (single) bar series. The floor models
 * zero-cost, long-only `sma-cross` only, so anything else is refused here rather than compared
 * wrongly later. Throws `Error`.
 */
export function gridSetup(label: string, experiment: Experiment, bars: BarSeries): GridSetup {
  if (experiment.strategy !== 'sma-cross') throw new Error(`${label}: the floor models sma-cross only, not ${experiment.strategy}`);
  const costs = experiment.options.costs ?? {};
  if (Object.keys(costs).length > 0) throw new Error(`${label}: the floor models a cost-free grid; this one has costs ${JSON.stringify(costs)}`);
  const cells = expandCells(experiment);
  const params = cells.map((cell) => cellParams(experiment, cell));
  const periods = params.map((p, i) => {
    const { fast, slow, longOnly } = p;
    if (typeof fast !== 'number' || typeof slow !== 'number' || longOnly === false) {
      throw new Error(`${label}: cell ${cells[i]!.index} is not a long-only sma-cross with numeric fast/slow`);
    }
    return Object.freeze({ fast, slow });
  });
  const shared = shareBars(bars);
  return Object.freeze({
    label,
    experiment,
    cellIndexes: cells.map((c) => c.index),
    periods,
    initialCapital: experiment.options.initialCapital ?? 100_000,
    workerData: {
      strategy: experiment.strategy,
      options: experiment.options,
      params,
      cells: cells.map((c) => c.index),
      bars: [shared],
      returnsPerCell: Math.max(0, timelineDays([shared.timeMs]) - 1),
    },
    bars: barsFromShared(shared),
    sharedBytes: sharedBytesOf(shared),
  });
}

/** Bytes of the distinct `SharedArrayBuffer`s behind a shared series' columns. */
export function sharedBytesOf(shared: SharedBarColumns): number {
  const columns = [shared.timeMs, shared.open, shared.high, shared.low, shared.close, shared.volume, ...Object.values(shared.extras)];
  const buffers = new Set<ArrayBufferLike>();
  for (const column of columns) if (column !== undefined) buffers.add(column.buffer);
  let bytes = 0;
  for (const buffer of buffers) bytes += buffer.byteLength;
  return bytes;
}

/** The bundled S&P 500 experiment and its loaded bars; `experimentFile` is for `runGrid`. */
export async function sp500GridSetup(repoRoot: string): Promise<{ readonly setup: GridSetup; readonly experimentFile: string; readonly baseDir: string }> {
  const experimentFile = join(repoRoot, SP500_EXPERIMENT);
  const baseDir = dirname(experimentFile);
  const experiment = parseExperiment(JSON.parse(readFileSync(experimentFile, 'utf8')), { file: experimentFile });
  const [data] = await loadRunData(experiment.data, baseDir);
  if (data === undefined || experiment.data.length !== 1) throw new Error(`${SP500_EXPERIMENT}: expected exactly one data file`);
  return { setup: gridSetup('S&P 500', experiment, data.bars), experimentFile, baseDir };
}

/** The synthetic grid's experiment (its data entry is a placeholder: the bars come from `synthBars`). */
export function syntheticGridExperiment(): Experiment {
  return parseExperiment({
    name: 'sma-synthetic',
    description: 'sma-cross on synthetic minute bars (bench)',
    data: { file: '(synthBars)', symbol: SYNTH_GRID.symbol },
    strategy: 'sma-cross',
    sweep: SYNTH_GRID.sweep,
    constraints: ['fast < slow'],
    capital: SYNTH_GRID.capital,
    seed: SYNTH_GRID.seed,
  });
}

/**
 * The synthetic grid over `count` minute bars. The generated columns are dropped once shared, so
 * the process holds the bars once (in the shared buffer), as a grid run does.
 */
export function syntheticGridSetup(count: number): GridSetup {
  const bars = synthBars({ bars: count, seed: SYNTH_GRID.seed, intervalMs: SYNTH_GRID.intervalMs, symbol: SYNTH_GRID.symbol });
  return gridSetup('synthetic', syntheticGridExperiment(), bars);
}
