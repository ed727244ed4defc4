import type { Metrics } from '../engine/metrics/index.js';
import type { ParamSchema } from '../engine/params.js';
import type { ParamValue } from './experiment.js';

/** The metric columns of a results row, named and ordered as in `backtest --json`'s `metrics`. */
export const METRIC_COLUMNS = [
  'finalEquity', 'totalReturnPct', 'cagrPct', 'volatilityPct', 'sharpe', 'sortino', 'maxDrawdownPct',
  'maxDrawdownDurationBars', 'maxDrawdownDurationDays', 'calmar', 'tradesClosed', 'tradesOpen', 'winRatePct',
  'profitFactor', 'expectancy', 'avgWin', 'avgLoss', 'bestTrade', 'worstTrade', 'sqn', 'exposurePct', 'turnover',
  'feesPaid', 'slippagePaid',
] as const satisfies readonly (keyof Metrics)[];

/** One metric column name. */
export type MetricName = (typeof METRIC_COLUMNS)[number];

/** A cell's metrics as stored: numbers, or null where the metric is unbounded/undefined. */
export type RowMetrics = Readonly<Record<MetricName, number | null>>;

/** One row of `results.csv` / `results.arrow`: a finished cell. */
export interface GridRow {
  /** The cell's index in the experiment's cell order. */
  readonly cell: number;
  /** The swept params, in sweep order. */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly metrics: RowMetrics;
  /** The run digest (same as `replaylab backtest` of this cell alone). */
  readonly digest: string;
}

/** How a swept param is stored: Float64, Bool or Utf8 (from the strategy's param schema). */
export type ParamKind = 'number' | 'boolean' | 'string';

/** A results table layout: the swept params (name and kind) between `cell` and the metrics. */
export interface ResultsLayout {
  readonly params: readonly { readonly name: string; readonly kind: ParamKind }[];
}

/** The layout for a strategy's schema and the swept param names (in sweep order). */
export function resultsLayout(schema: ParamSchema, swept: readonly string[]): ResultsLayout {
  return Object.freeze({
    params: swept.map((name) => {
      const type = schema[name]?.type;
      const kind: ParamKind = type === 'boolean' ? 'boolean' : type === 'enum' || type === 'string' ? 'string' : 'number';
      return Object.freeze({ name, kind });
    }),
  });
}

/** Column names of a results table: `cell`, the params, the metrics, `digest`. */
export function resultsHeader(layout: ResultsLayout): string[] {
  return ['cell', ...layout.params.map((p) => p.name), ...METRIC_COLUMNS, 'digest'];
}

/** The stored metrics of a run: the {@link METRIC_COLUMNS}, non-finite values as null. */
export function rowMetrics(metrics: Metrics): RowMetrics {
  const out = {} as Record<MetricName, number | null>;
  for (const name of METRIC_COLUMNS) {
    const value = metrics[name];
    out[name] = typeof value === 'number' && Number.isFinite(value) ? value : null;
  }
  return Object.freeze(out);
}
