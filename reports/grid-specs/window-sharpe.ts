import type { VegaLiteSpec } from '../page.js';
import { chartBase, timeX } from '../specs/theme.js';
import { GRID_COLORS } from './colors.js';

/** One walk-forward window: its test start (epoch ms) and in-/out-of-sample Sharpe. */
export interface WindowSharpe {
  /** Window index. */
  readonly w: number;
  /** Test window start, epoch ms (UTC). */
  readonly t: number;
  readonly is: number | null;
  readonly oos: number | null;
}

const LABELS = { is: 'In-sample (train)', oos: 'Out-of-sample (test)' } as const;

/**
 * In-sample vs out-of-sample Sharpe per walk-forward window: two lines with points over the test
 * window start (UTC time), a zero rule. y is `Sharpe ratio (annualized)`.
 */
export function windowSharpeSpec(windows: readonly WindowSharpe[]): VegaLiteSpec {
  return {
    ...chartBase('In-sample vs out-of-sample Sharpe per window', 260),
    data: { values: windows },
    layer: [
      {
        transform: [
          { fold: ['is', 'oos'], as: ['key', 'value'] },
          { filter: 'isValid(datum.value)' },
          { calculate: `datum.key === 'is' ? '${LABELS.is}' : '${LABELS.oos}'`, as: 'series' },
        ],
        mark: { type: 'line', point: true, strokeWidth: 1.5 },
        encoding: {
          x: timeX('t', 'Test window start (UTC)'),
          y: { field: 'value', type: 'quantitative', title: 'Sharpe ratio (annualized)' },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: [LABELS.is, LABELS.oos], range: [GRID_COLORS.inSample, GRID_COLORS.outOfSample] },
            legend: { orient: 'bottom', direction: 'horizontal' },
          },
          tooltip: [
            { field: 'w', type: 'quantitative', title: 'Window' },
            { field: 't', type: 'temporal', title: 'Test start', timeUnit: 'utcyearmonthdate' },
            { field: 'series', type: 'nominal', title: 'Series' },
            { field: 'value', type: 'quantitative', title: 'Sharpe', format: '.3f' },
          ],
        },
      },
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#59636e', strokeDash: [4, 3] }, encoding: { y: { field: 'zero', type: 'quantitative' } } },
    ],
  };
}
