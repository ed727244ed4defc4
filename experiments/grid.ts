import { createHash } from 'node:crypto';
import type { StrategyDefinition } from '../engine/strategy.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../engine/config-error.js';
import { resolveParams } from '../engine/params.js';
import { fileDigest } from '../data/load.js';
import { findStrategy, STRATEGIES } from '../strategies/index.js';
import { cellParams, expandCells } from './cells.js';
import type { Cell, Experiment } from './experiment.js';
import type { GridManifest } from './grid-manifest.js';
import { gridOverfitting } from './grid-overfitting.js';
import { writeRegimeResults } from './grid-playbook.js';
import { gridSummary, type GridSummary } from './grid-summary.js';
import type { RegimeRow } from '../engine/metrics/regime-metrics.js';
import type { CellResult } from './grid-worker.js';
import { createGridPool, dispatchBatches, guidedLargest, planBatches } from './pool.js';
import { rankRows, type RankingResult } from './ranking.js';
import { ReorderBuffer } from './reorder-buffer.js';
import { resultsLayout, type GridRow } from './results-columns.js';
import { GRID_FILES, ResultsStore, type CellOutput } from './results-store.js';
import { timelineDays } from './returns-file.js';
import { loadRunData } from './run.js';
import { shareBars } from './shared-bars.js';

/** How to run a grid. */
export interface GridOptions {
  readonly experiment: Experiment;
  /** The experiment file (for the manifest and its digest), or null for an experiment built in code. */
  readonly experimentFile: string | null;
  /** Folder that relative data paths are resolved against (the experiment file's folder). */
  readonly baseDir: string;
  /** Results folder. */
  readonly outDir: string;
  /** Worker threads (at most one per batch is started). */
  readonly workers: number;
  /** Cells per worker message, fixed (default: guided batches, `guidedBatches` in pool.ts). */
  readonly batchSize?: number | undefined;
  /** Continue the run in `outDir` instead of starting a new one. */
  readonly resume: boolean;
  /** replaylab version, recorded in the manifest (a resume must match it). */
  readonly version: string;
  /** Top cells in the summary (default `experiment.top`). */
  readonly top?: number | undefined;
  /** Aborting stops dispatching; running batches finish and are stored, then the run ends `interrupted`. */
  readonly signal?: AbortSignal | undefined;
  /** Called once the folder is open, before any cell runs. */
  readonly onStart?: ((info: { readonly total: number; readonly done: number; readonly workers: number; readonly batchSize: number }) => void) | undefined;
  /** Called as batches finish, with the number of cells finished so far (of `total`), stored or not yet in order. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  /** Compiled worker module (default: `gridWorkerFile()`). */
  readonly workerFile?: string | undefined;
}

/** A finished (or interrupted) grid run. */
export interface GridOutcome {
  readonly status: 'complete' | 'interrupted';
  readonly outDir: string;
  readonly manifest: GridManifest;
  /** Stored rows, in cell order. */
  readonly rows: readonly GridRow[];
  /** Ranking and summary, when complete. */
  readonly ranking: RankingResult | undefined;
  readonly summary: GridSummary | undefined;
}

/**
 * Runs every cell of an experiment on a worker pool, the bars shared with every worker, and
 * streams the results in cell order to `outDir` (see `ResultsStore`). When every cell is done it
 * ranks them, computes the overfitting statistics and writes `summary.json`.
 * Throws `ConfigError` for a bad experiment (unknown strategy, a cell whose params the strategy
 * rejects), `DataError` for bad data, `ResultsDirError` when the folder cannot be used, and the
 * first worker error (naming its cell) after storing what finished.
 */
