import { DataError, type DataLocation, type DataProblem } from './data-error.js';
import { formatOf, readRawBars, type DataFormat } from './load.js';
import { findGaps, medianInterval, type GapSummary } from './gaps.js';
import { sourceLine, type RawBars } from './raw-bars.js';
import { checkRow, orderProblem } from './row-checks.js';
import { makeRowTest } from './validate.js';
import { DAY_MS, formatTime } from './parse-time.js';

/** Range of one column over the rows that could be read. */
export interface ColumnSummary {
  /** Lower-cased column name (`time` for the time column). */
  readonly name: string;
  /** Smallest finite value (epoch ms for `time`); NaN when the column has none. */
  readonly min: number;
  /** Largest finite value (epoch ms for `time`); NaN when the column has none. */
  readonly max: number;
  /** Number of NaN (empty or null) values. */
  readonly missing: number;
}

/** What {@link inspectBars} found in a file. Never throws on bad rows: they are listed in `problems`. */
export interface InspectReport {
  readonly file: string;
  readonly format: DataFormat | undefined;
  readonly location: DataLocation;
  readonly symbol: string;
  /** Rows that could be read (rows with unparsable values are not counted). */
  readonly rows: number;
  /** First and last time in file order, epoch ms UTC (NaN when there are no rows). */
  readonly firstTimeMs: number;
  readonly lastTimeMs: number;
  readonly columns: readonly ColumnSummary[];
  /** Median of the positive intervals between consecutive rows, ms (NaN with fewer than 2 rows). */
  readonly medianIntervalMs: number;
  readonly gaps: GapSummary;
  /** Up to `maxProblems` problems, by line; the same checks as loading. */
  readonly problems: readonly DataProblem[];
  /** Total problems found (may exceed `problems.length`). */
  readonly problemCount: number;
}

/**
 * Inspects a bar file: row count, time range, per-column min/max, median interval, gaps (missing
 * weekdays for daily data, intervals over 5× the median for intraday) and every problem loading
 * would reject (up to `maxProblems`, default 100, with line numbers). Whole-file problems (missing
 * columns, empty file) are reported as the single problem of an empty report.
 */
export async function inspectBars(path: string, options: { readonly maxProblems?: number } = {}): Promise<InspectReport> {
  const maxProblems = options.maxProblems ?? 100;
  let raw: RawBars;
  try {
    raw = await readRawBars(path, { maxProblems, stopAtMaxProblems: false });
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    const problem: DataProblem = { line: error.line, reason: error.reason, fix: error.fix };
    return emptyReport(path, error.location, [problem]);
  }
  const { problems, count } = rowProblems(raw, maxProblems);
  const merged = [...raw.problems, ...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)).slice(0, maxProblems);
  const { timeMs } = raw.columns;
  const columns: ColumnSummary[] = [summarize('time', timeMs)];
  for (const name of ['open', 'high', 'low', 'close'] as const) columns.push(summarize(name, raw.columns[name]));
  if (raw.columns.volume !== undefined) columns.push(summarize('volume', raw.columns.volume));
  for (const [name, column] of Object.entries(raw.columns.extras ?? {})) columns.push(summarize(name, column));
  const medianIntervalMs = medianInterval(timeMs);
  return {
    file: path,
    format: formatOf(path),
    location: raw.location,
    symbol: raw.columns.symbol,
    rows: raw.length,
    firstTimeMs: raw.length > 0 ? (timeMs[0] as number) : Number.NaN,
    lastTimeMs: raw.length > 0 ? (timeMs[raw.length - 1] as number) : Number.NaN,
    columns,
    medianIntervalMs,
    gaps: findGaps(timeMs, medianIntervalMs),
    problems: merged,
    problemCount: raw.problemCount + count,
  };
}

