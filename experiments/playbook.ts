import type { BarSeries } from '../engine/bars.js';
import { runBacktest, type BacktestResult } from '../engine/backtest.js';
import type { StrategyContext } from '../engine/context.js';
import { resolveEngineConfig } from '../engine/engine-config.js';
import type { RegimeRow } from '../engine/metrics/regime-metrics.js';
import type { ParamSchema } from '../engine/params.js';
import { defineStrategy, type Strategy, type StrategyDefinition } from '../engine/strategy.js';
import { UNKNOWN_REGIME } from '../engine/regime.js';
import type { Experiment, ParamValue } from './experiment.js';
import type { GridRow } from './results-columns.js';

/**
 * The regime playbook of a grid: for each volatility regime, the cell that did best in that
 * regime's bars (after the experiment's quality filters, mapped to per-regime figures), and one
 * run that switches to each regime's cell when the regime changes, side by side with the best
 * single cell of the whole grid.
 *
 * Per-regime figures come from each cell's run over the whole data (`RegimeRow`: bars, trades by
 * entry regime, return and Sharpe of the regime's bars, drawdown of those bars chained). Filters and
 * ranking map onto them: `minTrades` → trades, `minWinRatePct` → winRatePct, `minReturnPct` →
 * returnPct, `minSharpe` → sharpe, `maxDrawdownPct` → maxDrawdownPct; ranking metrics
 * totalReturnPct/cagrPct/finalEquity → returnPct, sharpe/sortino/calmar → sharpe, winRatePct,
 * maxDrawdownPct, tradesClosed → trades. A ranking that names anything else ranks by Sharpe, and
 * the playbook says so.
 */

/** One regime's choice. */
export interface PlaybookChoice {
  readonly regime: string;
  /** Cells whose figures in this regime passed the filters. */
  readonly passed: number;
  readonly cell: number | null;
  readonly params: Readonly<Record<string, ParamValue>> | null;
  /** The chosen cell's figures in this regime. */
  readonly inRegime: RegimeRow | null;
}

/** Headline figures of a whole run. */
export interface RunFigures {
  readonly name: string;
  readonly finalEquity: number;
  readonly totalReturnPct: number;
  readonly sharpe: number | null;
  readonly maxDrawdownPct: number;
  readonly tradesClosed: number;
}

export interface Playbook {
  readonly dimension: 'vol';
  /** How cells were ranked inside each regime. */
  readonly ranking: string;
  readonly choices: readonly PlaybookChoice[];
  /** The switching run and the best single unfiltered cell. */
  readonly comparison: readonly RunFigures[];
  /** The switching run's digest (same definition as `backtest`). */
  readonly digest: string;
}

const METRIC_IN_REGIME: Readonly<Record<string, keyof RegimeRow>> = {
  totalReturnPct: 'returnPct', cagrPct: 'returnPct', finalEquity: 'returnPct',
  sharpe: 'sharpe', sortino: 'sharpe', calmar: 'sharpe',
  winRatePct: 'winRatePct', maxDrawdownPct: 'maxDrawdownPct', tradesClosed: 'trades',
};

/** Picks the best cell per vol regime (labels in first-seen order, `unknown` left out). */
export function choosePerRegime(
  experiment: Experiment,
  rows: readonly GridRow[],
  regimeRows: ReadonlyMap<number, readonly RegimeRow[]>,
): { readonly ranking: string; readonly choices: PlaybookChoice[] } {
  const labels: string[] = [];
  for (const list of regimeRows.values()) {
    for (const r of list) if (r.regime.startsWith('vol:') && !labels.includes(r.regime.slice(4)) && r.regime !== `vol:${UNKNOWN_REGIME}`) labels.push(r.regime.slice(4));
  }
  const { score, description } = regimeScore(experiment);
  const choices = labels.map((label): PlaybookChoice => {
    const candidates: { row: GridRow; figures: RegimeRow; score: number }[] = [];
    for (const row of rows) {
      const figures = regimeRows.get(row.cell)?.find((r) => r.regime === `vol:${label}`);
      if (figures === undefined || !passes(figures, experiment)) continue;
      const s = score(figures);
      if (s !== null) candidates.push({ row, figures, score: s });
    }
    candidates.sort((a, b) => b.score - a.score || a.row.cell - b.row.cell);
    const best = candidates[0];
    return {
      regime: label,
      passed: candidates.length,
      cell: best?.row.cell ?? null,
      params: best?.row.params ?? null,
      inRegime: best === undefined ? null : { ...best.figures, regime: label },
    };
  });
  return { ranking: description, choices };
}

function passes(r: RegimeRow, experiment: Experiment): boolean {
  const f = experiment.filters;
  if (f.minTrades !== undefined && r.trades < f.minTrades) return false;
  if (f.minWinRatePct !== undefined && r.winRatePct < f.minWinRatePct) return false;
  if (f.minReturnPct !== undefined && r.returnPct < f.minReturnPct) return false;
  if (f.minSharpe !== undefined && (r.sharpe === null || r.sharpe < f.minSharpe)) return false;
  if (f.maxDrawdownPct !== undefined && r.maxDrawdownPct > f.maxDrawdownPct) return false;
  return true;
}

