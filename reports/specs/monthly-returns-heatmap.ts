import type { VegaLiteSpec } from '../page.js';
import type { PeriodReturn } from '../period-returns.js';
import { chartBase } from './theme.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Year × month heatmap of monthly returns (percent), coloured on a red–blue scale diverging at 0
 * and symmetric around it, with each cell's value written in it.
 */
export function monthlyReturnsHeatmapSpec(months: readonly PeriodReturn[]): VegaLiteSpec {
  const values = months.map((m) => ({ year: m.year, month: MONTHS[(m.month ?? 1) - 1], r: Math.round(m.returnPct * 100) / 100 }));
  const extreme = Math.max(1, ...values.map((v) => Math.abs(v.r)).filter(Number.isFinite));
  const years = new Set(values.map((v) => v.year)).size;
  return {
    ...chartBase('Monthly returns', Math.max(60, years * 18)),
    data: { values },
    encoding: {
      x: { field: 'month', type: 'ordinal', title: 'Month', sort: MONTHS, axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'year', type: 'ordinal', title: 'Year' },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: { field: 'r', type: 'quantitative', title: 'Return (%)', scale: { scheme: 'redblue', domain: [-extreme, extreme], domainMid: 0 } },
          tooltip: [
            { field: 'year', type: 'ordinal', title: 'Year' },
            { field: 'month', type: 'ordinal', title: 'Month' },
            { field: 'r', type: 'quantitative', title: 'Return (%)', format: '.2f' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'r', type: 'quantitative', format: '.1f' },
          // White text on the darkest cells keeps the numbers readable.
          color: { condition: { test: `abs(datum.r) > ${extreme * 0.6}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}
