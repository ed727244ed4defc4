import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPage } from '../../reports/page.js';
import { allChartMarks, chartMarks, launchBrowser, metricTexts, openReport, parseShown, replaylabState, roundLike, screenshot, type OpenReport } from './browser.js';
import { replaylab, SP500 } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'replaylab-e2e-browser-'));

/** Asserts a report opened cleanly: no network, no errors, every declared chart drawn with marks. */
async function expectCleanReport(report: OpenReport, minCharts = 1): Promise<void> {
  const state = await replaylabState(report.page);
  expect(report.problems.networkRequests).toEqual([]);
  expect(report.problems.pageErrors).toEqual([]);
  expect(report.problems.consoleErrors).toEqual([]);
  expect(state.errors).toEqual([]);
  expect(state.charts.length).toBeGreaterThanOrEqual(minCharts);
  expect(state.rendered).toBe(state.charts.length);
  for (const chart of await allChartMarks(report.page)) {
    expect(chart, `chart #${chart.id}`).toMatchObject({ svg: true });
    expect(chart.total, `marks in chart #${chart.id}`).toBeGreaterThan(0);
  }
}

/** Every `[data-metric]` number shown on the page equals `expected[name]` after the page's own rounding. */
async function expectShownMetrics(report: OpenReport, expected: Readonly<Record<string, unknown>>, required: readonly string[]): Promise<Record<string, string>> {
  const shown = await metricTexts(report.page);
  for (const name of required) expect(Object.keys(shown), `data-metric="${name}" on the page`).toContain(name);
  for (const [name, text] of Object.entries(shown)) {
    const value = expected[name];
    if (typeof value !== 'number') continue;
    const { value: parsed, decimals } = parseShown(text);
    expect(parsed, `${name}: page shows ${JSON.stringify(text)}, metrics say ${value}`).toBe(roundLike(value, decimals));
  }
  return shown;
}