export async function runGrid(options: GridOptions): Promise<GridOutcome> {
  const { experiment, outDir } = options;
  const strategy = findStrategy(experiment.strategy);
  if (strategy === undefined) {
    throw new ConfigError('strategy', `unknown strategy ${JSON.stringify(experiment.strategy)} — available: ${[...STRATEGIES.keys()].join(', ')}`);
  }
  const cells = expandCells(experiment);
  const params = cells.map((cell) => cellParams(experiment, cell));
  checkCells(cells, params, strategy);
  const data = await loadRunData(experiment.data, options.baseDir);
  const digests = await Promise.all(data.map((d) => fileDigest(d.file)));
  const returnsPerCell = Math.max(0, timelineDays(data.map((d) => d.bars.timeMs)) - 1);
  const layout = resultsLayout(strategy.params, Object.keys(experiment.sweep));
  const json = experimentJson(experiment);
  const experimentDigest = options.experimentFile === null ? sha256(JSON.stringify(json)) : await fileDigest(options.experimentFile);
  const store = ResultsStore.open({
    dir: outDir,
    layout,
    identity: {
      replaylab: options.version,
      experiment: { name: experiment.name, file: options.experimentFile, digest: experimentDigest },
      data: data.map((d, i) => ({ file: d.file, digest: digests[i]! })),
      seed: experiment.seed,
      cells: cells.length,
      returnsPerCell,
    },
    cellIndexes: cells.map((c) => c.index),
    resume: options.resume,
    workers: options.workers,
    // Fixed: the size asked for. Guided: the cap, the first batch of a run from the first cell.
    batchSize: options.batchSize ?? guidedLargest(cells.length, options.workers),
    batching: options.batchSize === undefined ? 'guided' : 'fixed',
    experimentJson: json,
  });
  const { batches, largest } = planBatches(store.done, cells.length, options.workers, options.batchSize);
  const regimesByCell = new Map<number, readonly RegimeRow[]>();
  const workers = Math.max(1, Math.min(options.workers, batches.length));
  options.onStart?.({ total: cells.length, done: store.done, workers, batchSize: largest });
  if (batches.length > 0) {
    const reorder = new ReorderBuffer<CellOutput>(store.done);
    const onResult = (results: CellResult[]): void => {
      for (const r of results) {
        if (r.regimes !== undefined) regimesByCell.set(r.cell, r.regimes);
        const row: GridRow = { cell: r.cell, params: cells[r.position]!.swept, metrics: r.metrics, digest: r.digest };
        store.append(releaseInOrder(reorder, r.position, { row, returns: r.returns }));
      }
      // Finished cells, stored or waiting in the reorder buffer for an earlier one.
      options.onProgress?.(store.done + reorder.waiting, cells.length);
    };
    const pool = createGridPool({
      workers,
      batchCells: largest,
      workerData: { strategy: experiment.strategy, options: experiment.options, params, cells: cells.map((c) => c.index), bars: data.map((d) => shareBars(d.bars)), returnsPerCell },
      ...(options.workerFile === undefined ? {} : { filename: options.workerFile }),
    });
    try {
      await dispatchBatches({ pool, batches, signal: options.signal, onResult });
    } catch (error) {
      store.close('interrupted');
      throw error;
    } finally {
      await pool.destroy();
    }
  }
  const complete = store.done === cells.length;
  const manifest = store.close(complete ? 'complete' : 'interrupted');
  if (!complete) return { status: 'interrupted', outDir, manifest, rows: store.rows, ranking: undefined, summary: undefined };
  const ranking = rankRows(store.rows, experiment.ranking, experiment.filters);
  const overfitting = gridOverfitting(experiment, store.rows, store.readReturns(), ranking.ranked[0]?.row);
  const playbook =
    experiment.options.regimes === undefined
      ? undefined
      : writeRegimeResults({
          experiment,
          strategy,
          bars: data.map((d) => d.bars),
          rows: store.rows,
          params: new Map(cells.map((c, i) => [c.index, params[i]!])),
          regimesByCell,
          ranking,
          outDir,
        });
  const summary = gridSummary({ experiment, rows: store.rows, ranking, top: options.top ?? experiment.top, overfitting, outDir, playbook });
  writeFileSync(join(outDir, GRID_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
  return { status: 'complete', outDir, manifest, rows: store.rows, ranking, summary };
}

/**
 * Adds a finished cell to the reorder buffer; returns the cells now in order, for the caller to
 * store before it returns. The pool's view of a cell's returns is overwritten by its lane's next
 * batch: the next cell in order is released at once with the view, and a cell that must wait for
 * an earlier one keeps a copy.
 */
export function releaseInOrder(reorder: ReorderBuffer<CellOutput>, position: number, output: CellOutput): CellOutput[] {
  return reorder.add(position, position === reorder.next ? output : { ...output, returns: output.returns.slice() });
}

/**
 * Checks every cell's params against the strategy schema and its own cross-parameter check before
 * anything runs (fail fast, exit 2), naming the cell. Shared by grid and walk-forward.
 */
export function checkCells(cells: readonly Cell[], params: readonly Readonly<Record<string, unknown>>[], strategy: StrategyDefinition): void {
  cells.forEach((cell, i) => {
    const label = Object.entries(cell.swept).map(([k, v]) => `${k}=${String(v)}`).join(' ');
    try {
      const resolved = resolveParams(strategy.params, params[i]!);
      const problem = strategy.check?.(resolved);
      if (problem !== undefined) throw new ConfigError(problem.path, problem.problem);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError(`cell ${cell.index} (${label}) ${error.path}`, `${error.problem} — fix the sweep or add a constraint that skips such cells`);
    }
  });
}

/** The resolved experiment as plain JSON (constraints as their text). */
export function experimentJson(experiment: Experiment): unknown {
  return { ...experiment, constraints: experiment.constraints.map((c) => c.text) };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
