import type { VegaLiteSpec } from '../page.js';
import { chartBase, COLORS, timeX } from './theme.js';

/** One plotted point of the equity chart (epoch ms, account currency); `b` absent without buy-and-hold. */
export interface EquityPoint {
  readonly t: number;
  /** Net equity. */
  readonly n: number;
  /** Gross equity (before costs). */
  readonly g: number;
  /** Buy-and-hold equity of the same data. */
  readonly b?: number;
}

const LABELS = { n: 'Strategy (net)', g: 'Strategy (gross)', b: 'Buy & hold' } as const;

/**
 * Equity curve chart: net and gross equity of the run and, when `withBuyAndHold`, buy-and-hold of
 * the same data, as lines over UTC time. y is `Equity (<currency>)`.
 */
export function equityChartSpec(points: readonly EquityPoint[], options: { currency?: string; withBuyAndHold?: boolean } = {}): VegaLiteSpec {
  const keys = options.withBuyAndHold === false ? (['n', 'g'] as const) : (['n', 'g', 'b'] as const);
  return {
    ...chartBase('Equity curve', 300),
    data: { values: points },
    transform: [
      { fold: [...keys], as: ['key', 'value'] },
      { calculate: `datum.key === 'n' ? '${LABELS.n}' : datum.key === 'g' ? '${LABELS.g}' : '${LABELS.b}'`, as: 'series' },
    ],
    mark: { type: 'line', strokeWidth: 1.2 },
    encoding: {
      x: timeX(),
      y: { field: 'value', type: 'quantitative', title: `Equity (${options.currency ?? 'USD'})`, scale: { zero: false }, axis: { format: ',.0f' } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: keys.map((k) => LABELS[k]), range: keys.map((k) => (k === 'n' ? COLORS.net : k === 'g' ? COLORS.gross : COLORS.buyHold)) },
        legend: { orient: 'top-left' },
      },
      tooltip: [
        { field: 't', type: 'temporal', title: 'Date', timeUnit: 'utcyearmonthdate' },
        { field: 'series', type: 'nominal', title: 'Series' },
        { field: 'value', type: 'quantitative', title: 'Equity', format: ',.2f' },
      ],
    },
  };
}
