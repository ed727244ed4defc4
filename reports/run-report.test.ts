import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunSpec } from '../experiments/run-spec.js';
import { runSpec } from '../experiments/run.js';
import { writeRunDir } from '../experiments/run-store.js';
import { formatMoney, formatNumber, formatPct } from './format.js';
import { buildRunReport } from './run-report.js';
import { extremeTrades } from './run-trades-section.js';
import { readRunFolder } from './run-data.js';

const SAMPLE = resolve(import.meta.dirname, '../data/samples/sp500-2000.csv');
let dir: string;
let html: string;
let metrics: Record<string, number>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'replaylab-run-report-'));
  const spec = parseRunSpec({ data: { file: SAMPLE, symbol: 'SPX' }, strategy: 'sma-cross', params: { fast: 10, slow: 30 }, costs: { commissionRate: 0.001 } });
  await writeRunDir(dir, await runSpec(spec, process.cwd(), { keepSeries: true, keepEvents: true }));
  metrics = (JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as { metrics: Record<string, number> }).metrics;
  html = await buildRunReport(dir);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The JSON given to `window.replaylab = { data: … }`. */
function pageData(page: string): { metrics: Record<string, number>; digest: string; buyAndHoldReturnPct: number | null } {
  const match = /window\.replaylab = \{ data: (.*), charts: /.exec(page);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!) as never;
}

describe('buildRunReport on the bundled S&P 500 demo run', () => {
  it('is a self-contained page under 3 MB', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(3 * 1024 * 1024);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link/i);
    // URLs may only appear inside the inlined vega bundles' strings, never in our own markup or data.
    const ours = html.replace(/<script>[\s\S]*?<\/script>/g, (s) => (s.includes('window.replaylab') ? s : ''));
    expect(ours).not.toMatch(/https?:\/\/(?!vega\.github\.io\/schema\/)/);
  });

  it('embeds the headline metrics as data and in the DOM', () => {
    const data = pageData(html);
    for (const name of ['finalEquity', 'totalReturnPct', 'sharpe', 'maxDrawdownPct', 'tradesClosed']) {
      expect(data.metrics[name]).toBe(metrics[name]);
      expect(html).toContain(`data-metric="${name}" data-value="${metrics[name]}"`);
    }
    expect(html).toContain(formatMoney(metrics['finalEquity']));
    expect(html).toContain(formatPct(metrics['totalReturnPct']));
    expect(html).toContain(formatNumber(metrics['sharpe']));
    expect(html).toContain(formatPct(metrics['maxDrawdownPct']));
    expect(data.digest).toMatch(/^[0-9a-f]{16,}$/);
    expect(html).toContain(data.digest);
  });

  it('shows gross and net side by side with the cost drag, and buy-and-hold', () => {
    expect(html).toContain('<th>Gross of costs</th><th>Net of costs</th><th>Cost drag</th>');
    const data = pageData(html);
    expect(data.buyAndHoldReturnPct).toBeGreaterThan(0);
    expect(html).toContain('"Buy & hold"');
    for (const id of ['chart-equity', 'chart-drawdown', 'chart-monthly', 'chart-trade-returns', 'chart-exposure']) expect(html).toContain(`<div id="${id}"`);
    expect(html).toContain('Yearly returns');
    expect(html).toMatch(/<tr><td>2008<\/td><td class="(pos|neg)?">-?\d+\.\d\d %<\/td>/);
  });

  it('embeds downsampled curves that keep the deepest drawdown', () => {
    const charts = JSON.parse(/, charts: (.*), rendered: 0/.exec(html)![1]!) as { id: string; spec: { data: { values: { dd: number }[] } } }[];
    const dd = charts.find((c) => c.id === 'chart-drawdown')!.spec.data.values;
    expect(dd.length).toBeLessThanOrEqual(2000);
    expect(Math.min(...dd.map((p) => p.dd))).toBeCloseTo(-metrics['maxDrawdownPct']!, 2);
  });

  it('lists the worst and best trades and highlights them', async () => {
    const { trades } = await readRunFolder(dir);
    const { worst, best } = extremeTrades(trades);
    expect(worst[0]!.pnl).toBeCloseTo(metrics['worstTrade']!, 6);
    expect(best[0]!.pnl).toBeCloseTo(metrics['bestTrade']!, 6);
    expect(html).toContain('<tr class="worst">');
    expect(html).toContain('<tr class="best">');
  });

  it('omits buy-and-hold with a note when the data file is gone', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'replaylab-run-report-nodata-'));
    try {
      for (const f of ['config.json', 'trades.csv', 'equity.arrow']) copyFileSync(join(dir, f), join(copy, f));
      const doc = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as { data: { file: string }[] };
      doc.data[0]!.file = join(copy, 'missing.csv');
      writeFileSync(join(copy, 'metrics.json'), JSON.stringify(doc));
      const page = await buildRunReport(copy);
      expect(page).toContain('Buy &amp; hold omitted');
      expect(page).not.toContain('"Buy & hold"');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
