import type { BarSeries } from './bars.js';
import { ConfigError } from './config-error.js';
import { Engine } from './engine.js';
import type { RegimeReport } from './entry-gate.js';
import { resolveEngineConfig, type EngineOptions, type ResolvedEngineConfig } from './engine-config.js';
import type { EngineEvent } from './events.js';
import { equity as equityInstrument, type Instrument } from './instrument.js';
import { metricsFromSummary, type Metrics } from './metrics/index.js';
import { resolveParams, type ParamSchema, type ParamsOf } from './params.js';
import type { StrategyDefinition } from './strategy.js';
import { StepTime } from './step-close.js';
import type { Trade } from './trade.js';

/** What to run. */
export interface BacktestInput<S extends ParamSchema = ParamSchema> {
  /** One bar series, or several (merged onto one timeline; the first is the primary symbol). */
  readonly data: BarSeries | readonly BarSeries[];
  readonly strategy: StrategyDefinition<S>;
  /** Parameter values (numbers, booleans or CLI strings); unspecified ones take defaults. */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly options?: EngineOptions;
  /**
   * Keep the full per-step series (equity, gross equity, exposure) in the result. Default true.
   * False streams the statistics only (grids, benchmarks): metrics and digest are identical.
   */
  readonly keepSeries?: boolean;
  /** Keep the event log in the result. Default true; false for grids and benchmarks. */
  readonly keepEvents?: boolean;
  /** Keep the day-end equity series (`dailyEquity`). Default: as `keepSeries`. */
  readonly keepDailyEquity?: boolean;
}

/** Per-step output columns of a run (all the same length: one value per step). */
export interface RunSeries {
  readonly timeMs: Float64Array;
  /** Account equity at each step's close, net of all costs. */
  readonly equity: Float64Array;
  /** Equity with cumulative fees and slippage added back ("gross of costs"). */
  readonly grossEquity: Float64Array;
  /** Gross position value ÷ equity. */
  readonly exposure: Float64Array;
}

/** A finished run. Frozen. */
export interface BacktestResult {
  readonly strategy: string;
  readonly params: Readonly<Record<string, number | boolean | string>>;
  readonly config: ResolvedEngineConfig;
  readonly symbols: readonly string[];
  /** Metrics net of costs (the account as it was). */
  readonly metrics: Metrics;
  /** Metrics of the gross-of-costs equity curve and trades' gross P&L. */
  readonly grossMetrics: Metrics;
  /** Closed trades in closing order, then trades still open at the end (marked at the last close). */
  readonly trades: readonly Trade[];
  readonly events: readonly EngineEvent[];
  /** Undefined when the run was made with `keepSeries: false`. */
  readonly series: RunSeries | undefined;
  /** sha256 of the canonical trade log and equity curve. */
  readonly digest: string;
  /**
   * Net equity at the last step of each UTC day, in order (daily returns for grids' overfitting
   * statistics). May be a view of a larger buffer: mind `byteOffset`/`byteLength` before using `.buffer`.
   */
  readonly dailyEquity?: Float64Array;
  /** Per-regime statistics (vol and trend of the primary symbol); only when the run has a `regimes` block. */
  readonly regimes?: RegimeReport;
}

/**
 * Runs a strategy over historical bars: resolves params and options, replays the merged timeline
 * (time, then symbol order) through one {@link Engine}, then computes metrics and the digest.
 * Throws {@link ConfigError} for bad params or options.
 */
export function runBacktest<S extends ParamSchema>(input: BacktestInput<S>): BacktestResult {
  const series = Array.isArray(input.data) ? (input.data as readonly BarSeries[]) : [input.data as BarSeries];
  const { engine, params, symbols } = createEngine({ ...input, series });
  replay(engine, series);
  return finishRun(engine, input.strategy.name, params, symbols);
}

/** What {@link createEngine} builds an engine from. */
export interface EngineInput<S extends ParamSchema = ParamSchema> extends Omit<BacktestInput<S>, 'data'> {
  /** The bar series the engine steps through (the first is the primary symbol). */
  readonly series: readonly BarSeries[];
  /** Steps to preallocate the kept series for (default: the series' total bars). */
  readonly capacity?: number;
}

/**
 * The one factory of a run's engine, for backtests and live drivers alike: checks the series
 * (at least one, distinct symbols), resolves and checks the params, resolves the options, builds
 * the instruments and the strategy instance, and starts the engine (the strategy's `init`).
 * Throws {@link ConfigError} for bad params or options.
 */
export function createEngine<S extends ParamSchema>(input: EngineInput<S>): { readonly engine: Engine; readonly params: ParamsOf<S>; readonly symbols: readonly string[] } {
  const series = input.series;
  if (series.length === 0) throw new ConfigError('data', 'no bar series given');
  const symbols = series.map((s) => s.symbol);
  if (new Set(symbols).size !== symbols.length) throw new ConfigError('data', `duplicate symbols: ${symbols.join(', ')}`);
  const params = resolveParams(input.strategy.params, input.params ?? {});
  const problem = input.strategy.check?.(params as ParamsOf<S>);
  if (problem !== undefined) throw new ConfigError(problem.path, problem.problem);
  const config = resolveEngineConfig(input.options);
  const instruments = series.map((s) => instrumentFor(s.symbol, config));
  const capacity = input.capacity ?? series.reduce((n, s) => n + s.length, 0);
  const keepSeries = input.keepSeries ?? true;
  const output = { keepSeries, keepEvents: input.keepEvents ?? true, keepDailyEquity: input.keepDailyEquity ?? keepSeries, capacity };
  const engine = new Engine(config, instruments, series, input.strategy.create(params as ParamsOf<S>), output);
  engine.start();
  return { engine, params: params as ParamsOf<S>, symbols };
}

