import type { DataLocation } from './data-error.js';

/** Opt-in repairs: `drop` bad rows (and later duplicate times), `sort` rows by time (stable), or both. */
export type Repair = 'drop' | 'sort' | 'sort,drop' | 'drop,sort';

/** Parses a `--repair` value; `undefined` when it is not one of `drop`, `sort`, `sort,drop`. */
export function parseRepair(text: string): Repair | undefined {
  const parts = new Set(text.split(',').map((part) => part.trim().toLowerCase()));
  if (parts.size === 0 || [...parts].some((part) => part !== 'drop' && part !== 'sort')) return undefined;
  return parts.has('drop') && parts.has('sort') ? 'sort,drop' : parts.has('drop') ? 'drop' : 'sort';
}

/** One change a repair made to the data. */
export interface RepairAction {
  /** Line (CSV) or row (columnar) of the affected row in the source file. */
  readonly line: number;
  /** `dropped`: the row is not in the output; `moved`: the time sort moved it. */
  readonly action: 'dropped' | 'moved';
  /** Why, e.g. `high 10.5 < low 11`. */
  readonly reason: string;
}

/** Everything a repair changed. Empty `actions` means the data was used as is. */
export interface RepairReport {
  readonly file: string;
  readonly location: DataLocation;
  /** Every change, ordered by line. */
  readonly actions: readonly RepairAction[];
  /** Number of rows dropped. */
  readonly dropped: number;
  /** Number of rows the sort moved (fewest rows whose move explains the new order). */
  readonly moved: number;
  /** Data rows in the file (parsed or not). */
  readonly rowsIn: number;
  /** Rows in the returned bars. */
  readonly rowsOut: number;
}

/** Formats a report: a summary line, then up to `limit` changes as `file:line: dropped (reason)`. */
export function formatRepairReport(report: RepairReport, limit = 20): string {
  const { dropped, moved } = report;
  if (report.actions.length === 0) return `${report.file}: no repairs needed (${report.rowsOut} rows)`;
  const head = `${report.file}: repaired ${report.rowsIn} rows → ${report.rowsOut}: dropped ${dropped}, moved ${moved}`;
  const where = (line: number): string => (report.location === 'line' ? `${report.file}:${line}:` : `${report.file}: row ${line}:`);
  const lines = report.actions.slice(0, limit).map((a) => `${where(a.line)} ${a.action} (${a.reason})`);
  if (report.actions.length > limit) lines.push(`… and ${report.actions.length - limit} more changes`);
  return [head, ...lines].join('\n');
}
