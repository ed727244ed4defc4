import { describe, expect, it } from 'vitest';
import type { VegaLiteSpec } from '../page.js';
import { expectCleanSpec } from '../test-support.js';
import { gridHeatmapSpec, type HeatmapCell } from './heatmap.js';
import { metricHistogramSpec } from './metric-histogram.js';
import { oosEquitySpec } from './oos-equity.js';
import { windowSharpeSpec } from './window-sharpe.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 2);

const expectClean = (spec: VegaLiteSpec): void => expectCleanSpec(spec, { titleObject: true });

type Layer = { encoding?: Record<string, Record<string, unknown>>; data?: { values: unknown[] }; mark: unknown };
const layers = (spec: VegaLiteSpec): Layer[] => spec['layer'] as Layer[];

/** A hand-made 3-param grid: a ∈ {1,2}, b ∈ {10,20}, c ∈ {0,1,2}; metric m = a + b/10 + c·k. */
function threeParamGrid() {
  const columns: Record<string, (number | null)[]> = { cell: [], a: [], b: [], c: [], m: [], dd: [] };
  let cell = 0;
  for (const a of [1, 2]) {
    for (const b of [10, 20]) {
      for (const c of [0, 1, 2]) {
        columns['cell']!.push(cell++);
        columns['a']!.push(a);
        columns['b']!.push(b);
        columns['c']!.push(c);
        // c=1 is best for (1,10); c=2 elsewhere; (2,20) has a null in c=2
        const bonus = a === 1 && b === 10 ? (c === 1 ? 5 : 0) : c;
        columns['m']!.push(a === 2 && b === 20 && c === 2 ? null : a + b / 10 + bonus);
        columns['dd']!.push(10 * a + b - c);
      }
    }
  }
  return columns;
}

describe('grid spec builders compile with vega-lite without warnings', () => {
  it('heatmap: ordinal x/y named after the params, colour = metric with its unit, one mark per pair', () => {
    const columns = threeParamGrid();
    const spec = gridHeatmapSpec({ columns, params: ['a', 'b', 'c'], x: 'a', y: 'b', metric: 'm', order: 'desc', metricTitle: 'M (units)' });
    expectClean(spec);
    const enc = spec['encoding'] as Record<string, Record<string, unknown>>;
    expect(enc['x']).toMatchObject({ field: 'x', type: 'ordinal', title: 'a' });
    expect(enc['y']).toMatchObject({ field: 'y', type: 'ordinal', title: 'b' });
    expect(layers(spec)[1]!.encoding!['color']).toMatchObject({ field: 'v', type: 'quantitative', title: 'M (units)' });
    expect((spec['title'] as { subtitle: string }).subtitle).toMatch(/best m \(max\) over c/);
  });

  it('heatmap aggregates the other params by the best value on a 3-param grid (max for desc, min for asc)', () => {
    const columns = threeParamGrid();
    const values = (spec: VegaLiteSpec) => (spec['data'] as { values: HeatmapCell[] }).values;
    const byPair = (cells: HeatmapCell[]) => Object.fromEntries(cells.map((d) => [`${d.x},${d.y}`, d]));
    const desc = byPair(values(gridHeatmapSpec({ columns, params: ['a', 'b', 'c'], x: 'a', y: 'b', metric: 'm', order: 'desc', metricTitle: 'M' })));
    expect(Object.keys(desc).sort()).toEqual(['1,10', '1,20', '2,10', '2,20']);
    expect(desc['1,10']).toEqual({ x: 1, y: 10, v: 7, n: 3, cell: 1 });
    expect(desc['1,20']).toEqual({ x: 1, y: 20, v: 5, n: 3, cell: 5 });
    expect(desc['2,10']).toEqual({ x: 2, y: 10, v: 5, n: 3, cell: 8 });
    expect(desc['2,20']).toEqual({ x: 2, y: 20, v: 5, n: 3, cell: 10 }); // null at c=2 skipped
    const asc = byPair(values(gridHeatmapSpec({ columns, params: ['a', 'b', 'c'], x: 'c', y: 'a', metric: 'dd', order: 'asc', metricTitle: 'DD' })));
    expect(Object.keys(asc)).toHaveLength(6);
    expect(asc['0,1']).toEqual({ x: 0, y: 1, v: 20, n: 2, cell: 0 });
    expect(asc['2,2']).toEqual({ x: 2, y: 2, v: 28, n: 2, cell: 8 });
    // two params: no aggregation, one pair per cell
    const two = values(gridHeatmapSpec({ columns: { cell: [0, 1], p: [1, 2], q: ['x', 'y'], m: [0.5, null] }, params: ['p', 'q'], x: 'p', y: 'q', metric: 'm', order: 'desc', metricTitle: 'M' }));
    expect(two).toEqual([{ x: 1, y: 'x', v: 0.5, n: 1, cell: 0 }, { x: 2, y: 'y', v: null, n: 1, cell: 1 }]);
  });

  it('metric histogram: binned metric on x with its unit, Cells (count) on y, a best-cell rule', () => {
    const spec = metricHistogramSpec([0.1, 0.2, null, 0.35, 0.5], { metric: 'sharpe', metricTitle: 'Sharpe ratio (annualized)', best: 0.5 });
    expectClean(spec);
    const [bars, rule] = layers(spec);
    expect(bars!.encoding!['x']).toMatchObject({ field: 'v', bin: { maxbins: 40 }, title: 'Sharpe ratio (annualized)' });
    expect(bars!.encoding!['y']).toMatchObject({ aggregate: 'count', title: 'Cells (count)' });
    expect(bars!.data!.values).toHaveLength(4);
    expect(rule!.data!.values).toEqual([{ v: 0.5, label: 'best cell' }]);
    expect(spec['title']).toBe('Distribution of sharpe over 4 cells');
  });

  it('window Sharpe: temporal UTC x at the test start, Sharpe ratio (annualized) y, IS and OOS series', () => {
    const spec = windowSharpeSpec([{ w: 0, t: T0, is: 0.5, oos: -0.2 }, { w: 1, t: T0 + 365 * DAY, is: 1.1, oos: null }]);
    expectClean(spec);
    const enc = layers(spec)[0]!.encoding!;
    expect(enc['x']).toMatchObject({ field: 't', type: 'temporal', scale: { type: 'utc' } });
    expect(enc['y']).toMatchObject({ field: 'value', title: 'Sharpe ratio (annualized)' });
    expect((enc['color']!['scale'] as { domain: string[] }).domain).toEqual(['In-sample (train)', 'Out-of-sample (test)']);
  });

  it('OOS equity: temporal UTC x, Equity (USD) y, a rule at each later window start', () => {
    const spec = oosEquitySpec([{ t: T0, e: 100_000, w: 0 }, { t: T0 + DAY, e: 101_000, w: 0 }, { t: T0 + 2 * DAY, e: 100_500, w: 1 }]);
    expectClean(spec);
    const [rules, line] = layers(spec);
    expect(rules!.data!.values).toEqual([{ t: T0 + 2 * DAY, w: 1 }]);
    expect(line!.encoding!['x']).toMatchObject({ field: 't', type: 'temporal', scale: { type: 'utc' } });
    expect(line!.encoding!['y']).toMatchObject({ field: 'e', title: 'Equity (USD)' });
    expect(oosEquitySpec([], { currency: 'EUR' })).toMatchObject({ layer: [{}, { encoding: { y: { title: 'Equity (EUR)' } } }] });
  });
});
