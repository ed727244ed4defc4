/**
 * replaylab — the library API. Everything the CLI does is available from code:
 *
 * ```ts
 * import { loadBars, runBacktest, smaCross } from 'replaylab';
 * const { bars } = await loadBars('data/samples/sp500-2000.csv');
 * const result = runBacktest({ data: bars, strategy: smaCross, params: { fast: 10, slow: 30 } });
 * console.log(result.metrics.finalEquity, result.digest);
 * ```
 */

// Data: bars, loading, writing, validation, synthetic data.
export { makeBarSeries, sliceBars, type BarSeries, type BarColumns } from './engine/bars.js';
export { loadBars, writeBars, fileDigest, type LoadOptions } from './data/load.js';
export { DataError } from './data/data-error.js';
export { synthBars, type SynthOptions } from './data/synth.js';
export { inspectBars, formatInspectReport } from './data/inspect.js';
export { writeArrowColumns } from './data/arrow.js';

// Defining strategies.
export { defineStrategy, type Strategy, type StrategyDefinition } from './engine/strategy.js';
export { resolveParams, type ParamSchema, type ParamSpec, type ParamsOf } from './engine/params.js';
export type { StrategyContext } from './engine/context.js';
export type { SymbolData } from './engine/symbol-data.js';
export type { OrderRequest, BracketRequest, OrderChanges } from './engine/order-request.js';
export type { Order, OrderSide, OrderType, TimeInForce, OrderStatus } from './engine/order.js';
export { RollingMean, RollingExtreme } from './engine/indicators.js';
export { fixedQuantity, equityFractionQuantity, fixedRiskQuantity, kellyFraction } from './engine/sizing.js';
export { RollingKelly } from './engine/kelly.js';
export { SlotOrders, type SlotIntent } from './engine/slot-orders.js';
export type { RegimeLabels } from './engine/context.js';

// Regimes and the risk manager.
export { RegimeClassifier, classifyAll, resolveRegimeOptions, type RegimeOptions, type ResolvedRegimeOptions } from './engine/regime.js';
export { resolveRegimes, type RegimesConfig, type ResolvedRegimes } from './engine/regime-config.js';
export { RegimeStats, type RegimeRow } from './engine/metrics/regime-metrics.js';
export type { RegimeReport } from './engine/entry-gate.js';
export { RiskManager, resolveRiskOptions, type RiskOptions, type ResolvedRiskConfig, type RiskAction, type RiskBar, type RiskSnapshot } from './engine/risk/index.js';
export { Rng } from './engine/rng.js';

// Running backtests and reading results.
export { runBacktest, finishRun, createEngine, type BacktestInput, type BacktestResult, type RunSeries, type EngineInput } from './engine/backtest.js';
export { Engine } from './engine/engine.js';
export { ReplayClock, type Clock } from './engine/clock.js';
export { resolveEngineConfig, type EngineOptions, type ResolvedEngineConfig } from './engine/engine-config.js';
export { ConfigError } from './engine/config-error.js';
export type { EngineEvent } from './engine/events.js';
export type { Trade } from './engine/trade.js';
export type { Fill } from './engine/fill.js';
export { equity, type Instrument } from './engine/instrument.js';
export { computeMetrics, metricsFromSummary, EquityAccumulator, dailyReturns, drawdownSeries, type Metrics, type MetricsInput } from './engine/metrics/index.js';
export { runDigest, DigestWriter } from './engine/digest.js';
export * from './engine/costs/index.js';

// Bundled strategies.
export { smaCross } from './strategies/sma-cross.js';
export { channelBreakout } from './strategies/channel-breakout.js';
export { signalFilter } from './strategies/signal-filter.js';
export { swingBreak, swingBreakWithGroups } from './strategies/swing-break.js';
export { STRATEGIES, findStrategy } from './strategies/index.js';

// Run specs (JSON), running them, and run folders.
export { parseRunSpec, type RunSpec, type DataSpec } from './experiments/run-spec.js';
export { runSpec, loadRunData, type RunOutcome, type LoadedData } from './experiments/run.js';
export { runJson, tradeJson, type TradeJson } from './experiments/run-json.js';
export { writeRunDir, RUN_FILES } from './experiments/run-store.js';

// Experiments: grids, walk-forward, ranking, overfitting statistics.
export { parseExperiment } from './experiments/experiment-spec.js';
export type { Experiment, Cell, Ranking, Filters, WalkForwardSpec, SweepSpec, ParamValue } from './experiments/experiment.js';
export { expandCells, cellParams, cellRunSpec, gridSize, cellCount } from './experiments/cells.js';
export { runGrid, type GridOptions, type GridOutcome } from './experiments/grid.js';
export { choosePerRegime, playbookStrategy, runPlaybook, type Playbook, type PlaybookChoice } from './experiments/playbook.js';
export { rankRows, passesFilters, scoreOf } from './experiments/ranking.js';
export { runWalkForward, type WalkForwardOptions, type WalkForwardResult } from './experiments/walk-forward.js';
export { walkForwardWindows, type WalkForwardWindow } from './experiments/walk-forward-windows.js';
export { walkForwardJson, writeWalkForwardDir } from './experiments/walk-forward-output.js';
export { deflatedSharpeRatio, probabilisticSharpeRatio, expectedMaxSharpe } from './experiments/overfitting/deflated-sharpe.js';
export { probabilityOfBacktestOverfitting } from './experiments/overfitting/probability-of-backtest-overfitting.js';
export { plateauCheck } from './experiments/overfitting/plateau-check.js';

// Reports: self-contained HTML pages.
export { renderPage, escapeHtml, type ReportPage, type ReportSection, type ReportChart } from './reports/page.js';
export { buildRunReport } from './reports/run-report.js';

// Paper trading: feeds, the live driver, paper configs.
export type { Feed, FeedEvents, FeedMessage, BarMessage } from './live/feed.js';
export { openReplayFeed, ReplayFeed } from './live/replay-feed.js';
export { drivePaper, type DriveOptions, type PaperOutcome } from './live/driver.js';
export { PaperSession } from './live/paper-session.js';
export { parsePaperConfig, runSpecPart, isPaperConfig, PAPER_KIND, PAPER_VERSION } from './live/paper-config.js';
