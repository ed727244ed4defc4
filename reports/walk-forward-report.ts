import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { downsampleIndices } from './downsample.js';
import { formatDate, formatMoney, formatNumber, formatPct } from './format.js';
import { escapeHtml, renderPage, type ReportSection } from './page.js';
import { oosEquitySpec, type OosEquityPoint } from './grid-specs/oos-equity.js';
import { windowSharpeSpec, type WindowSharpe } from './grid-specs/window-sharpe.js';

/** The files of a walk-forward folder (`replaylab walk-forward --out DIR`). */
const FILES = { summary: 'walk-forward.json', equity: 'oos-equity.arrow', trades: 'oos-trades.csv' } as const;

/** Most points of the stitched out-of-sample equity plotted (extremes kept). */
export const MAX_EQUITY_POINTS = 2000;

/** True when `dir` looks like a walk-forward folder (`walk-forward.json`). */
export function isWalkForwardFolder(dir: string): boolean {
  return existsSync(join(dir, FILES.summary));
}

type Metrics = Readonly<Record<string, number | null | undefined>>;
interface Span { readonly from: string; readonly to: string; readonly bars: number }

/** The fields of `walk-forward.json` the report uses. */
interface WalkForwardDoc {
  readonly experiment: string;
  readonly strategy: string;
  readonly fixedParams?: Readonly<Record<string, unknown>>;
  readonly swept: readonly string[];
  readonly cells: number;
  readonly walkForward: { readonly mode: string; readonly train: string | number; readonly test: string | number; readonly step: string | number };
  readonly testStart?: string;
  readonly ranking: { readonly kind: string; readonly metric?: string; readonly order?: string; readonly weights?: Readonly<Record<string, number>> };
  readonly filters?: Readonly<Record<string, number>>;
  readonly capital: number;
  readonly data: readonly { readonly file: string; readonly symbol: string; readonly bars: number; readonly from: string | null; readonly to: string | null }[];
  readonly windows: readonly {
    readonly index: number;
    readonly partial: boolean;
    readonly train: Span;
    readonly test: Span;
    readonly passed: number;
    readonly chosen: { readonly cell: number; readonly params: Readonly<Record<string, unknown>>; readonly score: number | null } | null;
    readonly inSample: Metrics | null;
    readonly outOfSample: Metrics | null;
    readonly efficiency: number | null;
    readonly startEquity: number;
    readonly finalEquity: number;
  }[];
  readonly outOfSample: {
    readonly from: string;
    readonly to: string;
    readonly bars: number;
    readonly startEquity: number;
    readonly finalEquity: number;
    readonly metrics: Metrics;
    readonly meanInSampleCagrPct: number | null;
    readonly efficiency: number | null;
  };
  readonly digest: string;
}

