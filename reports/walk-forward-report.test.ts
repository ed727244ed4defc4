import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperiment } from '../experiments/experiment-spec.js';
import { runWalkForward } from '../experiments/walk-forward.js';
import { writeWalkForwardDir } from '../experiments/walk-forward-output.js';
import { buildWalkForwardReport, MAX_EQUITY_POINTS, oosEquityPoints, readOosEquity } from './walk-forward-report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXPERIMENT = join(ROOT, 'experiments', 'sma-sp500-walk-forward.json');

let dir: string;
let html: string;
let doc: { windows: { index: number; chosen: { params: Record<string, number> } | null; efficiency: number | null }[]; outOfSample: { bars: number; finalEquity: number } };

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'replaylab-wf-report-')), 'wf');
  const experiment = parseExperiment(JSON.parse(readFileSync(EXPERIMENT, 'utf8')) as unknown, { file: EXPERIMENT });
  const result = await runWalkForward({ experiment, baseDir: join(ROOT, 'experiments'), workers: 1 });
  await writeWalkForwardDir(dir, result);
  doc = JSON.parse(readFileSync(join(dir, 'walk-forward.json'), 'utf8')) as typeof doc;
  html = await buildWalkForwardReport(dir);
}, 120_000);

describe('buildWalkForwardReport on a real walk-forward folder (sma-sp500, 18 windows)', () => {
  it('is a self-contained page under 3 MB with both charts', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(Buffer.byteLength(html)).toBeLessThan(3 * 1024 * 1024);
    expect(html).toContain('<div id="oos-equity-chart" class="chart">');
    expect(html).toContain('<div id="window-sharpe-chart" class="chart">');
    expect(html).toContain('"title":"Stitched out-of-sample equity"');
    expect(html).toContain('"title":"Sharpe ratio (annualized)"');
  });

  it('has one table row per window with dates, chosen params, IS vs OOS metrics and efficiency', () => {
    const rows = html.match(/<tr data-window="\d+">.*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(doc.windows.length);
    expect(doc.windows.length).toBe(18);
    const first = rows[0]!;
    expect(first).toContain('2000-01-03 … 2003-01-02');
    expect(first).toContain('2003-01-03 … 2004-01-02');
    const w1 = doc.windows[1]!;
    expect(rows[1]).toContain(`<td>${w1.chosen!.params['fast']}</td><td>${w1.chosen!.params['slow']}</td>`);
    expect(rows[1]).toContain(`>${w1.efficiency!.toFixed(2)}</td></tr>`);
    for (const h of ['IS Sharpe', 'OOS Sharpe', 'IS return %', 'OOS return %', 'WFE']) expect(html).toContain(`<th>${h}</th>`);
  });

  it('plots the stitched OOS equity downsampled to ≤ 2,000 points, keeping the extremes', async () => {
    const series = await readOosEquity(join(dir, 'oos-equity.arrow'));
    expect(series.equity.length).toBe(doc.outOfSample.bars);
    const points = oosEquityPoints(series);
    expect(points.length).toBeLessThanOrEqual(MAX_EQUITY_POINTS);
    const few = oosEquityPoints(series, 200);
    expect(few.length).toBeLessThanOrEqual(200);
    const max = Math.max(...series.equity);
    const min = Math.min(...series.equity);
    expect(Math.max(...few.map((p) => p.e))).toBe(Number(max.toPrecision(6)));
    expect(Math.min(...few.map((p) => p.e))).toBe(Number(min.toPrecision(6)));
    expect(few[0]!.t).toBe(series.timeMs[0]);
    expect(few.at(-1)!.t).toBe(series.timeMs.at(-1));
    expect(html).toContain(`data-metric="oosFinalEquity" data-value="${doc.outOfSample.finalEquity}">${doc.outOfSample.finalEquity.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}<`);
  });
});
