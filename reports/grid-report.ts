import { existsSync, readFileSync } from 'node:fs';
import { regimeSection } from './regime-section.js';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { GridSummary } from '../experiments/grid-summary.js';
import type { GridManifest } from '../experiments/grid-manifest.js';
import { splitCsvLine } from '../experiments/results-csv.js';
import { METRIC_COLUMNS } from '../experiments/results-columns.js';
import { formatNumber, formatPct } from './format.js';
import { escapeHtml, renderPage, type ReportSection } from './page.js';
import { gridHeatmapSpec, type GridColumn } from './grid-specs/heatmap.js';
import { metricHistogramSpec } from './grid-specs/metric-histogram.js';

/** The files of a grid results folder the report reads. */
const FILES = { csv: 'results.csv', summary: 'summary.json', experiment: 'experiment.json', manifest: 'manifest.json' } as const;

/** True when `dir` looks like a grid results folder (`summary.json` and `results.csv`). */
export function isGridFolder(dir: string): boolean {
  return existsSync(join(dir, FILES.summary)) && existsSync(join(dir, FILES.csv));
}

type Ranking = { kind: 'metric'; metric: string; order: 'asc' | 'desc' } | { kind: 'score'; weights: Record<string, number> };

/** The resolved experiment as `experiment.json` stores it (the fields the report uses). */
interface ExperimentJson {
  readonly name: string;
  readonly description?: string;
  readonly data: readonly { readonly file: string; readonly symbol?: string; readonly from?: string; readonly to?: string; readonly repair?: unknown }[];
  readonly strategy: string;
  readonly fixedParams?: Readonly<Record<string, number | boolean | string>>;
  readonly sweep: Readonly<Record<string, unknown>>;
  readonly constraints?: readonly string[];
  readonly options?: Readonly<Record<string, unknown>> & { readonly initialCapital?: number; readonly costs?: Readonly<Record<string, unknown>> };
  readonly ranking: Ranking;
  readonly filters?: Readonly<Record<string, number>>;
}

/** The results table as columns: `cell`, each swept param, each metric (and `score` for a composite ranking). */
export interface GridTable {
  readonly params: readonly string[];
  readonly metrics: readonly string[];
  readonly columns: Record<string, (number | string | boolean | null)[]>;
  readonly digests: readonly string[];
}

/** Metric titles with units (account currency `cur`). */
export function metricTitle(metric: string, cur = 'USD'): string {
  const titles: Record<string, string> = {
    finalEquity: `Final equity (${cur})`, totalReturnPct: 'Total return (%)', cagrPct: 'CAGR (%)', volatilityPct: 'Volatility, annualized (%)',
    sharpe: 'Sharpe ratio (annualized)', sortino: 'Sortino ratio (annualized)', maxDrawdownPct: 'Max drawdown (%)',
    maxDrawdownDurationBars: 'Longest drawdown (bars)', maxDrawdownDurationDays: 'Longest drawdown (days)', calmar: 'Calmar ratio (CAGR ÷ max drawdown)',
    tradesClosed: 'Closed trades (count)', tradesOpen: 'Open trades (count)', winRatePct: 'Win rate (%)', profitFactor: 'Profit factor (gross win ÷ gross loss)',
    expectancy: `Expectancy (${cur} per trade)`, avgWin: `Average win (${cur})`, avgLoss: `Average loss (${cur})`, bestTrade: `Best trade (${cur})`,
    worstTrade: `Worst trade (${cur})`, sqn: 'SQN (system quality number)', exposurePct: 'Exposure (% of bars)', turnover: 'Turnover (traded value ÷ capital)',
    feesPaid: `Fees paid (${cur})`, slippagePaid: `Slippage paid (${cur})`, score: 'Composite score (Σ weight × metric)',
  };
  return titles[metric] ?? metric;
}

const LOWER_IS_BETTER = new Set(['volatilityPct', 'maxDrawdownPct', 'maxDrawdownDurationBars', 'maxDrawdownDurationDays', 'feesPaid', 'slippagePaid']);

