import type { VegaLiteSpec } from '../page.js';
import { chartBase, COLORS } from './theme.js';

/**
 * Histogram of closed trades' net returns (percent of entry notional), about 30 bins, with a rule
 * at 0. Returns are rounded to 0.01 % and counted before embedding (`{r, c}` rows), so a run with
 * 100,000 trades embeds a few thousand rows at most.
 */
export function tradeReturnsHistogramSpec(returnsPct: readonly number[]): VegaLiteSpec {
  return {
    ...chartBase('Distribution of trade returns', 220),
    data: { values: countByValue(returnsPct) },
    layer: [
      {
        mark: { type: 'bar', color: COLORS.trades },
        encoding: {
          x: { field: 'r', type: 'quantitative', bin: { maxbins: 30 }, title: 'Trade return (%)' },
          y: { field: 'c', aggregate: 'sum', type: 'quantitative', title: 'Trades (count)' },
        },
      },
      { mark: { type: 'rule', color: '#59636e', strokeDash: [4, 3] }, data: { values: [{ zero: 0 }] }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
    ],
  };
}

/** `{ r: return rounded to 0.01 %, c: how many trades }`, sorted by `r`. */
export function countByValue(returnsPct: readonly number[]): { r: number; c: number }[] {
  const counts = new Map<number, number>();
  for (const value of returnsPct) {
    const r = Math.round(value * 100) / 100;
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => a[0] - b[0]).map(([r, c]) => ({ r, c }));
}
