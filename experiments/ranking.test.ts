import { describe, expect, it } from 'vitest';
import { metricOf, passesFilters, rankRows, scoreOf } from './ranking.js';
import { METRIC_COLUMNS, type GridRow, type MetricName } from './results-columns.js';

/** A row with every metric 0 except the ones given. */
function row(cell: number, metrics: Partial<Record<MetricName, number | null>>): GridRow {
  const base = Object.fromEntries(METRIC_COLUMNS.map((name) => [name, 0])) as Record<MetricName, number | null>;
  return { cell, params: { fast: cell }, metrics: { ...base, ...metrics }, digest: `d${cell}` };
}

const rows = [
  row(0, { sharpe: 0.5, totalReturnPct: 40, winRatePct: 50, tradesClosed: 10, maxDrawdownPct: 20 }),
  row(1, { sharpe: 0.9, totalReturnPct: 10, winRatePct: 60, tradesClosed: 3, maxDrawdownPct: 10 }),
  row(2, { sharpe: 0.5, totalReturnPct: 80, winRatePct: 30, tradesClosed: 12, maxDrawdownPct: 45 }),
  row(3, { sharpe: null, totalReturnPct: -5, winRatePct: 45, tradesClosed: 8, maxDrawdownPct: 30 }),
  row(4, { sharpe: 1.2, totalReturnPct: 25, winRatePct: 55, tradesClosed: 20, maxDrawdownPct: 15 }),
];
const cells = (ranked: ReturnType<typeof rankRows>) => ranked.ranked.map((r) => r.row.cell);

describe('ranking', () => {
  it('by a metric, descending: ties by cell index, nulls last', () => {
    const result = rankRows(rows, { kind: 'metric', metric: 'sharpe', order: 'desc' }, {});
    expect(cells(result)).toEqual([4, 1, 0, 2, 3]);
    expect(result.ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(result.ranked[0]!.score).toBe(1.2);
    expect(result.ranked[4]!.score).toBeNull();
    expect(result.passed).toBe(5);
  });

  it('by a metric, ascending: nulls still last, ties still by cell', () => {
    expect(cells(rankRows(rows, { kind: 'metric', metric: 'sharpe', order: 'asc' }, {}))).toEqual([0, 2, 1, 4, 3]);
    expect(cells(rankRows(rows, { kind: 'metric', metric: 'maxDrawdownPct', order: 'asc' }, {}))).toEqual([1, 4, 0, 3, 2]);
  });

  it('by a composite score Σ weight × metric (ROI × 0.25 + Sharpe × 8 + WinRate × 0.6)', () => {
    const ranking = { kind: 'score', weights: { totalReturnPct: 0.25, sharpe: 8, winRatePct: 0.6 } } as const;
    expect(scoreOf(rows[0]!, ranking)).toBeCloseTo(40 * 0.25 + 0.5 * 8 + 50 * 0.6, 12);
    expect(scoreOf(rows[3]!, ranking)).toBeNull();
    const result = rankRows(rows, ranking, {});
    // 0: 44, 1: 45.7, 2: 42, 4: 48.85, 3: null
    expect(cells(result)).toEqual([4, 1, 0, 2, 3]);
    expect(result.ranked[0]!.score).toBeCloseTo(48.85, 12);
  });

  it('quality filters run before ranking; a null filtered metric fails', () => {
    const filters = { minTrades: 5, minWinRatePct: 40, minReturnPct: 0, maxDrawdownPct: 35 };
    const result = rankRows(rows, { kind: 'metric', metric: 'sharpe', order: 'desc' }, filters);
    expect(cells(result)).toEqual([4, 0]);
    expect(result.passed).toBe(2);
    expect(passesFilters(rows[3]!, { minSharpe: -10 })).toBe(false);
    expect(passesFilters(rows[1]!, { minSharpe: 0.9 })).toBe(true);
    expect(passesFilters(rows[2]!, { maxDrawdownPct: 45 })).toBe(true);
    expect(passesFilters(rows[2]!, { maxDrawdownPct: 44.9 })).toBe(false);
  });

  it('does not depend on the input order', () => {
    const ranking = { kind: 'metric', metric: 'sharpe', order: 'desc' } as const;
    expect(cells(rankRows([...rows].reverse(), ranking, {}))).toEqual(cells(rankRows(rows, ranking, {})));
  });

  it('treats unknown and non-finite metrics as null', () => {
    expect(metricOf(rows[0]!, 'avgWinPct')).toBeNull();
    expect(metricOf(row(9, { sqn: Number.NaN }), 'sqn')).toBeNull();
    expect(rankRows([], { kind: 'metric', metric: 'sharpe', order: 'desc' }, {})).toEqual({ passed: 0, ranked: [] });
  });
});
