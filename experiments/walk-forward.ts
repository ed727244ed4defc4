import type { BarSeries } from '../engine/bars.js';
import { runBacktest } from '../engine/backtest.js';
import type { RegimeRow } from '../engine/metrics/regime-metrics.js';
import { regimeRows } from './run-json.js';
import { ConfigError } from '../engine/config-error.js';
import { resolveEngineConfig } from '../engine/engine-config.js';
import type { Metrics } from '../engine/metrics/types.js';
import type { Trade } from '../engine/trade.js';
import { findStrategy, STRATEGIES } from '../strategies/index.js';
import { cellParams, expandCells } from './cells.js';
import type { Experiment, ParamValue, WalkForwardSpec } from './experiment.js';
import { checkCells } from './grid.js';
import { rankRows } from './ranking.js';
import type { RowMetrics } from './results-columns.js';
import { loadRunData, type LoadedData } from './run.js';
import { stitchOutOfSample, type StitchedCurve, type TestRun } from './walk-forward-stitch.js';
import { mergedTimeline, sliceByTime } from './walk-forward-slice.js';
import { runTrainGrids } from './walk-forward-train.js';
import { walkForwardWindows, type WalkForwardWindow } from './walk-forward-windows.js';

/**
 * Walk-forward analysis: in each window, run the whole grid on the train (in-sample) bars, pick the
 * best cell by the experiment's ranking after its quality filters, and run that cell on the test
 * (out-of-sample) bars that follow. Only the out-of-sample runs make the stitched result.
 *
 * - Test runs start cold: the chosen cell runs on the test bars alone, so indicators warm up inside
 *   the test window (a 200-bar average is not ready before the 200th test bar). Nothing of the test
 *   period influences the choice and nothing of the train period leaks into the test run; test
 *   windows should be long compared with the strategy's look-back.
 * - Capital carries over: each test run starts with the previous one's final equity (the first
 *   with the experiment's capital). A position still open at the end of a test window is marked at
 *   its last close (an open trade of that window; closed there in the stitched trade list) and the
 *   next window starts flat with that equity in cash — no exit fee or slippage is charged for that
 *   implicit close.
 * - The train grids always run with the experiment's capital, so a choice never depends on
 *   earlier out-of-sample results.
 * - When no cell passes the filters on a train window, nothing is traded in its test window: the
 *   equity stays flat (`chosen: null`).
 */

