import { describe, expect, it } from 'vitest';
import type { VegaLiteSpec } from '../page.js';
import { expectCleanSpec } from '../test-support.js';
import { drawdownChartSpec, drawdownPct } from './drawdown-chart.js';
import { equityChartSpec } from './equity-chart.js';
import { exposureChartSpec } from './exposure-chart.js';
import { monthlyReturnsHeatmapSpec } from './monthly-returns-heatmap.js';
import { countByValue, tradeReturnsHistogramSpec } from './trade-returns-histogram.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 2);

const expectClean = (spec: VegaLiteSpec): void => expectCleanSpec(spec);

type Encoding = Record<string, Record<string, unknown>>;
const encodingOf = (spec: VegaLiteSpec): Encoding => spec['encoding'] as Encoding;

describe('spec builders compile with vega-lite without warnings', () => {
  it('equity chart: temporal UTC x, Equity (USD) y, three series with fixed colours', () => {
    const spec = equityChartSpec([
      { t: T0, n: 100_000, g: 100_000, b: 100_000 },
      { t: T0 + DAY, n: 101_000, g: 101_500, b: 99_000 },
    ]);
    expectClean(spec);
    const enc = encodingOf(spec);
    expect(enc['x']).toMatchObject({ field: 't', type: 'temporal', scale: { type: 'utc' } });
    expect(enc['y']).toMatchObject({ field: 'value', type: 'quantitative', title: 'Equity (USD)' });
    expect((enc['color']!['scale'] as { domain: string[] }).domain).toEqual(['Strategy (net)', 'Strategy (gross)', 'Buy & hold']);
    const without = equityChartSpec([{ t: T0, n: 1, g: 1 }], { withBuyAndHold: false, currency: 'EUR' });
    expectClean(without);
    expect(encodingOf(without)['y']!['title']).toBe('Equity (EUR)');
    expect((encodingOf(without)['color']!['scale'] as { domain: string[] }).domain).toHaveLength(2);
  });

  it('drawdown chart: Drawdown (%) y over temporal x', () => {
    const spec = drawdownChartSpec([{ t: T0, dd: 0 }, { t: T0 + DAY, dd: -5.5 }]);
    expectClean(spec);
    expect(encodingOf(spec)['x']).toMatchObject({ type: 'temporal' });
    expect(encodingOf(spec)['y']).toMatchObject({ field: 'dd', title: 'Drawdown (%)' });
  });

  it('drawdownPct measures from the running peak, the start capital included', () => {
    expect([...drawdownPct([100, 110, 99, 120], 100)].map((v) => Math.round(v * 100) / 100)).toEqual([0, 0, -10, 0]);
    expect(drawdownPct([90], 100)[0]).toBeCloseTo(-10, 10);
  });

  it('exposure chart: Exposure (% of equity) y over temporal x', () => {
    const spec = exposureChartSpec([{ t: T0, x: 0 }, { t: T0 + DAY, x: 99.5 }]);
    expectClean(spec);
    expect(encodingOf(spec)['x']).toMatchObject({ type: 'temporal' });
    expect(encodingOf(spec)['y']).toMatchObject({ field: 'x', title: 'Exposure (% of equity)' });
  });

  it('monthly heatmap: year × month, colour diverging at 0 and symmetric', () => {
    const spec = monthlyReturnsHeatmapSpec([
      { year: 2020, month: 1, returnPct: 2 },
      { year: 2020, month: 2, returnPct: -8 },
      { year: 2021, month: 1, returnPct: 1 },
    ]);
    expectClean(spec);
    const enc = encodingOf(spec);
    expect(enc['x']).toMatchObject({ field: 'month', type: 'ordinal', title: 'Month' });
    expect(enc['y']).toMatchObject({ field: 'year', type: 'ordinal', title: 'Year' });
    const rect = (spec['layer'] as { encoding: Encoding }[])[0]!.encoding['color']!;
    expect(rect).toMatchObject({ field: 'r', title: 'Return (%)', scale: { domainMid: 0, domain: [-8, 8] } });
  });

  it('trade returns histogram: binned Trade return (%) x, count y', () => {
    const spec = tradeReturnsHistogramSpec([-3, -1, 0.5, 2, 4.25]);
    expectClean(spec);
    const bars = (spec['layer'] as { encoding: Encoding }[])[0]!.encoding;
    expect(bars['x']).toMatchObject({ field: 'r', bin: { maxbins: 30 }, title: 'Trade return (%)' });
    expect(bars['y']).toMatchObject({ field: 'c', aggregate: 'sum', title: 'Trades (count)' });
    expect(countByValue([1.004, 0.996, -2, 1])).toEqual([{ r: -2, c: 1 }, { r: 1, c: 3 }]);
  });
});
