import type { Metrics } from '../engine/metrics/types.js';
import { buyAndHold } from './buy-and-hold.js';
import { downsampleIndices } from './downsample.js';
import { formatDate, formatMoney, formatNumber, formatPct, round } from './format.js';
import { escapeHtml, renderPage, type ReportSection } from './page.js';
import { monthlyReturns, yearlyReturns } from './period-returns.js';
import { readRunFolder, type RunData } from './run-data.js';
import { regimeSection } from './regime-section.js';
import { tradesSection } from './run-trades-section.js';
import { drawdownChartSpec, drawdownPct } from './specs/drawdown-chart.js';
import { equityChartSpec, type EquityPoint } from './specs/equity-chart.js';
import { exposureChartSpec } from './specs/exposure-chart.js';
import { monthlyReturnsHeatmapSpec } from './specs/monthly-returns-heatmap.js';

/** Most points embedded per time-series chart (the downsampling keeps each bucket's extremes). */
const MAX_POINTS = 2000;

/** The headline numbers shown as cards, in `window.replaylab.data.metrics` and as `data-metric` elements. */
export const HEADLINE_METRICS = ['finalEquity', 'totalReturnPct', 'cagrPct', 'sharpe', 'maxDrawdownPct', 'tradesClosed'] as const;

type Kind = 'money' | 'pct' | 'ratio' | 'count';
/** Rows of the gross-vs-net table: metric, label, unit kind. */
const TABLE_ROWS: readonly (readonly [keyof Metrics, string, Kind])[] = [
  ['finalEquity', 'Final equity', 'money'],
  ['totalReturnPct', 'Total return', 'pct'],
  ['cagrPct', 'CAGR', 'pct'],
  ['volatilityPct', 'Volatility (annualized)', 'pct'],
  ['sharpe', 'Sharpe', 'ratio'],
  ['sortino', 'Sortino', 'ratio'],
  ['maxDrawdownPct', 'Max drawdown', 'pct'],
  ['maxDrawdownDurationDays', 'Longest drawdown (days)', 'count'],
  ['calmar', 'Calmar', 'ratio'],
  ['tradesClosed', 'Closed trades', 'count'],
  ['winRatePct', 'Win rate', 'pct'],
  ['profitFactor', 'Profit factor', 'ratio'],
  ['expectancy', 'Expectancy per trade', 'money'],
  ['bestTrade', 'Best trade', 'money'],
  ['worstTrade', 'Worst trade', 'money'],
  ['exposurePct', 'Exposure', 'pct'],
  ['turnover', 'Turnover (×)', 'ratio'],
];

function show(value: unknown, kind: Kind): string {
  const n = typeof value === 'number' ? value : null;
  if (kind === 'money') return formatMoney(n);
  if (kind === 'pct') return formatPct(n);
  return formatNumber(n, kind === 'count' ? 0 : 2);
}

/** `<span data-metric=…>` holding a formatted number; `data-value` keeps the exact value for tests. */
function metricSpan(name: string, value: unknown, kind: Kind): string {
  return `<span data-metric="${escapeHtml(name)}" data-value="${escapeHtml(String(value))}">${escapeHtml(show(value, kind))}</span>`;
}

const CARD_LABELS: Record<(typeof HEADLINE_METRICS)[number], [string, Kind]> = {
  finalEquity: ['Final equity (net)', 'money'],
  totalReturnPct: ['Total return (net)', 'pct'],
  cagrPct: ['CAGR (net)', 'pct'],
  sharpe: ['Sharpe (net)', 'ratio'],
  maxDrawdownPct: ['Max drawdown (net)', 'pct'],
  tradesClosed: ['Closed trades', 'count'],
};