/** How to run a walk-forward. */
export interface WalkForwardOptions {
  /** An experiment with a `walkForward` block. */
  readonly experiment: Experiment;
  /** Folder that relative data paths are resolved against (the experiment file's folder). */
  readonly baseDir: string;
  /** Worker threads for the train grids; 1 runs them in this thread. Results do not depend on it. */
  readonly workers: number;
  /** Compiled grid worker module (default: the pool's). */
  readonly workerFile?: string | undefined;
  /** Called once the windows are cut, before any cell runs. */
  readonly onStart?: ((info: { readonly windows: number; readonly cells: number; readonly workers: number }) => void) | undefined;
  /** Called as train cells finish: cells done so far of windows × cells. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/** The cell chosen on a train window. */
export interface ChosenCell {
  readonly cell: number;
  /** Swept params of the cell. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Its ranking metric value or composite score on the train window. */
  readonly score: number | null;
  /** Digest of its train-window run. */
  readonly trainDigest: string;
}

/** One window's outcome. */
export interface WalkForwardWindowResult {
  readonly window: WalkForwardWindow;
  /** Times (epoch ms UTC) of the first and last train and test bars on the timeline. */
  readonly trainFromMs: number;
  readonly trainToMs: number;
  readonly testFromMs: number;
  readonly testToMs: number;
  /** Cells that passed the quality filters on the train window. */
  readonly passed: number;
  /** The best passing cell, or null when none passed (nothing traded in the test window). */
  readonly chosen: ChosenCell | null;
  /** The chosen cell's metrics on its train window (in-sample), as `replaylab grid` stores them. */
  readonly inSample: RowMetrics | null;
  /** Metrics of the test run (out-of-sample), relative to the equity it started with. */
  readonly outOfSample: Metrics;
  /** OOS CAGR ÷ IS CAGR; null when the IS CAGR is not > 0 or either is not finite. */
  readonly efficiency: number | null;
  /** Equity at the start and end of the test window. */
  readonly startEquity: number;
  readonly finalEquity: number;
  /** Digest of the test run; null when nothing ran. */
  readonly testDigest: string | null;
  /** Trades of the test run: closed ones, then one still open at the window's end. */
  readonly trades: readonly Trade[];
  /**
   * Per-regime figures of the test run (`vol:…`, `trend:…` rows) when the experiment has a
   * `regimes` block; null otherwise or when nothing ran. The classifier starts cold in each test
   * window, so its first bars are `unknown`.
   */
  readonly regimes: readonly RegimeRow[] | null;
}

/** The stitched out-of-sample result. */
export interface OutOfSample extends StitchedCurve {
  /** Mean of the windows' in-sample CAGR % (windows with a chosen cell); null without any. */
  readonly meanInSampleCagrPct: number | null;
  /** Stitched OOS CAGR ÷ mean IS CAGR (see {@link efficiency}). */
  readonly efficiency: number | null;
}

/** A finished walk-forward. */
export interface WalkForwardResult {
  readonly experiment: Experiment;
  readonly spec: WalkForwardSpec;
  readonly data: readonly LoadedData[];
  /** Cells run on every train window. */
  readonly cells: number;
  readonly windows: readonly WalkForwardWindowResult[];
  /** The stitched out-of-sample curve, its metrics and the overall efficiency. */
  readonly outOfSample: OutOfSample;
}

/**
 * Runs a walk-forward (see the module comment): loads the data, cuts the windows
 * (`walkForwardWindows`), runs each train grid (`runTrainGrids`), ranks with `rankRows`, runs the
 * chosen cell on the test bars and stitches the test runs. Deterministic: the same experiment and
 * data give the same result whatever `workers` is.
 * Throws `ConfigError` for an experiment without `walkForward`, an unknown strategy, a cell the
 * strategy rejects or data too short for one window; `DataError` for bad data.
 */
export async function runWalkForward(options: WalkForwardOptions): Promise<WalkForwardResult> {
  const { experiment } = options;
  const spec = experiment.walkForward;
  if (spec === undefined) throw new ConfigError('walkForward', 'missing — add e.g. "walkForward": {"mode": "rolling", "train": "3y", "test": "1y"}');
  const strategy = findStrategy(experiment.strategy);
  if (strategy === undefined) {
    throw new ConfigError('strategy', `unknown strategy ${JSON.stringify(experiment.strategy)} — available: ${[...STRATEGIES.keys()].join(', ')}`);
  }
  const cells = expandCells(experiment);
  const params = cells.map((cell) => cellParams(experiment, cell));
  checkCells(cells, params, strategy);
  const config = resolveEngineConfig(experiment.options);
  const data = await loadRunData(experiment.data, options.baseDir);
  const series = data.map((d) => d.bars);
  const timeline = mergedTimeline(series);
  const windows = walkForwardWindows(timeline, spec);
  const at = (i: number): number => timeline[i]!;
  const end = (i: number): number => (i < timeline.length ? at(i) : Number.POSITIVE_INFINITY);
  const slice = (start: number, stop: number): BarSeries[] => series.map((s) => sliceByTime(s, at(start), end(stop)));
  options.onStart?.({ windows: windows.length, cells: cells.length, workers: options.workers });
  const trainRows = await runTrainGrids({
    experiment,
    cells,
    params,
    bars: series,
    windows: windows.map((w) => ({ fromMs: at(w.trainStart), toMs: end(w.trainEnd) })),
    workers: options.workers,
    workerFile: options.workerFile,
    onProgress: options.onProgress,
  });

  // Choose and test window by window: each test run starts with the previous one's final equity.
  const results: WalkForwardWindowResult[] = [];
  const testRuns: TestRun[] = [];
  let equity = config.initialCapital;
  for (const window of windows) {
    const rows = trainRows[window.index]!;
    const ranking = rankRows(rows, experiment.ranking, experiment.filters);
    const best = ranking.ranked[0];
    const testBars = slice(window.testStart, window.testEnd);
    const run = best === undefined
      ? undefined
      // A cell's index is its position in the cell order (expandCells numbers them 0…n−1).
      : runBacktest({ data: testBars, strategy, params: params[best.row.cell]!, options: { ...experiment.options, initialCapital: equity }, keepSeries: true, keepEvents: true });
    const testRun: TestRun = { window: window.index, startEquity: equity, timeMs: timeline.subarray(window.testStart, window.testEnd), result: run };
    // The engine's own metrics of the test run; a window without a run is a flat curve.
    const outOfSample = run?.metrics ?? stitchOutOfSample([testRun], { initialCapital: equity, riskFreeRate: config.riskFreeRate }).metrics;
    testRuns.push(testRun);
    const inSample = best?.row.metrics ?? null;
    results.push(Object.freeze({
      window,
      trainFromMs: at(window.trainStart),
      trainToMs: at(window.trainEnd - 1),
      testFromMs: at(window.testStart),
      testToMs: at(window.testEnd - 1),
      passed: ranking.passed,
      chosen: best === undefined ? null : Object.freeze({ cell: best.row.cell, params: best.row.params, score: best.score, trainDigest: best.row.digest }),
      inSample,
      outOfSample,
      efficiency: efficiency(outOfSample.cagrPct, inSample?.cagrPct ?? null),
      startEquity: equity,
      finalEquity: outOfSample.finalEquity,
      testDigest: run?.digest ?? null,
      trades: run?.trades ?? [],
      regimes: run?.regimes === undefined ? null : regimeRows(run.regimes),
    }));
    equity = outOfSample.finalEquity;
  }
  const outOfSample = stitchOutOfSample(testRuns, { initialCapital: config.initialCapital, riskFreeRate: config.riskFreeRate });
  const inSampleCagr = results.map((r) => r.inSample?.cagrPct ?? null).filter((x): x is number => x !== null);
  const meanInSampleCagr = inSampleCagr.length === 0 ? null : inSampleCagr.reduce((a, b) => a + b, 0) / inSampleCagr.length;
  return Object.freeze({
    experiment,
    spec,
    data,
    cells: cells.length,
    windows: Object.freeze(results),
    outOfSample: Object.freeze({ ...outOfSample, meanInSampleCagrPct: meanInSampleCagr, efficiency: efficiency(outOfSample.metrics.cagrPct, meanInSampleCagr) }),
  });
}

/**
 * Walk-forward efficiency: out-of-sample annualized return ÷ in-sample annualized return (CAGR %).
 * Null when the in-sample CAGR is not > 0 (the ratio would mean nothing) or either is not finite.
 */
export function efficiency(outOfSampleCagrPct: number | null, inSampleCagrPct: number | null): number | null {
  if (outOfSampleCagrPct === null || inSampleCagrPct === null || !Number.isFinite(outOfSampleCagrPct) || !Number.isFinite(inSampleCagrPct)) return null;
  return inSampleCagrPct > 0 ? outOfSampleCagrPct / inSampleCagrPct : null;
}