/** Rounds to 6 significant digits for compact embedded JSON (non-finite → null). */
export function sig6(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return Number(value.toPrecision(6));
}

function readJson<T>(path: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read (${error instanceof Error ? error.message : String(error)}) — is this a grid results folder (replaylab grid --out)?`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * Reads `results.csv` as columns. Params are the columns between `cell` and the first metric; a
 * param column is boolean when every value is `true`/`false`, numeric when every value is a
 * number, text otherwise. Metrics are numbers (empty = null).
 */
export function readResultsTable(text: string): GridTable {
  const lines = text.split('\n').filter((l) => l !== '');
  const header = splitCsvLine(lines[0] ?? '');
  const firstMetric = header.indexOf(METRIC_COLUMNS[0]);
  if (header[0] !== 'cell' || firstMetric < 1) throw new Error('results.csv: unexpected header (expected cell, the params, the metrics, digest)');
  const params = header.slice(1, firstMetric);
  const metrics = header.slice(firstMetric, header.length - 1);
  const rows = lines.slice(1).map((l) => splitCsvLine(l));
  const columns: Record<string, (number | string | boolean | null)[]> = { cell: rows.map((r) => Number(r[0])) };
  params.forEach((name, k) => {
    const raw = rows.map((r) => r[1 + k] ?? '');
    if (raw.every((v) => v === 'true' || v === 'false')) columns[name] = raw.map((v) => v === 'true');
    else if (raw.every((v) => v !== '' && Number.isFinite(Number(v)))) columns[name] = raw.map(Number);
    else columns[name] = raw;
  });
  metrics.forEach((name, k) => {
    columns[name] = rows.map((r) => {
      const v = r[firstMetric + k] ?? '';
      return v === '' ? null : Number(v);
    });
  });
  return { params, metrics, columns, digests: rows.map((r) => r[r.length - 1] ?? '') };
}

/** Σ weight × metric per cell (null when any weighted metric is null), as the grid ranks a composite score. */
function scoreColumn(table: GridTable, weights: Readonly<Record<string, number>>): (number | null)[] {
  const n = table.digests.length;
  return Array.from({ length: n }, (_, i) => {
    let sum = 0;
    for (const [name, w] of Object.entries(weights)) {
      const v = table.columns[name]?.[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) return null;
      sum += w * v;
    }
    return sum;
  });
}

function passesFilters(table: GridTable, i: number, filters: Readonly<Record<string, number>>): boolean {
  const value = (name: string): number | null => {
    const v = table.columns[name]?.[i];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const atLeast = (name: string, bound: number | undefined) => bound === undefined || (value(name) ?? -Infinity) >= bound;
  if (!atLeast('tradesClosed', filters['minTrades'])) return false;
  if (!atLeast('winRatePct', filters['minWinRatePct'])) return false;
  if (!atLeast('totalReturnPct', filters['minReturnPct'])) return false;
  if (!atLeast('sharpe', filters['minSharpe'])) return false;
  const maxDd = filters['maxDrawdownPct'];
  if (maxDd !== undefined) {
    const dd = value('maxDrawdownPct');
    if (dd === null || dd > maxDd) return false;
  }
  return true;
}

const FILTER_LABELS: Record<string, (v: number) => string> = {
  minTrades: (v) => `closed trades ≥ ${v}`,
  minWinRatePct: (v) => `win rate ≥ ${v} %`,
  minReturnPct: (v) => `total return ≥ ${v} %`,
  minSharpe: (v) => `Sharpe ≥ ${v}`,
  maxDrawdownPct: (v) => `max drawdown ≤ ${v} %`,
};

/** Quotes a shell argument when it needs it (POSIX single quotes). */
function shellArg(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

const FLAG_COSTS: Record<string, string> = { commissionRate: '--commission-rate', slippageBps: '--slippage-bps' };

/**
 * The `replaylab backtest` command that reruns one cell as a full single run with its report, and
 * (when the experiment uses settings the flags cannot express: several data files, other costs,
 * fills, leverage, …) the run spec JSON to pass instead.
 */
export function cellBacktestCommand(input: {
  readonly experiment: ExperimentJson;
  readonly manifest: GridManifest | undefined;
  readonly params: Readonly<Record<string, number | boolean | string>>;
  readonly outDir: string;
}): { command: string; runSpec: Record<string, unknown> | undefined } {
  const { experiment, manifest } = input;
  const experimentFile = manifest?.experiment.file ?? null;
  const dataFile = (i: number, file: string): string => {
    const stored = manifest?.data[i]?.file;
    if (stored !== undefined && isAbsolute(stored)) return stored;
    if (isAbsolute(file) || experimentFile === null) return file;
    return resolve(dirname(experimentFile), file);
  };
  const params = { ...(experiment.fixedParams ?? {}), ...input.params };
  const options = experiment.options ?? {};
  const costs = options.costs ?? {};
  const data = experiment.data.map((d, i) => ({ ...d, file: dataFile(i, d.file) }));
  const otherOptions = Object.keys(options).filter((k) => k !== 'costs' && k !== 'initialCapital');
  const otherCosts = Object.keys(costs).filter((k) => FLAG_COSTS[k] === undefined);
  const needsSpec = data.length !== 1 || data[0]!.repair !== undefined || otherOptions.length > 0 || otherCosts.length > 0;
  if (needsSpec) {
    const spec: Record<string, unknown> = { data, strategy: experiment.strategy, params };
    if (options.initialCapital !== undefined) spec['capital'] = options.initialCapital;
    if (Object.keys(costs).length > 0) spec['costs'] = costs;
    // Engine option names are run-spec field names, except the fill rule's (`fills.ambiguity`).
    for (const k of otherOptions) {
      if (k === 'ambiguity') spec['fills'] = { ambiguity: options[k] };
      else spec[k] = options[k];
    }
    return { command: `replaylab backtest cell.json --out ${shellArg(input.outDir)} --report`, runSpec: spec };
  }
  const d = data[0]!;
  const args = ['replaylab', 'backtest', '--strategy', experiment.strategy, '--data', d.file];
  if (d.symbol !== undefined) args.push('--symbol', d.symbol);
  if (d.from !== undefined) args.push('--from', d.from);
  if (d.to !== undefined) args.push('--to', d.to);
  for (const [name, value] of Object.entries(params)) args.push('--param', `${name}=${String(value)}`);
  if (options.initialCapital !== undefined) args.push('--capital', String(options.initialCapital));
  for (const [k, v] of Object.entries(costs)) args.push(FLAG_COSTS[k]!, String(v));
  args.push('--out', input.outDir, '--report');
  return { command: args.map(shellArg).join(' '), runSpec: undefined };
}

const LEADERBOARD_METRICS = ['totalReturnPct', 'cagrPct', 'sharpe', 'sortino', 'maxDrawdownPct', 'calmar', 'tradesClosed', 'winRatePct', 'profitFactor', 'exposurePct'] as const;

function fmtMetric(metric: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (metric.endsWith('Pct')) return formatPct(value);
  if (metric === 'tradesClosed' || metric === 'tradesOpen' || metric.startsWith('maxDrawdownDuration')) return formatNumber(value, 0);
  if (['finalEquity', 'expectancy', 'avgWin', 'avgLoss', 'bestTrade', 'worstTrade', 'feesPaid', 'slippagePaid'].includes(metric)) return formatNumber(value, 2);
  return formatNumber(value, 3);
}

function signClass(value: number | null | undefined): string {
  return value === null || value === undefined || value === 0 ? '' : value > 0 ? ' class="pos"' : ' class="neg"';
}

/**
 * Builds the self-contained HTML report of a grid results folder (`replaylab grid --out DIR`):
 * leaderboard, an interactive parameter heatmap, the distribution of the ranking metric, the
 * overfitting checks (trials, Deflated Sharpe Ratio, PBO, plateau) and the command that reruns the
 * best cell as a full single-run report. Reads only the folder's files. Throws an `Error` naming a
 * missing or unreadable file.
 */
export async function buildGridReport(dir: string): Promise<string> {
  const summary = readJson<GridSummary>(join(dir, FILES.summary));
  const experiment = readJson<ExperimentJson>(join(dir, FILES.experiment));
  const manifestPath = join(dir, FILES.manifest);
  const manifest = existsSync(manifestPath) ? readJson<GridManifest>(manifestPath) : undefined;
  let csv: string;
  try {
    csv = readFileSync(join(dir, FILES.csv), 'utf8');
  } catch (error) {
    throw new Error(`${join(dir, FILES.csv)}: cannot read (${error instanceof Error ? error.message : String(error)})`);
  }
  const table = readResultsTable(csv);
  const ranking = experiment.ranking;
  const filters = experiment.filters ?? {};
  const n = table.digests.length;

  // the ranking metric (a composite ranking adds a `score` column), its order and every metric's
  const metrics = [...table.metrics];
  let rankMetric: string;
  if (ranking.kind === 'score') {
    table.columns['score'] = scoreColumn(table, ranking.weights);
    metrics.unshift('score');
    rankMetric = 'score';
  } else rankMetric = ranking.metric;
  const order: Record<string, 'asc' | 'desc'> = {};
  for (const m of metrics) order[m] = LOWER_IS_BETTER.has(m) ? 'asc' : 'desc';
  if (ranking.kind === 'metric') order[rankMetric] = ranking.order;
  const titles: Record<string, string> = {};
  for (const m of metrics) titles[m] = metricTitle(m);

  const filterEntries = Object.entries(filters).filter(([, v]) => typeof v === 'number');
  const passed = Array.from({ length: n }, (_, i) => (passesFilters(table, i, filters) ? 1 : 0));
  const best = summary.top[0];
  const cur = 'USD';

  // compact embedded data: columns as arrays, numbers to 6 significant digits
  const columns: Record<string, GridColumn> = { cell: table.columns['cell']! };
  for (const p of table.params) {
    const col = table.columns[p]!;
    columns[p] = col.map((v) => (typeof v === 'number' ? sig6(v) : v));
  }
  for (const m of metrics) columns[m] = table.columns[m]!.map((v) => (typeof v === 'number' ? sig6(v) : null));
  const data = {
    grid: { params: table.params, metrics, titles, order, rankMetric, columns, passed: filterEntries.length > 0 ? passed : null },
  };

  const sections: ReportSection[] = [];

  // ---- leaderboard
  const shownMetrics: string[] = [...LEADERBOARD_METRICS];
  if (ranking.kind === 'metric' && !shownMetrics.includes(rankMetric)) shownMetrics.unshift(rankMetric);
  const rankingText = ranking.kind === 'metric'
    ? `ranked by <b>${escapeHtml(rankMetric)}</b> ${ranking.order === 'desc' ? 'descending (higher is better)' : 'ascending (lower is better)'}`
    : `ranked by the composite score ${escapeHtml(Object.entries(ranking.weights).map(([m, w]) => `${w} × ${m}`).join(' + '))} (higher is better)`;
  const filterText = filterEntries.length === 0
    ? '(no quality filters set)'
    : `the quality filters (${escapeHtml(filterEntries.map(([k, v]) => FILTER_LABELS[k]?.(v) ?? `${k} ${v}`).join(', '))})`;
  const head = ['Rank', 'Cell', ...table.params, ...(ranking.kind === 'score' ? ['Score'] : []), ...shownMetrics.map((m) => metricTitle(m, cur)), 'Digest'];
  const body = summary.top.map((t) => {
    const cells = [
      `<td>${t.rank}</td>`, `<td>${t.cell}</td>`,
      ...table.params.map((p) => `<td>${escapeHtml(String(t.params[p] ?? '–'))}</td>`),
      ...(ranking.kind === 'score' ? [`<td>${formatNumber(t.score, 3)}</td>`] : []),
      ...shownMetrics.map((m) => {
        const v = (t.metrics as Readonly<Record<string, number | null>>)[m];
        const signed = m === 'totalReturnPct' || m === 'cagrPct' || m === 'sharpe';
        return `<td${signed ? signClass(v) : ''}>${fmtMetric(m, v)}</td>`;
      }),
      `<td><code title="${escapeHtml(t.digest)}">${escapeHtml(t.digest.slice(0, 12))}</code></td>`,
    ];
    return `<tr${t.rank === 1 ? ' data-best="1"' : ''}>${cells.join('')}</tr>`;
  });
  sections.push({
    id: 'leaderboard',
    title: `Leaderboard (top ${summary.top.length})`,
    html: `<p class="note">${summary.cells} cells, <span data-metric="passed">${summary.passed}</span> passed ${filterText}; ${rankingText}.</p>
<div class="scroll"><table id="leaderboard-table"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></div>`,
  });

  // ---- heatmap
  if (table.params.length >= 2) {
    const [x0, y0] = [table.params[0]!, table.params[1]!];
    const heatColumns = filterEntries.length > 0 ? filterColumns(columns, passed) : columns;
    const spec = gridHeatmapSpec({ columns: heatColumns, params: table.params, x: x0, y: y0, metric: rankMetric, order: order[rankMetric]!, metricTitle: titles[rankMetric]! });
    const options = (names: readonly string[], selected: string, label: (s: string) => string = (s) => s) =>
      names.map((s) => `<option value="${escapeHtml(s)}"${s === selected ? ' selected' : ''}>${escapeHtml(label(s))}</option>`).join('');
    const others = table.params.length > 2
      ? `With ${table.params.length} swept params, each square shows the <b>best</b> value (max for metrics where higher is better, min where lower is better) over the params not on the axes.`
      : 'Each square is one cell.';
    sections.push({
      id: 'heatmap-section',
      title: 'Parameter heatmap',
      html: `<p class="note">Pick any two swept params and a metric. ${others} Grey squares: the metric is undefined for every cell there. Missing squares: no cell (constraints).</p>
<p><label>x <select id="heatmap-x">${options(table.params, x0)}</select></label>
<label>y <select id="heatmap-y">${options(table.params, y0)}</select></label>
<label>metric <select id="heatmap-metric">${options(metrics, rankMetric, (m) => `${m} — ${titles[m]!}`)}</select></label>
${filterEntries.length > 0 ? '<label><input type="checkbox" id="heatmap-filtered" checked> only cells passing the filters</label>' : ''}</p>
<div id="heatmap" class="chart" data-heatmap-pair="${escapeHtml(`${x0}×${y0}`)}" data-heatmap-metric="${escapeHtml(rankMetric)}"></div>`,
      charts: [{ id: 'heatmap', spec }],
      script: heatmapScript(),
    });
  } else {
    sections.push({ id: 'heatmap-section', title: 'Parameter heatmap', html: `<p class="note">The grid sweeps ${table.params.length} param(s); the heatmap needs two.</p>` });
  }

  // ---- distribution
  const rankValues = (table.columns[rankMetric] ?? []).map((v) => (typeof v === 'number' ? sig6(v) : null));
  sections.push({
    id: 'distribution',
    title: `Distribution of ${rankMetric}`,
    html: `<p class="note">${escapeHtml(titles[rankMetric]!)} of every cell (all ${n}, filters not applied); the red rule marks the best ranked cell${best === undefined ? '' : ` (cell ${best.cell}: ${fmtMetric(rankMetric, best.score)})`}.</p>
<div id="metric-histogram" class="chart"></div>`,
    charts: [{ id: 'metric-histogram', spec: metricHistogramSpec(rankValues, { metric: rankMetric, metricTitle: titles[rankMetric]!, best: best?.score ?? null }) }],
  });

  // ---- overfitting
  sections.push({ id: 'overfitting', title: 'Overfitting checks', html: overfittingHtml(summary, rankMetric) });
  // ---- regimes (only when the results carry regime data, e.g. a regime playbook)
  const regimes = regimeSection(summary);
  if (regimes !== undefined) sections.push(regimes);

  // ---- best cell rerun
  if (best !== undefined) {
    const out = `runs/${experiment.name}-cell-${best.cell}`;
    const { command, runSpec } = cellBacktestCommand({ experiment, manifest, params: best.params, outDir: out });
    sections.push({
      id: 'best-cell',
      title: `Best cell (cell ${best.cell}): full report`,
      html: `<p class="note">The grid folder keeps one row of metrics per cell, not its equity curve or trades. This command reruns the best cell alone and writes its full single-run report (equity, drawdown, trades) to <code>${escapeHtml(out)}/</code>; its run digest equals this cell's: <code>${escapeHtml(best.digest)}</code>.</p>
${runSpec === undefined ? '' : `<p class="note">Save this run spec as <code>cell.json</code> (the experiment uses settings that have no command-line flag):</p><pre id="best-cell-spec" style="white-space: pre-wrap"><code>${escapeHtml(JSON.stringify(runSpec, null, 2))}</code></pre>`}
<pre id="best-cell-command" style="white-space: pre-wrap; word-break: break-all"><code>${escapeHtml(command)}</code></pre>
<p class="note">Params: ${table.params.map((p) => `${escapeHtml(p)} = <b>${escapeHtml(String(best.params[p]))}</b>`).join(', ')}.</p>`,
    });
  }

  const subtitle = [
    `${experiment.strategy} · ${n} cells · ${table.params.join(' × ')}`,
    experiment.description,
    manifest === undefined ? undefined : `status ${manifest.status}, finished ${manifest.endedAt ?? '–'}`,
  ].filter((s): s is string => s !== undefined && s !== '').join(' — ');
  return renderPage({ title: `Grid report: ${experiment.name}`, subtitle, sections, data });
}

/** The columns restricted to the cells whose `keep` flag is 1. */
function filterColumns(columns: Readonly<Record<string, GridColumn>>, keep: readonly number[]): Record<string, GridColumn> {
  const out: Record<string, GridColumn> = {};
  for (const [name, col] of Object.entries(columns)) out[name] = col.filter((_, i) => keep[i] === 1);
  return out;
}

function overfittingHtml(summary: GridSummary, rankMetric: string): string {
  const dsr = summary.overfitting.deflatedSharpe;
  const pbo = summary.overfitting.pbo;
  const plateau = summary.plateau;
  const num = (metric: string, value: number | null | undefined, digits: number) =>
    `<span class="value" data-metric="${metric}"${value === null || value === undefined ? '' : ` data-value="${value}"`}>${value === null || value === undefined ? '–' : formatNumber(value, digits)}</span>`;
  const dsrDetail = dsr === null
    ? 'not computed'
    : `cell ${dsr.cell}: Sharpe ${formatNumber(dsr.sharpeAnnualized, 3)} annualized vs ${formatNumber(dsr.expectedMaxSharpeAnnualized, 3)} expected from the best of ${summary.trials} skill-less trials; skew ${formatNumber(dsr.skewness, 2)}, kurtosis ${formatNumber(dsr.kurtosis, 2)}, ${formatNumber(dsr.observations, 0)} daily returns`;
  const pboDetail = pbo === null
    ? 'not computed'
    : `CSCV with ${pbo.partitions} partitions, ${formatNumber(pbo.combinations, 0)} of ${formatNumber(pbo.totalCombinations, 0)} splits; the in-sample best lost money out of sample in ${formatPct(100 * pbo.outOfSampleLossProbability, 1)} of them`;
  const verdicts: Record<string, string> = {
    plateau: 'its neighbours score close to it, so the result does not hinge on the exact params',
    spike: 'its neighbours score much worse, so the result may be a lucky parameter choice',
    isolated: 'it has no neighbours in the grid to compare with',
  };
  const plateauHtml = plateau === null
    ? '<p class="note">Plateau check: not computed.</p>'
    : `<p>Plateau check of the best cell (cell ${plateau.cell}, ${escapeHtml(rankMetric)} ${formatNumber(plateau.score, 4)}): <b data-metric="plateau">${escapeHtml(plateau.verdict)}</b> — ${escapeHtml(verdicts[plateau.verdict] ?? plateau.verdict)}.
${plateau.neighbours} neighbouring cells (one step on one param), mean ${formatNumber(plateau.neighbourMean, 4)}, min ${formatNumber(plateau.neighbourMin, 4)};
${plateau.shareWithinTolerance === null ? '–' : formatPct(100 * plateau.shareWithinTolerance, 0)} of them within ${formatPct(100 * plateau.tolerance, 0)} of its score.</p>`;
  const notes = summary.overfitting.notes.length === 0 ? '' : `<ul class="note">${summary.overfitting.notes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`;
  return `<div class="cards">
<div class="card"><div class="label">Trials</div>${num('trials', summary.trials, 0)}</div>
<div class="card"><div class="label">Deflated Sharpe Ratio (DSR)</div>${num('dsr', dsr?.dsr, 3)}</div>
<div class="card"><div class="label">Probability of Backtest Overfitting (PBO)</div>${num('pbo', pbo?.pbo, 3)}</div>
</div>
<p><b>Trials</b> is the number of parameter combinations tried: the more are tried, the better the best one looks by luck alone.</p>
<p><b>Deflated Sharpe Ratio</b>: the probability that the best cell's true Sharpe ratio beats what the best of ${summary.trials} skill-less trials would reach by luck, given its track length, skew and fat tails — near 1 is convincing, below 0.95 is not. <span class="note">(${escapeHtml(dsrDetail)}.)</span></p>
<p><b>Probability of Backtest Overfitting</b>: the share of in-sample/out-of-sample splits of the history where the cell that is best in-sample ranks below the median out-of-sample — near 0 is good, 0.5 or more means choosing by this grid is no better than chance. <span class="note">(${escapeHtml(pboDetail)}.)</span></p>
${plateauHtml}${notes}`;
}

/** The heatmap section script: rebuilds the spec from `window.replaylab.data.grid` when a select changes. */
function heatmapScript(): string {
  return `(function () {
  var gridHeatmapSpec = ${gridHeatmapSpec.toString()};
  var g = window.replaylab.data.grid;
  var sx = document.getElementById('heatmap-x'), sy = document.getElementById('heatmap-y'), sm = document.getElementById('heatmap-metric');
  var sf = document.getElementById('heatmap-filtered');
  var el = document.getElementById('heatmap');
  var prev = { x: sx.value, y: sy.value };
  function columns() {
    if (!sf || !sf.checked || !g.passed) return g.columns;
    var out = {};
    Object.keys(g.columns).forEach(function (name) { out[name] = g.columns[name].filter(function (_, i) { return g.passed[i] === 1; }); });
    return out;
  }
  function render(changed) {
    if (sx.value === sy.value) {
      if (changed === 'x') sy.value = prev.x; else sx.value = prev.y;
    }
    prev = { x: sx.value, y: sy.value };
    var x = sx.value, y = sy.value, m = sm.value;
    var spec = gridHeatmapSpec({ columns: columns(), params: g.params, x: x, y: y, metric: m, order: g.order[m], metricTitle: g.titles[m] });
    return window.replaylab.embed('heatmap', spec).then(function () {
      el.setAttribute('data-heatmap-pair', x + '\\u00d7' + y);
      el.setAttribute('data-heatmap-metric', m);
    });
  }
  window.replaylab.renderHeatmap = render;
  sx.addEventListener('change', function () { render('x'); });
  sy.addEventListener('change', function () { render('y'); });
  sm.addEventListener('change', function () { render('m'); });
  if (sf) sf.addEventListener('change', function () { render('f'); });
})();`;
}
