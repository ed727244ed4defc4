import type { VegaLiteSpec } from '../page.js';
import { chartBase, COLORS } from './theme.js';

/**
 * Histogram of closed trades' net returns (percent of entry notional), about 30 bins, with a rule
 * at 0.
 */
export function tradeReturnsHistogramSpec(returnsPct: readonly number[]): VegaLiteSpec {
  return {
    ...chartBase('Distribution of trade returns', 220),
    data: { values: returnsPct.map((r) => ({ r: Math.round(r * 100) / 100 })) },
    layer: [
      {
        mark: { type: 'bar', color: COLORS.trades },
        encoding: {
          x: { field: 'r', type: 'quantitative', bin: { maxbins: 30 }, title: 'Trade return (%)' },
          y: { aggregate: 'count', type: 'quantitative', title: 'Trades (count)' },
        },
      },
      { mark: { type: 'rule', color: '#59636e', strokeDash: [4, 3] }, data: { values: [{ zero: 0 }] }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
    ],
  };
}
