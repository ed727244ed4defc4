import type { RegimeReport } from '../engine/entry-gate.js';
import type { RegimeRow } from '../engine/metrics/regime-metrics.js';
import type { Trade } from '../engine/trade.js';
import type { RunOutcome } from './run.js';

/** Version of the JSON shape below; bumped on any incompatible change. */
export const RUN_JSON_VERSION = 1;

/** One trade as printed by `backtest --json` and written to `trades.csv`. */
export interface TradeJson {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly qty: number;
  /** ISO 8601 UTC. */
  readonly entryTime: string;
  /** ISO 8601 UTC, null while open. */
  readonly exitTime: string | null;
  readonly entryPrice: number;
  /** Exit price, or the last close for an open trade. */
  readonly exitPrice: number;
  /** Net P&L (after fees and slippage), account currency; unrealized for open trades. */
  readonly pnl: number;
  readonly grossPnl: number;
  readonly fees: number;
  readonly slippage: number;
  readonly entryTag: string;
  readonly exitTag: string | null;
  readonly open: boolean;
  /** Money at risk at entry (entries with a protective stop), else null. */
  readonly initialRisk: number | null;
  /** pnl ÷ initialRisk, else null. */
  readonly rMultiple: number | null;
}

/** Converts a trade to its JSON form. */
export function tradeJson(t: Trade): TradeJson {
  return {
    symbol: t.instrumentId,
    side: t.side,
    qty: t.qty,
    entryTime: isoTime(t.entryTimeMs),
    exitTime: t.exitTimeMs === undefined ? null : isoTime(t.exitTimeMs),
    entryPrice: t.entryPrice,
    exitPrice: t.exitPrice,
    pnl: t.pnl,
    grossPnl: t.grossPnl,
    fees: t.fees,
    slippage: t.slippageCost,
    entryTag: t.entryTag,
    exitTag: t.exitTag ?? null,
    open: t.open,
    initialRisk: t.initialRisk ?? null,
    rMultiple: t.initialRisk !== undefined && t.initialRisk > 0 ? t.pnl / t.initialRisk : null,
  };
}

/** ISO 8601 UTC with milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The stable JSON document of a run (`backtest --json`, `metrics.json`): version, strategy,
 * params, resolved config, data files, net `metrics`, `grossMetrics`, `costDrag` (gross minus net
 * final equity and return), `rMultiples` (closed trades with a known entry risk: count, total
 * and mean R), `regimes` (with a `regimes` block: one row per regime label, named
 * `vol:low`, `trend:up` …), `trades[]`, and `digest`.
 */
export function runJson(outcome: RunOutcome, options: { trades?: boolean } = {}) {
  const { result } = outcome;
  const { metrics, grossMetrics } = result;
  return {
    version: RUN_JSON_VERSION,
    strategy: result.strategy,
    params: result.params,
    symbols: result.symbols,
    config: result.config,
    data: outcome.data.map((d) => ({
      file: d.file,
      symbol: d.bars.symbol,
      bars: d.bars.length,
      rowsInFile: d.rowsInFile,
      from: d.bars.length > 0 ? isoTime(d.bars.timeMs[0]!) : null,
      to: d.bars.length > 0 ? isoTime(d.bars.timeMs[d.bars.length - 1]!) : null,
      repairs: { dropped: d.repairs.dropped, moved: d.repairs.moved, actions: d.repairs.actions },
    })),
    metrics,
    grossMetrics,
    costDrag: {
      finalEquity: grossMetrics.finalEquity - metrics.finalEquity,
      totalReturnPct: grossMetrics.totalReturnPct - metrics.totalReturnPct,
      feesPaid: metrics.feesPaid,
      slippagePaid: metrics.slippagePaid,
    },
    rMultiples: rSummary(result.trades),
    ...(result.regimes === undefined ? {} : { regimes: regimeRows(result.regimes) }),
    ...(options.trades === false ? {} : { trades: result.trades.map(tradeJson) }),
    digest: result.digest,
  };
}

/** Per-regime rows of both dimensions in one list, each named `dimension:label`. */
export function regimeRows(report: RegimeReport): RegimeRow[] {
  return [
    ...report.vol.map((row) => ({ ...row, regime: `vol:${row.regime}` })),
    ...report.trend.map((row) => ({ ...row, regime: `trend:${row.regime}` })),
  ];
}

/** P&L in R over the closed trades whose entry had a protective stop: count, cumulative and mean R. */
export function rSummary(trades: readonly Trade[]): { readonly trades: number; readonly totalR: number; readonly averageR: number | null } {
  let n = 0;
  let total = 0;
  for (const t of trades) {
    if (t.open || t.initialRisk === undefined || !(t.initialRisk > 0)) continue;
    n++;
    total += t.pnl / t.initialRisk;
  }
  return { trades: n, totalR: total, averageR: n > 0 ? total / n : null };
}
