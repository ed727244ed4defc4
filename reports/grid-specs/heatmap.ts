import type { VegaLiteSpec } from '../page.js';

/** One column of the embedded grid table: a value per cell, in cell order. */
export type GridColumn = readonly (number | string | boolean | null)[];

/** What the heatmap shows: two swept params and a metric, over the grid's columns. */
export interface HeatmapInput {
  /** Columns by name: every swept param and metric, one value per cell. */
  readonly columns: Readonly<Record<string, GridColumn>>;
  /** Every swept param, in sweep order. */
  readonly params: readonly string[];
  readonly x: string;
  readonly y: string;
  readonly metric: string;
  /** `desc`: higher is better (the best of the other params is the max); `asc`: lower is better. */
  readonly order: 'asc' | 'desc';
  /** Metric title with its unit, e.g. `Sharpe ratio (annualized)`. */
  readonly metricTitle: string;
}

/** One plotted (x, y) pair of the heatmap. */
export interface HeatmapCell {
  readonly x: number | string;
  readonly y: number | string;
  /** Best metric value over the other params (null when every cell of the pair has none). */
  readonly v: number | null;
  /** Cells aggregated into this pair. */
  readonly n: number;
  /** Cell index of the best value (first in cell order on ties), or of the first cell when v is null. */
  readonly cell: number;
}

/**
 * Vega-Lite spec of the parameter heatmap: one rect per (x, y) pair present in the grid, coloured by
 * the metric. With more than two swept params the other params are aggregated by the best value
 * (max when `order` is desc, min when asc), said in the subtitle.
 *
 * Self-contained on purpose (no imports, no module-level references): the grid report inlines its
 * source into the page so the section script rebuilds the same spec when the selects change.
 */
export function gridHeatmapSpec(input: HeatmapInput): VegaLiteSpec {
  const { columns, params, x, y, metric, order, metricTitle } = input;
  const xs = columns[x] ?? [];
  const ys = columns[y] ?? [];
  const vs = columns[metric] ?? [];
  const cellIds = columns['cell'] ?? [];
  const others = params.filter((p) => p !== x && p !== y);
  const key = (v: unknown): number | string => (typeof v === 'number' ? v : String(v));
  const better = (a: number, b: number): boolean => (order === 'asc' ? a < b : a > b);
  const groups = new Map<string, { x: number | string; y: number | string; v: number | null; n: number; cell: number }>();
  for (let i = 0; i < xs.length; i++) {
    const xv = key(xs[i]);
    const yv = key(ys[i]);
    const raw = vs[i];
    const v = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
    const cell = typeof cellIds[i] === 'number' ? (cellIds[i] as number) : i;
    const id = JSON.stringify([xv, yv]);
    const g = groups.get(id);
    if (g === undefined) groups.set(id, { x: xv, y: yv, v, n: 1, cell });
    else {
      g.n++;
      if (v !== null && (g.v === null || better(v, g.v))) {
        g.v = v;
        g.cell = cell;
      }
    }
  }
  const values: HeatmapCell[] = [...groups.values()];
  const numeric = (field: string): boolean => values.every((d) => typeof (d as unknown as Record<string, unknown>)[field] === 'number');
  const how = order === 'asc' ? 'min' : 'max';
  const subtitle = others.length === 0
    ? `${values.length} (${x}, ${y}) pairs`
    : `Each square: the best ${metric} (${how}) over ${others.join(', ')} — ${values.length} pairs`;
  const tooltip = [
    { field: 'x', type: numeric('x') ? 'quantitative' : 'nominal', title: x },
    { field: 'y', type: numeric('y') ? 'quantitative' : 'nominal', title: y },
    { field: 'v', type: 'quantitative', title: metricTitle, format: ',.4~f' },
    { field: 'cell', type: 'quantitative', title: others.length === 0 ? 'cell' : 'best cell' },
    { field: 'n', type: 'quantitative', title: 'cells' },
  ];
  const axisX = { field: 'x', type: 'ordinal', title: x, sort: 'ascending', axis: { labelAngle: 0 } };
  const axisY = { field: 'y', type: 'ordinal', title: y, sort: 'descending' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${metricTitle} by ${x} × ${y}`, subtitle },
    width: 'container',
    height: Math.min(520, Math.max(200, 22 * new Set(values.map((d) => d.y)).size)),
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    encoding: { x: axisX, y: axisY },
    layer: [
      // every pair gets a square, also when its metric is undefined (grey)
      { mark: { type: 'rect', color: '#d1d9e0' }, encoding: { tooltip } },
      {
        transform: [{ filter: 'isValid(datum.v) && isFinite(datum.v)' }],
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'v',
            type: 'quantitative',
            title: metricTitle,
            scale: { scheme: 'viridis', reverse: order === 'asc' },
            legend: { orient: 'right', format: ',.3~f' },
          },
          tooltip,
        },
      },
    ],
  };
}