describe('HTML reports in a real browser (chromium, offline)', { timeout: 120_000 }, () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('harness: a page from renderPage opens offline, its bar chart draws, metrics parse as shown', async () => {
    const file = join(tmp(), 'page.html');
    writeFileSync(
      file,
      renderPage({
        title: 'Harness check',
        data: { finalEquity: 164_421.015164 },
        sections: [
          {
            id: 'bars',
            title: 'Bars',
            html: '<p>Final equity <span data-metric="finalEquity">164,421.02</span>, drawdown <span data-metric="maxDrawdownPct">−29.39%</span></p><div id="bar-chart" class="chart"></div>',
            charts: [
              {
                id: 'bar-chart',
                spec: {
                  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
                  data: { values: [{ k: 'a', v: 3 }, { k: 'b', v: 5 }, { k: 'c', v: 2 }] },
                  mark: 'bar',
                  encoding: { x: { field: 'k', type: 'nominal' }, y: { field: 'v', type: 'quantitative' } },
                },
              },
            ],
          },
        ],
      }),
    );
    const report = await openReport(browser, file);
    try {
      await expectCleanReport(report);
      const [chart] = await allChartMarks(report.page);
      expect(chart?.marks).toEqual({ rect: 3 });
      const shown = await metricTexts(report.page);
      const equity = parseShown(shown.finalEquity ?? '');
      expect(equity).toEqual({ value: 164_421.02, decimals: 2 });
      expect(equity.value).toBe(roundLike(164_421.015164, equity.decimals));
      expect(parseShown(shown.maxDrawdownPct ?? '')).toEqual({ value: -29.39, decimals: 2 });
      await screenshot(report.page, 'harness');
    } finally {
      await report.close();
    }
  });

  it('harness: a missing browser fails with the fix, it does not skip', async () => {
    await expect(launchBrowser('/nonexistent/chromium')).rejects.toThrow(/\/nonexistent\/chromium is missing.*\.ci\/run installs it \(apt-get install -y chromium\)/);
  });

  it('harness: sees (and blocks) a network request, a console error and a page error', async () => {
    const file = join(tmp(), 'leaky.html');
    writeFileSync(
      file,
      `<!doctype html><html><body><p>leaky</p><script>
window.replaylab = { data: null, charts: [], rendered: 0, errors: [] };
window.replaylab.ready = fetch('http://127.0.0.1:9/beacon').then(() => 'reached', () => 'blocked').then((r) => { window.fetched = r; });
console.error('something broke');
setTimeout(() => { throw new Error('boom'); }, 0);
</script></body></html>`,
    );
    const report = await openReport(browser, file);
    try {
      await report.page.waitForFunction('window.fetched !== undefined');
      expect(await report.page.evaluate('window.fetched')).toBe('blocked');
      await expect.poll(() => report.problems.pageErrors.length, { timeout: 30_000 }).toBe(1);
      await expect.poll(() => report.problems.consoleErrors.length, { timeout: 30_000 }).toBeGreaterThan(0);
      expect(report.problems.networkRequests, JSON.stringify(report.problems.networkRequests)).toEqual(['http://127.0.0.1:9/beacon']);
      expect(report.problems.consoleErrors).toContain('something broke');
      expect(report.problems.pageErrors[0]).toContain('boom');
    } finally {
      await report.close();
    }
  });

  it('run report: backtest --out DIR --report and report DIR --out FILE (real processes) render every chart offline; numbers match metrics.json', async () => {
    const dir = tmp();
    const out = join(dir, 'run');
    const backtest = replaylab(['backtest', '--strategy', 'sma-cross', '--data', SP500, '--param', 'fast=10', '--param', 'slow=30', '--commission-rate', '0.001', '--out', out, '--report']);
    expect(backtest.stderr).toBe('');
    expect(backtest.status).toBe(0);
    expect(backtest.stdout).toContain(`report written to ${join(out, 'report.html')}`);
    const file = join(dir, 'run-report.html');
    const report = replaylab(['report', out, '--out', file]);
    expect(report.stderr).toBe('');
    expect(report.status).toBe(0);
    // The same folder gives the same page, whichever command wrote it.
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(out, 'report.html'), 'utf8'));

    const doc = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { metrics: Record<string, number>; digest: string };
    const page = await openReport(browser, file);
    try {
      await expectCleanReport(page, 3);
      const shown = await expectShownMetrics(page, doc.metrics, ['finalEquity', 'sharpe', 'maxDrawdownPct', 'totalReturnPct', 'tradesClosed']);
      // Known figures of this run (test/e2e/backtest.test.ts), as the page rounds them.
      expect(parseShown(shown.finalEquity ?? '').value).toBe(137_507.01);
      expect(parseShown(shown.tradesClosed ?? '').value).toBe(87);
      if (shown.digest !== undefined) expect(shown.digest).toBe(doc.digest);
      await screenshot(page.page, 'run-report');
    } finally {
      await page.close();
    }
  });

  it('grid report: a 3-param grid (real processes) renders offline; trials/DSR/PBO match summary.json; another heatmap pair re-renders', async () => {
    const dir = tmp();
    const experiment = join(dir, 'channel-3.json');
    writeFileSync(
      experiment,
      JSON.stringify({
        name: 'channel-3',
        data: { file: SP500, symbol: 'SPX' },
        strategy: 'channel-breakout',
        sweep: { lookback: [10, 20], stopLossPct: [1, 2], takeProfitPct: [2, 4] },
        capital: 100_000,
        costs: { commissionRate: 0.0005 },
        ranking: { metric: 'sharpe', order: 'desc' },
      }),
    );
    const out = join(dir, 'grid');
    const grid = replaylab(['grid', experiment, '--out', out, '--quiet', '--workers', '2']);
    expect(grid.stderr).toBe('');
    expect(grid.status).toBe(0);
    const file = join(dir, 'grid-report.html');
    const report = replaylab(['report', out, '--out', file]);
    expect(report.stderr).toBe('');
    expect(report.status).toBe(0);

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      trials: number;
      passed: number;
      overfitting: { deflatedSharpe: { dsr: number }; pbo: { pbo: number } };
    };
    expect(summary.trials).toBe(8);
    const page = await openReport(browser, file);
    try {
      await expectCleanReport(page, 1);
      await expectShownMetrics(page, { trials: summary.trials, passed: summary.passed, dsr: summary.overfitting.deflatedSharpe.dsr, pbo: summary.overfitting.pbo.pbo }, ['trials', 'dsr', 'pbo']);

      // The heatmap: switch x to the swept param that is not shown yet; the chart re-renders with it.
      const heatmap = page.page.locator('[data-heatmap-pair]');
      await expect.poll(() => heatmap.count()).toBe(1);
      const x0 = await page.page.locator('#heatmap-x').inputValue();
      const y0 = await page.page.locator('#heatmap-y').inputValue();
      expect(await heatmap.getAttribute('data-heatmap-pair')).toBe(`${x0}×${y0}`);
      const params = ['lookback', 'stopLossPct', 'takeProfitPct'];
      expect(params).toContain(x0);
      expect(params).toContain(y0);
      const x1 = params.find((p) => p !== x0 && p !== y0)!;
      const id = await heatmap.getAttribute('id');
      expect(id).not.toBeNull();
      const axisTitles = () => page.page.locator(`#${id!} svg g.role-axis-title text`).allTextContents();
      expect((await axisTitles()).join(' ')).not.toContain(x1);
      await page.page.selectOption('#heatmap-x', x1);
      await page.page.waitForFunction(`document.getElementById(${JSON.stringify(id)}).getAttribute('data-heatmap-pair') === ${JSON.stringify(`${x1}×${y0}`)}`, undefined, { timeout: 60_000 });
      expect((await axisTitles()).join(' ')).toContain(x1);
      const marks = await chartMarks(page.page, id!);
      expect(marks.svg).toBe(true);
      expect(marks.total).toBeGreaterThan(0);
      expect((await replaylabState(page.page)).errors).toEqual([]);
      expect(page.problems.consoleErrors).toEqual([]);
      expect(page.problems.pageErrors).toEqual([]);
      expect(page.problems.networkRequests).toEqual([]);
      await screenshot(page.page, 'grid-report');
    } finally {
      await page.close();
    }
  });

  it('walk-forward report: a small walk-forward (real processes) renders its charts offline; shown numbers match walk-forward.json', async () => {
    const dir = tmp();
    const experiment = join(dir, 'wf.json');
    writeFileSync(
      experiment,
      JSON.stringify({
        name: 'wf',
        data: { file: SP500, symbol: 'SPX', from: '2005-01-01', to: '2012-12-31' },
        strategy: 'sma-cross',
        costs: { commissionRate: 0.001 },
        sweep: { fast: [5, 10], slow: [20, 40] },
        walkForward: { mode: 'rolling', train: '2y', test: '1y' },
      }),
    );
    const out = join(dir, 'wf');
    const run = replaylab(['walk-forward', experiment, '--out', out, '--quiet', '--workers', '2']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const file = join(dir, 'walk-forward-report.html');
    const report = replaylab(['report', out, '--out', file]);
    expect(report.stderr).toBe('');
    expect(report.status).toBe(0);

    const doc = JSON.parse(readFileSync(join(out, 'walk-forward.json'), 'utf8')) as {
      windows: unknown[];
      outOfSample: { finalEquity: number; metrics: Record<string, number>; meanInSampleCagrPct: number; efficiency: number };
    };
    const oos = doc.outOfSample;
    expect(doc.windows).toHaveLength(6);
    const page = await openReport(browser, file);
    try {
      await expectCleanReport(page, 2);
      const expected = {
        'oosFinalEquity': oos.finalEquity,
        'oosTotalReturnPct': oos.metrics.totalReturnPct,
        'oosCagrPct': oos.metrics.cagrPct,
        'oosSharpe': oos.metrics.sharpe,
        'oosMaxDrawdownPct': oos.metrics.maxDrawdownPct,
        'meanInSampleCagrPct': oos.meanInSampleCagrPct,
        walkForwardEfficiency: oos.efficiency,
      };
      const shown = await expectShownMetrics(page, expected, Object.keys(expected));
      expect(shown['oosTrades']?.replace(/\s+/g, ' ')).toBe(`${oos.metrics.tradesClosed} / ${oos.metrics.tradesOpen}`);
      await screenshot(page.page, 'walk-forward-report');
    } finally {
      await page.close();
    }
  });
});