function instrumentFor(symbol: string, config: ResolvedEngineConfig): Instrument {
  return equityInstrument(symbol, config.instruments[symbol] ?? {});
}

/**
 * The backtest driver: a k-way merge of the series by (time, symbol rank), one engine step per
 * time; `afterStep` (e.g. a live driver's journal) runs after each. Also replays a paper run's warm-up.
 */
export function replay(engine: Engine, series: readonly BarSeries[], afterStep?: () => void): void {
  const views = engine.views;
  if (series.length === 1 && afterStep === undefined) {
    engine.stepBars(0, series[0]!.length);
    return;
  }
  const at = new StepTime();
  const cursor = new Int32Array(series.length);
  for (;;) {
    let next = Number.POSITIVE_INFINITY;
    for (let s = 0; s < series.length; s++) {
      const c = cursor[s]!;
      if (c < series[s]!.length) next = Math.min(next, series[s]!.timeMs[c]!);
    }
    if (next === Number.POSITIVE_INFINITY) return;
    for (let s = 0; s < series.length; s++) {
      const c = cursor[s]!;
      const view = views[s]!;
      if (c < series[s]!.length && series[s]!.timeMs[c] === next) {
        view.index = c;
        view.updated = true;
        cursor[s] = c + 1;
      } else view.updated = false;
    }
    at.timeMs = next;
    engine.stepAt(at);
    afterStep?.();
  }
}

/** Collects an engine's output into a frozen {@link BacktestResult}. Also used by live drivers. */
export function finishRun(
  engine: Engine,
  strategy: string,
  params: Readonly<Record<string, number | boolean | string>>,
  symbols: readonly string[],
): BacktestResult {
  const portfolio = engine.portfolio;
  const log = portfolio.tradeLog;
  const open = portfolio.openTrades();
  // Closed trades stay columns: statistics and the digest read them through one reused view.
  // Objects are built only if someone reads `result.trades`.
  const each = (): Iterable<Trade> => chain(log.views(), open);
  const extras = { tradedValue: portfolio.tradedValue, riskFreeRate: engine.config.riskFreeRate };
  const netSummary = engine.netCurve.finalSummary();
  const metrics = metricsFromSummary(netSummary, {
    ...extras,
    trades: each(),
    feesPaid: portfolio.feesPaid,
    slippagePaid: portfolio.slippagePaid,
  });
  const grossMetrics =
    engine.grossCurve === undefined
      ? metrics
      : metricsFromSummary(engine.grossCurve.finalSummary(), {
          ...extras,
          trades: grossViews(each()),
          feesPaid: 0,
          slippagePaid: 0,
        });
  let runSeries: RunSeries | undefined;
  if (engine.recorder !== undefined) {
    const { equity, exposure, costs } = engine.recorder.view();
    let grossEquity = equity;
    if (costs !== undefined) {
      // Gross of costs: equity with cumulative fees and slippage added back.
      grossEquity = new Float64Array(equity.length);
      for (let i = 0; i < equity.length; i++) grossEquity[i] = equity[i]! + costs[i]!;
    }
    runSeries = Object.freeze({ timeMs: engine.stepTimes(), equity, grossEquity, exposure });
  }
  const result = {
    strategy,
    params,
    config: engine.config,
    symbols: Object.freeze([...symbols]),
    metrics,
    grossMetrics,
    events: Object.freeze([...engine.events]),
    series: runSeries,
    dailyEquity: netSummary.dayEndEquity,
    regimes: engine.gate?.report(),
    digest: engine.digest.finish(each()),
  };
  let trades: readonly Trade[] | undefined;
  Object.defineProperty(result, 'trades', {
    enumerable: true,
    get: (): readonly Trade[] => (trades ??= Object.freeze([...log.toArray(), ...open])),
  });
  return Object.freeze(result) as BacktestResult;
}

/** `first`'s items, then `second`'s (a plain iterator: generators cost ~100 ns per item). */
function chain<T>(first: Iterable<T>, second: Iterable<T>): Iterable<T> {
  return {
    [Symbol.iterator](): Iterator<T> {
      let current = first[Symbol.iterator]();
      let onSecond = false;
      return {
        next(): IteratorResult<T> {
          let r = current.next();
          if (r.done === true && !onSecond) {
            onSecond = true;
            current = second[Symbol.iterator]();
            r = current.next();
          }
          return r;
        },
      };
    },
  };
}

/** The trades as if they had cost nothing, through one reused view (for gross statistics). */
function grossViews(trades: Iterable<Trade>): Iterable<Trade> {
  let current: Trade | undefined;
  const view: Trade = {
    get instrumentId() { return current!.instrumentId; },
    get side() { return current!.side; },
    get qty() { return current!.qty; },
    get entryTimeMs() { return current!.entryTimeMs; },
    get exitTimeMs() { return current!.exitTimeMs; },
    get entryPrice() { return current!.entryPrice; },
    get exitPrice() { return current!.exitPrice; },
    get pnl() { return current!.grossPnl; },
    get grossPnl() { return current!.grossPnl; },
    fees: 0,
    slippageCost: 0,
    get entryStep() { return current!.entryStep; },
    get exitStep() { return current!.exitStep; },
    get entryTag() { return current!.entryTag; },
    get exitTag() { return current!.exitTag; },
    get open() { return current!.open; },
  };
  return {
    [Symbol.iterator](): Iterator<Trade> {
      const inner = trades[Symbol.iterator]();
      const result = { done: false, value: view };
      return {
        next(): IteratorResult<Trade> {
          const r = inner.next();
          if (r.done === true) return r;
          current = r.value;
          return result;
        },
      };
    },
  };
}

