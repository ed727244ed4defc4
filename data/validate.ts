import { makeBarSeries, type BarColumns, type BarSeries } from '../engine/bars.js';
import { DataError, type DataProblem } from './data-error.js';
import type { Repair, RepairAction, RepairReport } from './repair.js';

/** Re-exported for callers that import repairs from here (the definitions live in `repair.ts`). */
export { formatRepairReport, parseRepair, type Repair, type RepairAction, type RepairReport } from './repair.js';
import { sourceLine, type RawBars } from './raw-bars.js';
import { checkRow, orderProblem } from './row-checks.js';
import { formatTime } from './parse-time.js';
import { isTimeOrdered, movedRows, sortRowsByTime } from './sort-rows.js';

/** Bars ready for the engine plus what was repaired to get them. */
export interface LoadResult {
  readonly bars: BarSeries;
  readonly repairs: RepairReport;
}

/** Options for {@link validateBars}. */
export interface ValidateOptions {
  /** Repairs to apply instead of failing; default none (the first problem throws). */
  readonly repair?: Repair | undefined;
}

/**
 * Validates raw columns and builds the `BarSeries`. Without `repair`, the first problem in file
 * order (unparsable row, bad prices, time out of order or duplicated) throws a {@link DataError}.
 * With `drop`, bad rows are dropped; with `sort`, rows are stably sorted by time; duplicate times
 * are dropped (later rows) only with `drop`. Every change is listed in the returned report.
 */
export function validateBars(raw: RawBars, options: ValidateOptions = {}): LoadResult {
  const drop = options.repair !== undefined && options.repair.includes('drop');
  const sort = options.repair !== undefined && options.repair.includes('sort');
  const unit = raw.location;
  const fail = (problem: DataProblem): never => {
    throw new DataError(raw.file, problem, unit);
  };
  const firstReadProblem = raw.problems[0];
  if (!drop && firstReadProblem !== undefined) {
    const earlier = firstRowProblem(raw, sort, firstReadProblem.line ?? Number.POSITIVE_INFINITY);
    fail(earlier ?? firstReadProblem);
  }
  const actions: RepairAction[] = raw.problems.map((p) => ({ line: p.line ?? 0, action: 'dropped', reason: p.reason }));
  let rows: Int32Array = new Int32Array(raw.length);
  let kept = 0;
  const { timeMs } = raw.columns;
  let lastMs = Number.NEGATIVE_INFINITY;
  let lastLine = 0;
  const rowOk = makeRowTest(raw.columns);
  for (let i = 0; i < raw.length; i++) {
    const line = sourceLine(raw, i);
    const bad = rowOk(i) ? undefined : checkRow(raw.columns, i);
    const t = timeMs[i] as number;
    const problem = bad ?? (!sort && t <= lastMs ? orderProblem(t, lastMs, lastLine, unit) : undefined);
    if (problem !== undefined) {
      if (!drop) fail({ line, ...problem });
      actions.push({ line, action: 'dropped', reason: problem.reason });
      continue;
    }
    rows[kept++] = i;
    lastMs = t;
    lastLine = line;
  }
  rows = rows.subarray(0, kept);
  if (sort && !isTimeOrdered(rows, timeMs)) {
    for (const i of movedRows(rows, timeMs)) {
      actions.push({ line: sourceLine(raw, i), action: 'moved', reason: `time ${formatTime(timeMs[i] as number)} was out of order` });
    }
    rows = sortRowsByTime(rows, timeMs);
  }
  if (sort) rows = dropDuplicates(raw, rows, drop, actions, fail);
  actions.sort((a, b) => a.line - b.line || (a.action === b.action ? 0 : a.action === 'moved' ? -1 : 1));
  const identity = rows.length === raw.length && !actions.some((a) => a.action === 'moved');
  const columns = identity ? raw.columns : gather(raw.columns, rows);
  const dropped = actions.filter((a) => a.action === 'dropped').length;
  return {
    bars: makeBarSeries(columns),
    repairs: {
      file: raw.file,
      location: unit,
      actions,
      dropped,
      moved: actions.length - dropped,
      rowsIn: raw.length + raw.problemCount,
      rowsOut: rows.length,
    },
  };
}

/** Drops (or, without `drop`, rejects) rows whose time equals the previous row's after sorting. */
function dropDuplicates(raw: RawBars, rows: Int32Array, drop: boolean, actions: RepairAction[], fail: (p: DataProblem) => never): Int32Array {
  const { timeMs } = raw.columns;
  const out = new Int32Array(rows.length);
  let kept = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    const previous = kept > 0 ? (out[kept - 1] as number) : -1;
    if (previous >= 0 && timeMs[i] === timeMs[previous]) {
      const problem = orderProblem(timeMs[i] as number, timeMs[previous] as number, sourceLine(raw, previous), raw.location);
      if (!drop) fail({ line: sourceLine(raw, i), ...problem });
      actions.push({ line: sourceLine(raw, i), action: 'dropped', reason: problem.reason });
      continue;
    }
    out[kept++] = i;
  }
  return out.subarray(0, kept);
}

/** The first row problem (values, and order unless sorting) on a line before `beforeLine`. */
function firstRowProblem(raw: RawBars, sort: boolean, beforeLine: number): DataProblem | undefined {
  let lastMs = Number.NEGATIVE_INFINITY;
  let lastLine = 0;
  const rowOk = makeRowTest(raw.columns);
  for (let i = 0; i < raw.length; i++) {
    const line = sourceLine(raw, i);
    if (line >= beforeLine) return undefined;
    const t = raw.columns.timeMs[i] as number;
    const problem = rowOk(i)
      ? !sort && t <= lastMs
        ? orderProblem(t, lastMs, lastLine, raw.location)
        : undefined
      : checkRow(raw.columns, i);
    if (problem !== undefined) return { line, ...problem };
    lastMs = t;
    lastLine = line;
  }
  return undefined;
}

/**
 * A branch-light test that row `i` is fine, built once per series; `checkRow` explains failures.
 * With low > 0 and high < Infinity, every comparison fails on NaN, so finiteness is covered too.
 */
export function makeRowTest(c: BarColumns): (i: number) => boolean {
  const { timeMs, open, high, low, close, volume } = c;
  const extras = Object.values(c.extras ?? {});
  return (i) => {
    const t = timeMs[i] as number;
    const o = open[i] as number;
    const h = high[i] as number;
    const l = low[i] as number;
    const x = close[i] as number;
    if (!(t - t === 0 && l > 0 && h >= l && h < Infinity && o >= l && o <= h && x >= l && x <= h)) return false;
    if (volume !== undefined) {
      const v = volume[i] as number;
      if (!(v >= 0 && v < Infinity)) return false;
    }
    for (const column of extras) if (Math.abs(column[i] as number) === Infinity) return false;
    return true;
  };
}

/** Copies the rows `rows` (in that order) of every column. */
export function gather(columns: BarColumns, rows: Int32Array): BarColumns {
  const pick = (column: Float64Array): Float64Array => {
    const out = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = column[rows[k] as number] as number;
    return out;
  };
  const extras: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(columns.extras ?? {})) extras[name] = pick(column);
  return {
    symbol: columns.symbol,
    timeMs: pick(columns.timeMs),
    open: pick(columns.open),
    high: pick(columns.high),
    low: pick(columns.low),
    close: pick(columns.close),
    volume: columns.volume === undefined ? undefined : pick(columns.volume),
    extras,
  };
}
