import type { VegaLiteSpec } from '../page.js';
import { chartBase, COLORS, timeX } from './theme.js';

/** One point of the exposure chart: epoch ms and gross position value in percent of equity. */
export interface ExposurePoint {
  readonly t: number;
  readonly x: number;
}

/** Exposure over time as a step area: gross position value / equity, percent. */
export function exposureChartSpec(points: readonly ExposurePoint[]): VegaLiteSpec {
  return {
    ...chartBase('Exposure over time', 160),
    data: { values: points },
    mark: { type: 'area', interpolate: 'step-after', color: COLORS.exposure, opacity: 0.5 },
    encoding: {
      x: timeX(),
      y: { field: 'x', type: 'quantitative', title: 'Exposure (% of equity)' },
      tooltip: [
        { field: 't', type: 'temporal', title: 'Date', timeUnit: 'utcyearmonthdate' },
        { field: 'x', type: 'quantitative', title: 'Exposure (%)', format: '.1f' },
      ],
    },
  };
}