function summarySection(run: RunData, buyHoldReturnPct: number | undefined): ReportSection {
  const { metrics, grossMetrics, costDrag } = run.doc;
  const cards = HEADLINE_METRICS.map((name) => {
    const [label, kind] = CARD_LABELS[name];
    return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${metricSpan(name, metrics[name], kind)}</div></div>`;
  }).join('');
  const bh = buyHoldReturnPct === undefined ? '' : `<div class="card"><div class="label">Buy &amp; hold return</div><div class="value">${escapeHtml(formatPct(buyHoldReturnPct))}</div></div>`;
  const drag = (name: keyof Metrics, kind: Kind): string => {
    if (name === 'finalEquity') return formatMoney(costDrag.finalEquity);
    if (name === 'totalReturnPct') return formatPct(costDrag.totalReturnPct);
    const g = grossMetrics[name];
    const n = metrics[name];
    return typeof g === 'number' && typeof n === 'number' && kind !== 'count' ? show(g - n, kind) : '';
  };
  const rows = TABLE_ROWS.map(([name, label, kind]) =>
    `<tr><td>${escapeHtml(label)}</td><td>${escapeHtml(show(grossMetrics[name], kind))}</td><td>${escapeHtml(show(metrics[name], kind))}</td><td>${escapeHtml(drag(name, kind))}</td></tr>`).join('');
  const costs = `<tr><td>Fees paid</td><td></td><td>${metricSpan('feesPaid', costDrag.feesPaid, 'money')}</td><td></td></tr>`
    + `<tr><td>Slippage and spread paid</td><td></td><td>${metricSpan('slippagePaid', costDrag.slippagePaid, 'money')}</td><td></td></tr>`;
  const html = `<div class="cards">${cards}${bh}</div>
<p class="note">Net = the account as it was, after commissions, slippage and spread; gross = the same fills without costs. Cost drag = gross − net. Money in account currency.</p>
<table><thead><tr><th>Metric</th><th>Gross of costs</th><th>Net of costs</th><th>Cost drag</th></tr></thead><tbody>${rows}${costs}</tbody></table>`;
  return { id: 'summary', title: 'Summary', html };
}

function pick<T>(indices: readonly number[], at: (i: number) => T): T[] {
  return indices.map(at);
}

/** Union of two sorted index lists. */
function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function yearlyTable(run: RunData, bhEquity: Float64Array | undefined, start: number): string {
  const { timeMs, equity, grossEquity } = run.series;
  const net = yearlyReturns(timeMs, equity, start);
  const gross = yearlyReturns(timeMs, grossEquity, start);
  const bh = bhEquity === undefined ? undefined : yearlyReturns(timeMs, bhEquity, start);
  const cls = (v: number | undefined) => (v === undefined ? '' : v > 0 ? 'pos' : v < 0 ? 'neg' : '');
  const rows = net.map((y, i) => {
    const b = bh?.[i]?.returnPct;
    return `<tr><td>${y.year}</td><td class="${cls(y.returnPct)}">${formatPct(y.returnPct)}</td><td>${formatPct(gross[i]?.returnPct)}</td>${bh === undefined ? '' : `<td class="${cls(b)}">${formatPct(b)}</td>`}</tr>`;
  }).join('');
  return `<h3>Yearly returns</h3><table><thead><tr><th>Year</th><th>Net</th><th>Gross</th>${bh === undefined ? '' : '<th>Buy &amp; hold</th>'}</tr></thead><tbody>${rows}</tbody></table>`;
}

function configSection(run: RunData): ReportSection {
  const { doc } = run;
  const params = Object.entries(doc.params).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(String(v))}</td></tr>`).join('');
  const data = doc.data.map((d) => `<tr><td>${escapeHtml(d.symbol)}</td><td><code>${escapeHtml(d.file)}</code></td><td>${formatNumber(d.bars, 0)}</td><td>${escapeHtml(formatDate(d.from))}</td><td>${escapeHtml(formatDate(d.to))}</td></tr>`).join('');
  const html = `<p>Strategy <b>${escapeHtml(doc.strategy)}</b> · digest <code data-metric="digest">${escapeHtml(doc.digest)}</code></p>
<table><thead><tr><th>Parameter</th><th>Value</th></tr></thead><tbody>${params}</tbody></table>
<h3>Data</h3><table><thead><tr><th>Symbol</th><th>File</th><th>Bars</th><th>From</th><th>To</th></tr></thead><tbody>${data}</tbody></table>
<h3>Resolved config</h3><pre><code>${escapeHtml(JSON.stringify(run.config['config'] ?? doc.config, null, 2))}</code></pre>`;
  return { id: 'config', title: 'Run config', html };
}

/**
 * Builds the self-contained HTML report of a run folder (`backtest --out DIR`): headline metrics
 * gross and net of costs, equity against buy-and-hold of the same data, drawdown, monthly and
 * yearly returns, trades, exposure, and the config and digest. Throws when the folder cannot be
 * read. The page embeds `window.replaylab.data = { metrics, grossMetrics, costDrag, digest }`.
 */
export async function buildRunReport(dir: string): Promise<string> {
  const run = await readRunFolder(dir);
  const { doc, series } = run;
  const { metrics } = doc;
  const start = metrics.startEquity;
  const first = doc.data[0];
  const bh = first === undefined ? { ok: false as const, reason: 'the run names no data file' } : await buyAndHold(first.file, first.symbol, series.timeMs, start);
  const bhEquity = bh.ok ? bh.equity : undefined;
  const bhReturn = bhEquity !== undefined && bhEquity.length > 0 ? (bhEquity[bhEquity.length - 1]! / start - 1) * 100 : undefined;

  const dd = drawdownPct(series.equity, start);
  const curve = union(downsampleIndices(dd, MAX_POINTS / 2), downsampleIndices(series.equity, MAX_POINTS / 2));
  const equityPoints = pick<EquityPoint>(curve, (i) => ({
    t: series.timeMs[i]!,
    n: round(series.equity[i]!, 2),
    g: round(series.grossEquity[i]!, 2),
    ...(bhEquity === undefined ? {} : { b: round(bhEquity[i]!, 2) }),
  }));
  const ddPoints = pick(curve, (i) => ({ t: series.timeMs[i]!, dd: round(dd[i]!, 3) }));
  const exposurePct = series.exposure.map((x) => x * 100);
  const exposurePoints = pick(downsampleIndices(exposurePct, MAX_POINTS), (i) => ({ t: series.timeMs[i]!, x: round(exposurePct[i]!, 2) }));
  const months = monthlyReturns(series.timeMs, series.equity, start);

  const bhNote = bh.ok
    ? `<p class="note">Buy &amp; hold: ${escapeHtml(bh.symbol)} bought at the first close and held, scaled to the same starting capital, no costs (${escapeHtml(formatPct(bhReturn))}).</p>`
    : `<p class="note">Buy &amp; hold omitted: ${escapeHtml(bh.reason)}.</p>`;
  const sections: ReportSection[] = [
    summarySection(run, bhReturn),
    {
      id: 'equity',
      title: 'Equity',
      html: `<div id="chart-equity" class="chart"></div>${bhNote}<div id="chart-drawdown" class="chart"></div>`,
      charts: [
        { id: 'chart-equity', spec: equityChartSpec(equityPoints, { withBuyAndHold: bh.ok }) },
        { id: 'chart-drawdown', spec: drawdownChartSpec(ddPoints) },
      ],
    },
    {
      id: 'returns',
      title: 'Monthly and yearly returns',
      html: `${months.length > 0 ? '<div id="chart-monthly" class="chart"></div>' : '<p class="note">No bars.</p>'}${yearlyTable(run, bhEquity, start)}`,
      charts: months.length > 0 ? [{ id: 'chart-monthly', spec: monthlyReturnsHeatmapSpec(months) }] : [],
    },
    tradesSection(run.trades),
    { id: 'exposure', title: 'Exposure', html: '<div id="chart-exposure" class="chart"></div>', charts: [{ id: 'chart-exposure', spec: exposureChartSpec(exposurePoints) }] },
    ...optional(regimeSection(doc)),
    configSection(run),
  ];
  const headline = (m: Metrics) => Object.fromEntries(HEADLINE_METRICS.map((k) => [k, m[k]]));
  const span = first === undefined ? '' : ` · ${first.symbol} ${formatDate(first.from)} → ${formatDate(first.to)}`;
  const params = Object.entries(doc.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  return renderPage({
    title: `Backtest report: ${doc.strategy}`,
    subtitle: `${doc.strategy} ${params}${span} · digest ${doc.digest.slice(0, 16)}`,
    sections,
    data: {
      kind: 'run',
      metrics: headline(metrics),
      grossMetrics: headline(doc.grossMetrics),
      costDrag: doc.costDrag,
      buyAndHoldReturnPct: bhReturn ?? null,
      digest: doc.digest,
    },
  });
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
