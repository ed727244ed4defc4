import type { Filters, Ranking } from './experiment.js';
import type { GridRow, MetricName } from './results-columns.js';

/** A row that passed the filters, with its place. */
export interface RankedRow {
  /** 1-based place. */
  readonly rank: number;
  readonly row: GridRow;
  /** The ranking metric's value, or the composite score; null when undefined (ranked last). */
  readonly score: number | null;
}

/** Rows after filtering and ranking. */
export interface RankingResult {
  /** How many rows passed the quality filters. */
  readonly passed: number;
  /** Every passing row, best first. */
  readonly ranked: readonly RankedRow[];
}

/** A metric of a row, or null when missing, null or not finite. */
export function metricOf(row: GridRow, name: string): number | null {
  const value = (row.metrics as Readonly<Record<string, number | null | undefined>>)[name as MetricName];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * True when a row passes every set quality filter: closed trades ≥ `minTrades`, win rate ≥
 * `minWinRatePct`, total return ≥ `minReturnPct`, Sharpe ≥ `minSharpe`, max drawdown ≤
 * `maxDrawdownPct`. A filtered metric that is null fails.
 */
export function passesFilters(row: GridRow, filters: Filters): boolean {
  const atLeast = (name: string, bound: number | undefined): boolean => {
    if (bound === undefined) return true;
    const value = metricOf(row, name);
    return value !== null && value >= bound;
  };
  if (!atLeast('tradesClosed', filters.minTrades)) return false;
  if (!atLeast('winRatePct', filters.minWinRatePct)) return false;
  if (!atLeast('totalReturnPct', filters.minReturnPct)) return false;
  if (!atLeast('sharpe', filters.minSharpe)) return false;
  if (filters.maxDrawdownPct !== undefined) {
    const drawdown = metricOf(row, 'maxDrawdownPct');
    if (drawdown === null || drawdown > filters.maxDrawdownPct) return false;
  }
  return true;
}

/**
 * A row's score: the ranking metric, or Σ weight × metric for a composite score (null when any
 * weighted metric is null).
 */
export function scoreOf(row: GridRow, ranking: Ranking): number | null {
  if (ranking.kind === 'metric') return metricOf(row, ranking.metric);
  let sum = 0;
  for (const [name, weight] of Object.entries(ranking.weights)) {
    const value = metricOf(row, name);
    if (value === null) return null;
    sum += weight * value;
  }
  return sum;
}

/**
 * Filters rows, then ranks them: by the metric (descending or ascending) or by the composite
 * score (higher is better). Null scores rank last; ties (and nulls) go by cell index, so the
 * order never depends on the input order.
 */
export function rankRows(rows: readonly GridRow[], ranking: Ranking, filters: Filters): RankingResult {
  const ascending = ranking.kind === 'metric' && ranking.order === 'asc';
  const scored = rows.filter((row) => passesFilters(row, filters)).map((row) => ({ row, score: scoreOf(row, ranking) }));
  scored.sort((a, b) => {
    if (a.score !== b.score) {
      if (a.score === null) return 1;
      if (b.score === null) return -1;
      return ascending ? a.score - b.score : b.score - a.score;
    }
    return a.row.cell - b.row.cell;
  });
  return {
    passed: scored.length,
    ranked: scored.map((s, i) => Object.freeze({ rank: i + 1, row: s.row, score: s.score })),
  };
}