function readJson<T>(path: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read (${error instanceof Error ? error.message : String(error)}) — is this a walk-forward folder (replaylab walk-forward --out)?`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Reads `oos-equity.arrow`: `time` (UTC ms timestamp), `equity`, `window`. */
export async function readOosEquity(path: string): Promise<{ timeMs: Float64Array; equity: Float64Array; window: Float64Array }> {
  const { tableFromIPC } = await import('apache-arrow');
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`${path}: cannot read (${error instanceof Error ? error.message : String(error)})`);
  }
  const table = tableFromIPC(bytes);
  const column = (name: string): Float64Array => {
    const vector = table.getChild(name);
    if (vector === null) throw new Error(`${path}: column ${name} is missing — rewrite the folder with replaylab walk-forward --out`);
    const out = new Float64Array(vector.length);
    for (let i = 0; i < vector.length; i++) out[i] = Number(vector.get(i) ?? Number.NaN);
    return out;
  };
  return { timeMs: column('time'), equity: column('equity'), window: column('window') };
}

/** The stitched equity downsampled to at most `max` points, keeping each bucket's extremes, 6 significant digits. */
export function oosEquityPoints(series: { timeMs: ArrayLike<number>; equity: ArrayLike<number>; window: ArrayLike<number> }, max = MAX_EQUITY_POINTS): OosEquityPoint[] {
  return downsampleIndices(series.equity, max).map((i) => ({ t: series.timeMs[i]!, e: Number(series.equity[i]!.toPrecision(6)), w: series.window[i]! }));
}

function metric(m: Metrics | null, name: string): number | null {
  const v = m?.[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function signed(text: string, value: number | null): string {
  const cls = value === null || value === 0 ? '' : value > 0 ? ' class="pos"' : ' class="neg"';
  return `<td${cls}>${text}</td>`;
}

function periodText(p: string | number): string {
  return typeof p === 'number' ? `${p} bars` : p;
}

/**
 * Builds the self-contained HTML report of a walk-forward folder: the stitched out-of-sample
 * summary, the chart of the stitched out-of-sample equity (≤ 2,000 points, extremes kept), in-sample
 * vs out-of-sample Sharpe per window, and the windows table (dates, chosen params, IS vs OOS
 * metrics side by side, efficiency). Reads only the folder's files; throws an `Error` naming a
 * missing or unreadable file.
 */
export async function buildWalkForwardReport(dir: string): Promise<string> {
  const doc = readJson<WalkForwardDoc>(join(dir, FILES.summary));
  const series = await readOosEquity(join(dir, FILES.equity));
  const points = oosEquityPoints(series);
  const oos = doc.outOfSample;
  const om = oos.metrics;
  const sections: ReportSection[] = [];
  const wf = doc.walkForward;

  const rankingText = doc.ranking.kind === 'metric'
    ? `best cell by ${doc.ranking.metric} (${doc.ranking.order === 'asc' ? 'lower' : 'higher'} is better)`
    : `best cell by the composite score ${Object.entries(doc.ranking.weights ?? {}).map(([m, w]) => `${w} × ${m}`).join(' + ')}`;
  const filters = Object.entries(doc.filters ?? {});
  // data-metric names follow the run and grid reports (camelCase); data-value holds the exact number.
  const card = (label: string, value: string, key: string, exact?: number | null) =>
    `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value" data-metric="${key}"${exact === undefined || exact === null ? '' : ` data-value="${exact}"`}>${value}</div></div>`;
  sections.push({
    id: 'summary',
    title: 'Stitched out-of-sample result',
    html: `<p class="note">${doc.windows.length} windows, ${escapeHtml(wf.mode)}: train ${escapeHtml(periodText(wf.train))}, test ${escapeHtml(periodText(wf.test))}, step ${escapeHtml(periodText(wf.step))}. On each train window the ${doc.cells} cells are run and the ${escapeHtml(rankingText)}${filters.length > 0 ? ` among those passing the filters (${escapeHtml(filters.map(([k, v]) => `${k} ${v}`).join(', '))})` : ''} is traded on the following test window; test runs start ${escapeHtml(doc.testStart ?? 'cold')} (indicators warm up inside the window) and carry the capital over. Out of sample: ${formatDate(oos.from)} … ${formatDate(oos.to)}, ${formatNumber(oos.bars, 0)} bars.</p>
<div class="cards">
${card('Final equity (USD)', formatMoney(oos.finalEquity), 'oosFinalEquity', oos.finalEquity)}
${card('Total return', formatPct(metric(om, 'totalReturnPct')), 'oosTotalReturnPct', metric(om, 'totalReturnPct'))}
${card('CAGR', formatPct(metric(om, 'cagrPct')), 'oosCagrPct', metric(om, 'cagrPct'))}
${card('Sharpe (annualized)', formatNumber(metric(om, 'sharpe'), 3), 'oosSharpe', metric(om, 'sharpe'))}
${card('Max drawdown', formatPct(metric(om, 'maxDrawdownPct')), 'oosMaxDrawdownPct', metric(om, 'maxDrawdownPct'))}
${card('Trades closed / open', `${formatNumber(metric(om, 'tradesClosed'), 0)} / ${formatNumber(metric(om, 'tradesOpen'), 0)}`, 'oosTrades')}
${card('Mean in-sample CAGR', formatPct(oos.meanInSampleCagrPct), 'meanInSampleCagrPct', oos.meanInSampleCagrPct)}
${card('Walk-forward efficiency', formatNumber(oos.efficiency, 2), 'walkForwardEfficiency', oos.efficiency)}
</div>
<p class="note">Walk-forward efficiency (WFE) = out-of-sample CAGR ÷ mean in-sample CAGR: near 1 means the chosen params kept their in-sample performance on unseen data; near 0 or negative means they did not.</p>`,
  });

  sections.push({
    id: 'oos-equity',
    title: 'Stitched out-of-sample equity',
    html: `<p class="note">Every test window back to back, capital carried over (dashed lines: window starts). ${points.length < series.equity.length ? `${formatNumber(points.length, 0)} of ${formatNumber(series.equity.length, 0)} bars plotted (each bucket's first, last, lowest and highest kept).` : `${formatNumber(points.length, 0)} bars.`}</p>
<div id="oos-equity-chart" class="chart"></div>`,
    charts: [{ id: 'oos-equity-chart', spec: oosEquitySpec(points) }],
  });

  const sharpe: WindowSharpe[] = doc.windows.map((w) => ({ w: w.index, t: Date.parse(w.test.from), is: metric(w.inSample, 'sharpe'), oos: metric(w.outOfSample, 'sharpe') }));
  sections.push({
    id: 'window-sharpe',
    title: 'In-sample vs out-of-sample Sharpe',
    html: `<p class="note">Per window: the Sharpe ratio of the chosen cell on its train window (in-sample, where it was the best) and on the following test window (out-of-sample).</p>
<div id="window-sharpe-chart" class="chart"></div>`,
    charts: [{ id: 'window-sharpe-chart', spec: windowSharpeSpec(sharpe) }],
  });

  const params = doc.swept;
  const pair = (label: string) => `<th>IS ${escapeHtml(label)}</th><th>OOS ${escapeHtml(label)}</th>`;
  const head = `<tr><th>#</th><th>Train (UTC)</th><th>Test (UTC)</th>${params.map((p) => `<th>${escapeHtml(p)}</th>`).join('')}${pair('Sharpe')}${pair('return %')}${pair('CAGR %')}${pair('max DD %')}<th>OOS trades</th><th>WFE</th></tr>`;
  const rows = doc.windows.map((w) => {
    const is = w.inSample;
    const os = w.outOfSample;
    const both = (name: string, text: (v: number | null) => string, colour: boolean) =>
      [metric(is, name), metric(os, name)].map((v) => (colour ? signed(text(v), v) : `<td>${text(v)}</td>`)).join('');
    return `<tr data-window="${w.index}"><td>${w.index}</td><td>${formatDate(w.train.from)} … ${formatDate(w.train.to)}</td><td>${formatDate(w.test.from)} … ${formatDate(w.test.to)}${w.partial ? ' *' : ''}</td>`
      + params.map((p) => `<td>${w.chosen === null ? '–' : escapeHtml(String(w.chosen.params[p] ?? '–'))}</td>`).join('')
      + both('sharpe', (v) => formatNumber(v, 3), true)
      + both('totalReturnPct', (v) => formatNumber(v, 2), true)
      + both('cagrPct', (v) => formatNumber(v, 2), true)
      + both('maxDrawdownPct', (v) => formatNumber(v, 2), false)
      + `<td>${formatNumber(metric(os, 'tradesClosed'), 0)}</td>`
      + signed(formatNumber(w.efficiency, 2), w.efficiency)
      + '</tr>';
  });
  const partial = doc.windows.some((w) => w.partial) ? '<p class="note">* partial: the data ends before the test window does.</p>' : '';
  const none = doc.windows.some((w) => w.chosen === null) ? '<p class="note">– : no cell passed the filters on the train window; equity stays flat over its test window.</p>' : '';
  sections.push({
    id: 'windows',
    title: 'Windows',
    html: `<p class="note">IS = in-sample (train window, the chosen cell), OOS = out-of-sample (test window). WFE = OOS CAGR ÷ IS CAGR (– when the IS CAGR is not positive).</p>
<div class="scroll"><table id="windows-table"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>${partial}${none}`,
  });

  const tradesPath = join(dir, FILES.trades);
  const tradeCount = existsSync(tradesPath) ? readFileSync(tradesPath, 'utf8').split('\n').filter((l) => l !== '').length - 1 : 0;
  sections.push({
    id: 'files',
    title: 'Files',
    html: `<p class="note"><code>${FILES.summary}</code> (every window's metrics), <code>${FILES.equity}</code> (${formatNumber(series.equity.length, 0)} out-of-sample bars), <code>${FILES.trades}</code> (${formatNumber(Math.max(0, tradeCount), 0)} trades). Data: ${doc.data.map((d) => `${escapeHtml(d.symbol)} ${escapeHtml(d.file)} (${formatNumber(d.bars, 0)} bars, ${formatDate(d.from)} … ${formatDate(d.to)})`).join('; ')}. Digest <code>${escapeHtml(doc.digest)}</code>.</p>`,
  });

  return renderPage({
    title: `Walk-forward report: ${doc.experiment}`,
    subtitle: `${doc.strategy} · ${params.join(' × ')} · ${doc.cells} cells per train window · ${doc.windows.length} windows · capital ${formatMoney(doc.capital, 0)} USD`,
    sections,
  });
}
