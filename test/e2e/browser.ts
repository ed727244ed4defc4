import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './cli.js';

/** Debian's chromium: `.ci/run` installs it (`apt-get install -y chromium`); no browser download. */
export const CHROMIUM = '/usr/bin/chromium';
/** Full-page screenshots of the reports (git-ignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts');

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts headless chromium; throws (the test fails, it is not skipped) when the browser is missing. */
export async function launchBrowser(executablePath: string = CHROMIUM): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: the report browser tests need Debian's chromium — .ci/run installs it (apt-get install -y chromium)`);
  }
  return chromium.launch({ executablePath, headless: true, args: ARGS, timeout: 60_000 });
}

/** What went wrong while a page was open (each list should stay empty). */
export interface PageProblems {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  /** Every request whose URL is neither `file:` nor `data:` (all of them are aborted). */
  readonly networkRequests: string[];
}

/** A report opened in its own browser context. */
export interface OpenReport {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly problems: PageProblems;
  close(): Promise<void>;
}

const local = (url: string): boolean => url.startsWith('file:') || url.startsWith('data:');

/**
 * Opens an HTML file from `file://` in a fresh context with the network blocked (every request that is
 * not `file:` is aborted, every one that is neither `file:` nor `data:` is recorded), collects console
 * and page errors, and waits for `window.replaylab.ready` (all charts embedded).
 */
export async function openReport(browser: Browser, file: string): Promise<OpenReport> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], networkRequests: [] };
  const record = (url: string): void => {
    if (!local(url) && !problems.networkRequests.includes(url)) problems.networkRequests.push(url);
  };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    record(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('request', (request) => record(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 60_000 });
  await page.evaluate('window.replaylab.ready');
  return { page, context, problems, close: () => context.close() };
}

/** The page's own state: `window.replaylab` without its data. */
export interface ReplaylabState {
  readonly charts: string[];
  readonly rendered: number;
  readonly errors: string[];
}

export function replaylabState(page: Page): Promise<ReplaylabState> {
  return page.evaluate('({ charts: window.replaylab.charts.map((c) => c.id), rendered: window.replaylab.rendered, errors: window.replaylab.errors.map(String) })') as Promise<ReplaylabState>;
}

/** One chart container: whether it holds an SVG, and how many data marks (paths of `role-mark` groups) it draws. */
export interface ChartMarks {
  readonly id: string;
  readonly svg: boolean;
  /** Mark elements in the chart's data-mark groups (`g.role-mark`), by mark type (`rect`, `line`, `symbol`, …). */
  readonly marks: Record<string, number>;
  readonly total: number;
}

/** Counts the data marks vega drew into `#id` (axis ticks and labels are not counted). */
export function chartMarks(page: Page, id: string): Promise<ChartMarks> {
  return page.evaluate(`(() => {
    const id = ${JSON.stringify(id)};
    const root = document.getElementById(id);
    const svg = root ? root.querySelector('svg') : null;
    const marks = {};
    let total = 0;
    if (svg) {
      for (const group of svg.querySelectorAll('g.role-mark')) {
        const type = (Array.from(group.classList).find((c) => c.startsWith('mark-')) || 'mark-?').slice(5);
        const n = group.querySelectorAll(':scope > path, :scope > rect, :scope > line, :scope > circle, :scope > text, :scope > g > path').length;
        marks[type] = (marks[type] || 0) + n;
        total += n;
      }
    }
    return { id, svg: svg !== null && svg.childElementCount > 0, marks, total };
  })()`) as Promise<ChartMarks>;
}

/** Marks of every chart the page declared (`window.replaylab.charts`). */
export async function allChartMarks(page: Page): Promise<ChartMarks[]> {
  const { charts } = await replaylabState(page);
  return Promise.all(charts.map((id) => chartMarks(page, id)));
}

/** Text of every `[data-metric]` element, by metric name (the first element of each name). */
export function metricTexts(page: Page): Promise<Record<string, string>> {
  return page.evaluate(`(() => {
    const out = {};
    for (const el of document.querySelectorAll('[data-metric]')) {
      const name = el.getAttribute('data-metric');
      if (!(name in out)) out[name] = el.textContent.trim();
    }
    return out;
  })()`) as Promise<Record<string, string>>;
}

/** A number as a page shows it: its value and how many decimals it was rounded to. */
export interface ShownNumber {
  readonly value: number;
  readonly decimals: number;
}

/**
 * Parses a number shown on a page: thousands separators, `%`, currency signs, a Unicode minus and
 * surrounding words are ignored; `decimals` is the number of digits after the point.
 */
export function parseShown(text: string): ShownNumber {
  const match = /([-−+]?)\s*[$€£]?\s*(\d[\d,\u202f\u00a0 ]*)(?:\.(\d+))?/.exec(text);
  if (match === null) throw new Error(`no number in ${JSON.stringify(text)}`);
  const [, sign = '', whole = '', fraction = ''] = match;
  const value = Number(`${whole.replace(/[^\d]/g, '')}.${fraction || '0'}`);
  return { value: sign === '-' || sign === '−' ? -value : value, decimals: fraction.length };
}

/** `value` rounded the way the report pages show it with `decimals` digits (`Intl.NumberFormat('en-US')`, as reports/format.ts). */
export function roundLike(value: number, decimals: number): number {
  return Number(new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: false }).format(value));
}

/** Full-page PNG in `test-artifacts/NAME.png`; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}
