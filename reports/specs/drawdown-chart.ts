import type { VegaLiteSpec } from '../page.js';
import { chartBase, COLORS, timeX } from './theme.js';

/** One point of the underwater curve: epoch ms and drawdown in percent (≤ 0). */
export interface DrawdownPoint {
  readonly t: number;
  readonly dd: number;
}

/** Underwater chart: drawdown from the running peak of net equity, percent, as an area below 0. */
export function drawdownChartSpec(points: readonly DrawdownPoint[]): VegaLiteSpec {
  return {
    ...chartBase('Drawdown (underwater)', 200),
    data: { values: points },
    mark: { type: 'area', color: COLORS.drawdown, opacity: 0.6, line: { color: COLORS.drawdown, strokeWidth: 1 } },
    encoding: {
      x: timeX(),
      y: { field: 'dd', type: 'quantitative', title: 'Drawdown (%)', scale: { domainMax: 0 } },
      tooltip: [
        { field: 't', type: 'temporal', title: 'Date', timeUnit: 'utcyearmonthdate' },
        { field: 'dd', type: 'quantitative', title: 'Drawdown (%)', format: '.2f' },
      ],
    },
  };
}

/** Drawdown in percent (≤ 0) of each equity value from its running peak (the start capital counts as a peak). */
export function drawdownPct(equity: ArrayLike<number>, startEquity: number): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = startEquity;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    out[i] = peak > 0 ? (e / peak - 1) * 100 : 0;
  }
  return out;
}