function emptyReport(path: string, location: DataLocation, problems: DataProblem[]): InspectReport {
  const gaps: GapSummary = { daily: false, count: 0, missingWeekdays: undefined, largest: [] };
  return { file: path, format: formatOf(path), location, symbol: '', rows: 0, firstTimeMs: Number.NaN, lastTimeMs: Number.NaN, columns: [], medianIntervalMs: Number.NaN, gaps, problems, problemCount: problems.length };
}

/** Value and order problems of the readable rows (order is checked against the previous good row). */
function rowProblems(raw: RawBars, max: number): { problems: DataProblem[]; count: number } {
  const problems: DataProblem[] = [];
  let count = 0;
  const rowOk = makeRowTest(raw.columns);
  let lastMs = Number.NEGATIVE_INFINITY;
  let lastLine = 0;
  for (let i = 0; i < raw.length; i++) {
    const t = raw.columns.timeMs[i] as number;
    const line = sourceLine(raw, i);
    const problem = !rowOk(i) ? checkRow(raw.columns, i) : t <= lastMs ? orderProblem(t, lastMs, lastLine, raw.location) : undefined;
    if (problem === undefined) {
      lastMs = t;
      lastLine = line;
      continue;
    }
    count++;
    if (problems.length < max) problems.push({ line, ...problem });
  }
  return { problems, count };
}

function summarize(name: string, column: Float64Array): ColumnSummary {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let missing = 0;
  for (let i = 0; i < column.length; i++) {
    const value = column[i] as number;
    if (Number.isNaN(value)) missing++;
    else if (Number.isFinite(value)) {
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  return min > max ? { name, min: Number.NaN, max: Number.NaN, missing } : { name, min, max, missing };
}

/** Human-readable interval: `1 day`, `1 min`, `90 s`. */
function formatInterval(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms % DAY_MS === 0) return `${ms / DAY_MS} day${ms === DAY_MS ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/** Formats a report as aligned text lines for the terminal. */
export function formatInspectReport(report: InspectReport): string {
  const out: string[] = [`${report.file} (${report.format ?? 'unknown format'}, symbol ${report.symbol || 'n/a'})`];
  out.push(`rows       ${report.rows}`);
  out.push(`first      ${Number.isNaN(report.firstTimeMs) ? 'n/a' : formatTime(report.firstTimeMs)}`);
  out.push(`last       ${Number.isNaN(report.lastTimeMs) ? 'n/a' : formatTime(report.lastTimeMs)}`);
  out.push(`interval   ${formatInterval(report.medianIntervalMs)} (median)`);
  if (report.columns.length > 0) out.push('columns');
  const width = Math.max(6, ...report.columns.map((c) => c.name.length));
  for (const c of report.columns) {
    const show = (v: number): string => (Number.isNaN(v) ? 'n/a' : c.name === 'time' ? formatTime(v) : String(v));
    out.push(`  ${c.name.padEnd(width)}  min ${show(c.min)}  max ${show(c.max)}${c.missing > 0 ? `  missing ${c.missing}` : ''}`);
  }
  const g = report.gaps;
  const gapHead = g.daily ? `${g.missingWeekdays ?? 0} missing weekdays in ${g.count} gaps` : `${g.count} intervals over 5× the median`;
  out.push(`gaps       ${gapHead}`);
  for (const gap of g.largest) {
    const missing = gap.missingWeekdays;
    const detail = missing !== undefined ? `${missing} weekday${missing === 1 ? '' : 's'} missing` : formatInterval(gap.intervalMs);
    out.push(`  ${formatTime(gap.fromMs)} → ${formatTime(gap.toMs)}  ${detail}`);
  }
  out.push(`problems   ${report.problemCount === 0 ? 'none' : report.problemCount}`);
  const where = (p: DataProblem): string => (p.line === undefined ? '' : report.location === 'line' ? `line ${p.line}: ` : `row ${p.line}: `);
  for (const p of report.problems) out.push(`  ${where(p)}${p.reason} — ${p.fix}`);
  if (report.problemCount > report.problems.length) out.push(`  … and ${report.problemCount - report.problems.length} more`);
  return out.join('\n');
}
