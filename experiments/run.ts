import { isAbsolute, resolve } from 'node:path';
import { sliceBars, type BarSeries } from '../engine/bars.js';
import { runBacktest, type BacktestResult } from '../engine/backtest.js';
import { ConfigError } from '../engine/config-error.js';
import { resolveEngineConfig } from '../engine/engine-config.js';
import { resolveParams } from '../engine/params.js';
import { loadBars } from '../data/load.js';
import type { RepairReport } from '../data/validate.js';
import { findStrategy, STRATEGIES } from '../strategies/index.js';
import { parseTimeBound, type DataSpec, type RunSpec } from './run-spec.js';

/** One loaded data file of a run, with what was done to it. */
export interface LoadedData {
  readonly file: string;
  readonly bars: BarSeries;
  /** Rows in the file before the from/to window. */
  readonly rowsInFile: number;
  readonly repairs: RepairReport;
}

/** A finished run with the data it used. */
export interface RunOutcome {
  readonly spec: RunSpec;
  readonly data: readonly LoadedData[];
  readonly result: BacktestResult;
}

/**
 * Loads (and validates) every data file of a spec, applies its from/to window as a zero-copy view.
 * Relative paths are resolved against `baseDir`. Throws `DataError` for bad data and
 * `ConfigError` for an empty window.
 */
export async function loadRunData(specs: readonly DataSpec[], baseDir: string): Promise<LoadedData[]> {
  const loaded: LoadedData[] = [];
  for (const [i, spec] of specs.entries()) {
    const file = isAbsolute(spec.file) ? spec.file : resolve(baseDir, spec.file);
    const { bars, repairs } = await loadBars(file, { symbol: spec.symbol, repair: spec.repair });
    const windowed = window(bars, spec, specs.length > 1 ? `data[${i}]` : 'data');
    loaded.push(Object.freeze({ file, bars: windowed, rowsInFile: bars.length, repairs }));
  }
  return loaded;
}

function window(bars: BarSeries, spec: DataSpec, path: string): BarSeries {
  if (spec.from === undefined && spec.to === undefined) return bars;
  const from = spec.from === undefined ? Number.NEGATIVE_INFINITY : parseTimeBound(spec.from);
  const to = spec.to === undefined ? Number.POSITIVE_INFINITY : parseTimeBound(spec.to);
  const time = bars.timeMs;
  let start = 0;
  while (start < time.length && time[start]! < from) start++;
  let end = start;
  while (end < time.length && time[end]! <= to) end++;
  if (end === start) {
    throw new ConfigError(`${path}.from`, `the window ${spec.from ?? '…'} … ${spec.to ?? '…'} contains no bars of ${spec.file} — widen it`);
  }
  return sliceBars(bars, start, end);
}

/**
 * Runs a {@link RunSpec}: finds the strategy, loads the data, runs the backtest.
 * Throws `ConfigError` for an unknown strategy or bad params/options, `DataError` for bad data.
 */
export async function runSpec(
  spec: RunSpec,
  baseDir: string,
  options: { readonly keepSeries?: boolean; readonly keepEvents?: boolean } = {},
): Promise<RunOutcome> {
  const strategy = findStrategy(spec.strategy);
  if (strategy === undefined) {
    throw new ConfigError('strategy', `unknown strategy ${JSON.stringify(spec.strategy)} — available: ${[...STRATEGIES.keys()].join(', ')}`);
  }
  // Check params and options before spending time on the data.
  const params = resolveParams(strategy.params, spec.params);
  const problem = strategy.check?.(params);
  if (problem !== undefined) throw new ConfigError(problem.path, problem.problem);
  resolveEngineConfig(spec.options);
  const data = await loadRunData(spec.data, baseDir);
  const result = runBacktest({
    data: data.map((d) => d.bars),
    strategy,
    params: spec.params,
    options: spec.options,
    keepSeries: options.keepSeries ?? true,
    keepEvents: options.keepEvents ?? true,
  });
  return Object.freeze({ spec, data, result });
}
