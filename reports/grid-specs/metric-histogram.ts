import type { VegaLiteSpec } from '../page.js';
import { chartBase } from '../specs/theme.js';
import { GRID_COLORS } from './colors.js';

/**
 * Histogram of a metric over every cell of the grid (values `{v}`), with a rule at the best cell's
 * value when given. x is the metric with its unit (`metricTitle`), y the number of cells.
 */
export function metricHistogramSpec(values: readonly (number | null)[], options: { metric: string; metricTitle: string; best?: number | null }): VegaLiteSpec {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const layers: Record<string, unknown>[] = [
    {
      data: { values: finite.map((v) => ({ v })) },
      mark: { type: 'bar', color: GRID_COLORS.distribution, opacity: 0.85 },
      encoding: {
        x: { field: 'v', type: 'quantitative', bin: { maxbins: 40 }, title: options.metricTitle },
        y: { aggregate: 'count', type: 'quantitative', title: 'Cells (count)' },
        tooltip: [
          { field: 'v', type: 'quantitative', bin: { maxbins: 40 }, title: options.metricTitle },
          { aggregate: 'count', type: 'quantitative', title: 'Cells' },
        ],
      },
    },
  ];
  if (typeof options.best === 'number' && Number.isFinite(options.best)) {
    layers.push({
      data: { values: [{ v: options.best, label: 'best cell' }] },
      mark: { type: 'rule', color: GRID_COLORS.best, strokeWidth: 2 },
      encoding: {
        x: { field: 'v', type: 'quantitative' },
        tooltip: [{ field: 'label', type: 'nominal', title: 'Marker' }, { field: 'v', type: 'quantitative', title: options.metricTitle, format: ',.4~f' }],
      },
    });
  }
  return { ...chartBase(`Distribution of ${options.metric} over ${finite.length} cells`, 240), layer: layers };
}
