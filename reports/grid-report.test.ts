import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperiment } from '../experiments/experiment-spec.js';
import { runGrid } from '../experiments/grid.js';
import type { GridSummary } from '../experiments/grid-summary.js';
import { parseRunSpec } from '../experiments/run-spec.js';
import { buildGridReport, cellBacktestCommand, readResultsTable, sig6 } from './grid-report.js';
import { gridHeatmapSpec } from './grid-specs/heatmap.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXPERIMENT = join(ROOT, 'experiments', 'sma-sp500.json');

let dir: string;
let html: string;

beforeAll(async () => {
  // the grid runs its cells on the compiled worker in dist/
  if (!existsSync(join(ROOT, 'dist', 'experiments', 'grid-worker.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  dir = join(mkdtempSync(join(tmpdir(), 'replaylab-grid-report-')), 'grid');
  const json = JSON.parse(readFileSync(EXPERIMENT, 'utf8')) as unknown;
  const outcome = await runGrid({
    experiment: parseExperiment(json, { file: EXPERIMENT }), experimentFile: EXPERIMENT, baseDir: join(ROOT, 'experiments'),
    outDir: dir, workers: 1, resume: false, version: '0.0.0-test',
  });
  expect(outcome.status).toBe('complete');
  html = await buildGridReport(dir);
}, 120_000);

describe('buildGridReport on a real grid folder (sma-sp500, 90 cells)', () => {
  it('is a self-contained page under 3 MB with the heatmap selects and the heatmap container', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(Buffer.byteLength(html)).toBeLessThan(3 * 1024 * 1024);
    for (const id of ['heatmap-x', 'heatmap-y', 'heatmap-metric']) expect(html).toContain(`<select id="${id}">`);
    expect(html).toMatch(/<div id="heatmap" class="chart" data-heatmap-pair="fast×slow"/);
    expect(html).toContain("window.replaylab.embed('heatmap', spec)");
    expect(html).not.toMatch(/src="http|href="http/);
  });

  it('shows trials, DSR and PBO from summary.json with data-metric attributes and one-sentence explanations', () => {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as GridSummary;
    const shown = (metric: string) => html.match(new RegExp(`data-metric="${metric}"(?: data-value="[^"]*")?>([^<]*)<`))?.[1];
    const exact = (metric: string) => Number(html.match(new RegExp(`data-metric="${metric}" data-value="([^"]*)"`))?.[1]);
    expect(exact('trials')).toBe(summary.trials);
    expect(exact('dsr')).toBe(summary.overfitting.deflatedSharpe!.dsr);
    expect(exact('pbo')).toBe(summary.overfitting.pbo!.pbo);
    expect(shown('trials')).toBe(String(summary.trials));
    expect(shown('trials')).toBe('90');
    expect(shown('dsr')).toBe(summary.overfitting.deflatedSharpe!.dsr!.toFixed(3));
    expect(shown('pbo')).toBe(summary.overfitting.pbo!.pbo.toFixed(3));
    expect(html).toMatch(/<b>Deflated Sharpe Ratio<\/b>: the probability/);
    expect(html).toMatch(/<b>Probability of Backtest Overfitting<\/b>: the share/);
    expect(html).toContain('data-metric="plateau">plateau<');
  });

  it('has the leaderboard (top 10 by sharpe) and the exact backtest command of the best cell', () => {
    expect(html).toContain('Leaderboard (top 10)');
    expect((html.match(/<tr data-best="1">/g) ?? []).length).toBe(1);
    const command = html.match(/<pre id="best-cell-command"[^>]*><code>([^<]*)</)?.[1];
    expect(command).toBe(`replaylab backtest --strategy sma-cross --data ${join(ROOT, 'data', 'samples', 'sp500-2000.csv')} --symbol SPX --param fast=5 --param slow=180 --capital 100000 --out runs/sma-sp500-cell-8 --report`);
  });

  it('embeds the rows compactly: columns as arrays, 6 significant digits', () => {
    const json = html.match(/window\.replaylab = \{ data: (.*), charts: /)?.[1];
    const data = JSON.parse(json!) as { grid: { params: string[]; columns: Record<string, unknown[]>; order: Record<string, string>; rankMetric: string } };
    expect(data.grid.params).toEqual(['fast', 'slow']);
    expect(data.grid.rankMetric).toBe('sharpe');
    expect(data.grid.order['sharpe']).toBe('desc');
    expect(data.grid.order['maxDrawdownPct']).toBe('asc');
    expect(data.grid.columns['sharpe']).toHaveLength(90);
    for (const v of data.grid.columns['sharpe']!) expect(String(v).replace(/^-?0?\.?0*/, '').replace('.', '').length).toBeLessThanOrEqual(6);
    expect(json!.length).toBeLessThan(30_000);
  });

  it('inlines the heatmap builder so the page script builds the same spec as the TypeScript one', () => {
    const source = html.match(/var gridHeatmapSpec = (function gridHeatmapSpec[\s\S]*?);\n {2}var g = /)?.[1];
    expect(source).toBeDefined();
    expect(source).not.toMatch(/__name|require\(|import\(/);
    const inBrowser = new Function(`return (${source});`)() as typeof gridHeatmapSpec;
    const input = { columns: { cell: [0, 1, 2], a: [1, 1, 2], b: [3, 4, 3], m: [0.1, 0.2, 0.3] }, params: ['a', 'b'], x: 'a', y: 'b', metric: 'm', order: 'desc' as const, metricTitle: 'M' };
    expect(inBrowser(input)).toEqual(gridHeatmapSpec(input));
  });
});

describe('grid report helpers', () => {
  it('sig6 rounds to 6 significant digits', () => {
    expect(sig6(0.53250940257)).toBe(0.532509);
    expect(sig6(267663.07388)).toBe(267663);
    expect(sig6(Number.POSITIVE_INFINITY)).toBeNull();
    expect(sig6(null)).toBeNull();
  });

  it('readResultsTable infers param kinds and reads empty metrics as null', () => {
    const metrics = 'finalEquity,totalReturnPct,cagrPct,volatilityPct,sharpe,sortino,maxDrawdownPct,maxDrawdownDurationBars,maxDrawdownDurationDays,calmar,tradesClosed,tradesOpen,winRatePct,profitFactor,expectancy,avgWin,avgLoss,bestTrade,worstTrade,sqn,exposurePct,turnover,feesPaid,slippagePaid';
    const filler = Array.from({ length: 23 }, () => '1').join(',');
    const table = readResultsTable(`cell,n,flag,mode,${metrics},digest\n0,5,true,"a,b",2,${filler},d0\n1,7.5,false,c,,${filler},d1\n`);
    expect(table.params).toEqual(['n', 'flag', 'mode']);
    expect(table.columns['n']).toEqual([5, 7.5]);
    expect(table.columns['flag']).toEqual([true, false]);
    expect(table.columns['mode']).toEqual(['a,b', 'c']);
    expect(table.columns['finalEquity']).toEqual([2, null]);
    expect(table.digests).toEqual(['d0', 'd1']);
  });

  it('cellBacktestCommand falls back to a run spec when flags cannot express the experiment', () => {
    const experiment = {
      name: 'x', strategy: 'sma-cross', sweep: {}, ranking: { kind: 'metric' as const, metric: 'sharpe', order: 'desc' as const },
      data: [{ file: '/d/a.csv', symbol: 'A' }], fixedParams: { longOnly: true },
      options: { initialCapital: 5000, costs: { commissionRate: 0.001, spreadBps: 2 } },
    };
    const { command, runSpec } = cellBacktestCommand({ experiment, manifest: undefined, params: { fast: 5 }, outDir: 'runs/x y' });
    expect(command).toBe("replaylab backtest cell.json --out 'runs/x y' --report");
    expect(runSpec).toEqual({ data: [{ file: '/d/a.csv', symbol: 'A' }], strategy: 'sma-cross', params: { longOnly: true, fast: 5 }, capital: 5000, costs: { commissionRate: 0.001, spreadBps: 2 } });
    const simple = cellBacktestCommand({ experiment: { ...experiment, options: { initialCapital: 5000, costs: { commissionRate: 0.001 } } }, manifest: undefined, params: { fast: 5 }, outDir: 'o' });
    expect(simple.command).toBe('replaylab backtest --strategy sma-cross --data /d/a.csv --symbol A --param longOnly=true --param fast=5 --capital 5000 --commission-rate 0.001 --out o --report');
    expect(simple.runSpec).toBeUndefined();
  });

  it('cellBacktestCommand writes the fill rule as the run spec field fills.ambiguity', () => {
    const experiment = {
      name: 'x', strategy: 'sma-cross', sweep: {}, ranking: { kind: 'metric' as const, metric: 'sharpe', order: 'desc' as const },
      data: [{ file: '/d/a.csv', symbol: 'A' }], fixedParams: {},
      options: { costs: { commissionRate: 0.001 }, ambiguity: 'target-first', regimes: { vol: ['low'] } },
    };
    const { runSpec } = cellBacktestCommand({ experiment, manifest: undefined, params: { fast: 5 }, outDir: 'o' });
    expect(runSpec).toEqual({ data: [{ file: '/d/a.csv', symbol: 'A' }], strategy: 'sma-cross', params: { fast: 5 }, costs: { commissionRate: 0.001 }, fills: { ambiguity: 'target-first' }, regimes: { vol: ['low'] } });
    expect(() => parseRunSpec(runSpec)).not.toThrow();
  });
});


describe('buildGridReport on a hand-made 3-param folder with filters and a composite score', () => {
  it('adds the score column, ranks by it, filters the heatmap and says the other param is aggregated', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'replaylab-grid-hand-'));
    const metricNames = ['finalEquity', 'totalReturnPct', 'cagrPct', 'volatilityPct', 'sharpe', 'sortino', 'maxDrawdownPct', 'maxDrawdownDurationBars', 'maxDrawdownDurationDays', 'calmar', 'tradesClosed', 'tradesOpen', 'winRatePct', 'profitFactor', 'expectancy', 'avgWin', 'avgLoss', 'bestTrade', 'worstTrade', 'sqn', 'exposurePct', 'turnover', 'feesPaid', 'slippagePaid'];
    const lines = [`cell,a,b,mode,${metricNames.join(',')},digest`];
    let cell = 0;
    for (const a of [1, 2]) for (const b of [10, 20]) for (const mode of ['x', 'y']) {
      const metrics = metricNames.map((m) => (m === 'sharpe' ? a / 10 + b / 100 + (mode === 'y' ? 0.01 : 0) : m === 'tradesClosed' ? (cell === 7 ? 1 : 10) : m === 'totalReturnPct' ? cell * 1.23456789 : 1));
      lines.push(`${cell},${a},${b},${mode},${metrics.join(',')},digest${cell}`);
      cell++;
    }
    writeFileSync(join(folder, 'results.csv'), `${lines.join('\n')}\n`);
    const experiment = {
      name: 'hand', data: [{ file: '/data/x.csv', symbol: 'X' }], strategy: 'demo', fixedParams: {}, sweep: { a: {}, b: {}, mode: {} },
      options: { initialCapital: 1000, costs: {} }, ranking: { kind: 'score', weights: { sharpe: 2, totalReturnPct: 0.1 } }, filters: { minTrades: 5 },
    };
    writeFileSync(join(folder, 'experiment.json'), JSON.stringify(experiment));
    const top = [{ rank: 1, cell: 6, params: { a: 2, b: 20, mode: 'x' }, metrics: {}, score: 1.5, digest: 'digest6' }];
    writeFileSync(join(folder, 'summary.json'), JSON.stringify({ experiment: 'hand', cells: 8, passed: 7, top, trials: 8, overfitting: { deflatedSharpe: null, pbo: null, notes: ['too few returns'] }, plateau: null, outDir: folder }));
    const page = await buildGridReport(folder);
    expect(page).toContain('data-metric="trials" data-value="8">8<');
    expect(page).toContain('data-metric="dsr">–<');
    expect(page).toContain('data-metric="passed">7<');
    expect(page).toContain('closed trades ≥ 5');
    expect(page).toContain('<input type="checkbox" id="heatmap-filtered" checked>');
    expect(page).toContain('--param a=2 --param b=20 --param mode=x --capital 1000 --out runs/hand-cell-6 --report');
    const data = JSON.parse(page.match(/window\.replaylab = \{ data: (.*), charts: /)![1]!) as { grid: { metrics: string[]; rankMetric: string; columns: Record<string, unknown[]>; passed: number[] } };
    expect(data.grid.rankMetric).toBe('score');
    expect(data.grid.metrics[0]).toBe('score');
    expect(data.grid.passed).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
    expect(data.grid.columns['mode']).toEqual(['x', 'y', 'x', 'y', 'x', 'y', 'x', 'y']);
    expect(data.grid.columns['totalReturnPct']![7]).toBe(8.64198); // 6 significant digits
    expect(data.grid.columns['score']![1]).toBeCloseTo(2 * 0.21 + 0.123457, 5);
    // the initial heatmap: a × b, score aggregated over mode (best = max), cell 7 filtered out
    const charts = JSON.parse(page.match(/, charts: (.*), rendered: 0/)![1]!) as { id: string; spec: { title: { subtitle: string }; data: { values: { x: number; y: number; cell: number; n: number }[] } } }[];
    const heat = charts.find((c) => c.id === 'heatmap')!.spec;
    expect(heat.title.subtitle).toContain('best score (max) over mode');
    const at = (x: number, y: number) => heat.data.values.find((d) => d.x === x && d.y === y)!;
    expect(at(1, 10)).toMatchObject({ cell: 1, n: 2 });
    expect(at(2, 20)).toMatchObject({ cell: 6, n: 1 });
  });
});
