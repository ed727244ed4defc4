import type { VegaLiteSpec } from '../page.js';
import { chartBase, timeX } from '../specs/theme.js';
import { GRID_COLORS } from './colors.js';

/** One plotted point of the stitched out-of-sample equity: epoch ms, equity, window index. */
export interface OosEquityPoint {
  readonly t: number;
  readonly e: number;
  readonly w: number;
}

/**
 * The stitched out-of-sample equity of a walk-forward (every test window, capital carried over) as
 * a line over UTC time, with dashed rules at each window's first plotted bar. y is
 * `Equity (<currency>)`.
 */
export function oosEquitySpec(points: readonly OosEquityPoint[], options: { currency?: string } = {}): VegaLiteSpec {
  const starts: { t: number; w: number }[] = [];
  let last: number | undefined;
  for (const p of points) {
    if (p.w !== last) starts.push({ t: p.t, w: p.w });
    last = p.w;
  }
  const y = `Equity (${options.currency ?? 'USD'})`;
  return {
    ...chartBase('Stitched out-of-sample equity', 300),
    layer: [
      {
        data: { values: starts.slice(1) },
        mark: { type: 'rule', color: '#afb8c1', strokeDash: [3, 3] },
        encoding: { x: timeX('t', 'Date (UTC)'), tooltip: [{ field: 'w', type: 'quantitative', title: 'Window starts' }] },
      },
      {
        data: { values: points },
        mark: { type: 'line', color: GRID_COLORS.outOfSample, strokeWidth: 1.2 },
        encoding: {
          x: timeX('t', 'Date (UTC)'),
          y: { field: 'e', type: 'quantitative', title: y, scale: { zero: false }, axis: { format: ',.0f' } },
          tooltip: [
            { field: 't', type: 'temporal', title: 'Date', timeUnit: 'utcyearmonthdate' },
            { field: 'w', type: 'quantitative', title: 'Window' },
            { field: 'e', type: 'quantitative', title: 'Equity', format: ',.2f' },
          ],
        },
      },
    ],
  };
}