/** Higher is better. */
function regimeScore(experiment: Experiment): { score: (r: RegimeRow) => number | null; description: string } {
  const value = (r: RegimeRow, key: keyof RegimeRow): number | null => {
    const v = r[key];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const ranking = experiment.ranking;
  const bySharpe = { score: (r: RegimeRow) => value(r, 'sharpe'), description: 'sharpe in the regime' };
  if (ranking.kind === 'metric') {
    const key = METRIC_IN_REGIME[ranking.metric];
    if (key === undefined) return { ...bySharpe, description: `sharpe in the regime (the ranking metric ${ranking.metric} has no per-regime figure)` };
    const sign = ranking.order === 'asc' ? -1 : 1;
    return { score: (r) => { const v = value(r, key); return v === null ? null : sign * v; }, description: `${key} in the regime (${ranking.order})` };
  }
  const terms = Object.entries(ranking.weights).map(([name, weight]) => [METRIC_IN_REGIME[name], weight, name] as const);
  const unmapped = terms.filter(([key]) => key === undefined).map(([, , name]) => name);
  if (unmapped.length > 0) return { ...bySharpe, description: `sharpe in the regime (no per-regime figure for ${unmapped.join(', ')})` };
  return {
    score: (r) => {
      let sum = 0;
      for (const [key, weight] of terms) {
        const v = value(r, key!);
        if (v === null) return null;
        sum += weight * v;
      }
      return sum;
    },
    description: terms.map(([key, weight]) => `${key}×${weight}`).join(' + ') + ' in the regime',
  };
}

/**
 * A strategy that runs one instance of `base` per regime (with that regime's params) on every bar,
 * so each keeps its indicators warm, and lets only the instance of the current vol regime place
 * orders; the others' orders are dropped. When the regime changes, working orders are cancelled
 * and any position is closed (tag `regime-switch`); the new regime's instance takes over from its
 * next signal. In a regime without a chosen cell, nothing trades.
 */
export function playbookStrategy<S extends ParamSchema>(base: StrategyDefinition<S>, paramsByRegime: ReadonlyMap<string, Readonly<Record<string, ParamValue>>>): StrategyDefinition {
  const definition = base as unknown as StrategyDefinition;
  return defineStrategy({
    name: `${base.name} (regime playbook)`,
    description: `${base.name} with one parameter set per volatility regime`,
    params: {},
    create: () => new PlaybookRunner(definition, paramsByRegime),
  });
}

class PlaybookRunner implements Strategy {
  private readonly instances = new Map<string, Strategy>();
  private current: string | undefined;

  constructor(base: StrategyDefinition, paramsByRegime: ReadonlyMap<string, Readonly<Record<string, ParamValue>>>) {
    for (const [regime, params] of paramsByRegime) this.instances.set(regime, base.create(params as never));
  }

  init(ctx: StrategyContext): void {
    for (const instance of this.instances.values()) instance.init?.(muted(ctx));
  }

  onBar(ctx: StrategyContext): void {
    const regime = ctx.regime()?.vol ?? UNKNOWN_REGIME;
    if (this.current !== undefined && regime !== this.current) {
      ctx.cancelAll();
      if (ctx.position() !== 0) ctx.closePosition(undefined, 'regime-switch');
    }
    this.current = regime;
    for (const [label, instance] of this.instances) instance.onBar(label === regime ? ctx : muted(ctx));
  }

  onFill(ctx: StrategyContext, fill: Parameters<NonNullable<Strategy['onFill']>>[1]): void {
    this.instances.get(this.current ?? '')?.onFill?.(ctx, fill);
  }
}

/** `ctx` with every order method a no-op (ids −1): what an inactive instance sees. */
function muted(ctx: StrategyContext): StrategyContext {
  return new Proxy(ctx, {
    get(target, key, receiver) {
      switch (key) {
        case 'submit': case 'buy': case 'sell':
          return () => -1;
        case 'bracket':
          return () => ({ entryId: -1, takeProfitId: undefined, stopLossId: undefined });
        case 'oco':
          return (requests: readonly unknown[]) => requests.map(() => -1);
        case 'cancel': case 'modify': case 'cancelAll': case 'closePosition':
          return () => undefined;
        default: {
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        }
      }
    },
  });
}

/** Runs the playbook over the grid's data; its figures and digest. */
export function runPlaybook(
  experiment: Experiment,
  base: StrategyDefinition,
  bars: readonly BarSeries[],
  choices: readonly PlaybookChoice[],
): { readonly figures: RunFigures; readonly digest: string; readonly result: BacktestResult } {
  const paramsByRegime = new Map<string, Readonly<Record<string, ParamValue>>>();
  for (const c of choices) if (c.params !== null) paramsByRegime.set(c.regime, { ...experiment.fixedParams, ...c.params });
  // Classification as configured, without allow-lists: the playbook itself decides who trades.
  const classifier = resolveEngineConfig(experiment.options).regimes?.classifier;
  const result = runBacktest({
    data: bars,
    strategy: playbookStrategy(base, paramsByRegime),
    options: { ...experiment.options, regimes: classifier === undefined ? {} : { vol: classifier.vol, trend: classifier.trend, sessionOffsetMs: classifier.sessionOffsetMs } },
    keepSeries: false,
    // Its trade log and events (regime changes, regime-switch exits) are written beside playbook.json.
    keepEvents: true,
  });
  const m = result.metrics;
  return {
    figures: { name: 'regime playbook', finalEquity: m.finalEquity, totalReturnPct: m.totalReturnPct, sharpe: m.sharpe, maxDrawdownPct: m.maxDrawdownPct, tradesClosed: m.tradesClosed },
    digest: result.digest,
    result,
  };
}
