import type { DataProblem } from './data-error.js';
import { latin1, parseNumberText, scan, scanNumber, ScanStatus } from './parse-number.js';
import { parseIsoTime, scanIsoTime } from './parse-time.js';

/** Epoch numbers below this magnitude are seconds, at or above it milliseconds (1e11 s ≈ year 5138). */
export const EPOCH_SECONDS_LIMIT = 1e11;

/**
 * Epoch seconds → ms, rounded to the microsecond: `1577836800.123 * 1000` is 1577836800123.0002
 * in binary, and that float noise must not leak into timestamps.
 */
export function epochSecondsToMs(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e3;
}

/** How the time column of one file is written; decided once, from the first row that parses. */
export type TimeFormat = 'unknown' | 'iso' | 'epoch-s' | 'epoch-ms';

/**
 * Parses the time cells of one CSV file into epoch ms UTC. The first parsable cell fixes the format
 * (ISO text, epoch seconds or epoch milliseconds); later cells in another format are rejected, so
 * a file never mixes units silently. Stateful, hence a class.
 */
export class TimeReader {
  /** The format decided so far. */
  format: TimeFormat = 'unknown';
  /** Epoch value of the row that decided an epoch format (for messages). */
  private decidedBy = 0;
  /** Set by `parse` when a cell is a number of the wrong magnitude. */
  private magnitudeMismatch = false;
  /** Set by `parseText` when the first cell looks like a compact `YYYYMMDD` date. */
  private compactDate = false;

  /** @param column lower-cased header name of the time column, used in messages. */
  constructor(private readonly column: string) {}

  /** Parses `buf[start, end)` (may have surrounding spaces); NaN when invalid (see {@link problem}). */
  parse(buf: Uint8Array, start: number, end: number): number {
    let a = start;
    let b = end;
    while (a < b && (buf[a] === 32 || buf[a] === 9)) a++;
    while (b > a && (buf[b - 1] === 32 || buf[b - 1] === 9)) b--;
    this.magnitudeMismatch = false;
    if (this.format === 'iso') {
      const fast = scanIsoTime(buf, a, b);
      return Number.isNaN(fast) ? parseIsoTime(latin1(buf, a, b)) : fast;
    }
    if (this.format === 'unknown') return this.parseText(latin1(buf, a, b));
    const value = scanNumber(buf, a, b);
    if (scan.status !== ScanStatus.Ok || scan.end !== b || !Number.isFinite(value)) return Number.NaN;
    return this.fromEpoch(value);
  }

  /** Parses a cell's text (used for quoted cells and for the first row). NaN when invalid. */
  parseText(text: string): number {
    this.magnitudeMismatch = false;
    const trimmed = text.trim();
    if (this.format === 'iso' || (this.format === 'unknown' && /^[+-]?\d{4}-/.test(trimmed))) {
      const ms = parseIsoTime(trimmed);
      if (!Number.isNaN(ms)) this.format = 'iso';
      return ms;
    }
    // 20200102 would otherwise read as epoch seconds in August 1970.
    this.compactDate = this.format === 'unknown' && /^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(trimmed);
    if (this.compactDate) return Number.NaN;
    const value = parseNumberText(trimmed);
    if (typeof value !== 'number' || !Number.isFinite(value)) return Number.NaN;
    if (this.format === 'unknown') {
      this.format = Math.abs(value) < EPOCH_SECONDS_LIMIT ? 'epoch-s' : 'epoch-ms';
      this.decidedBy = value;
    }
    return this.fromEpoch(value);
  }

  private fromEpoch(value: number): number {
    const seconds = Math.abs(value) < EPOCH_SECONDS_LIMIT;
    if (seconds !== (this.format === 'epoch-s')) {
      this.magnitudeMismatch = true;
      return Number.NaN;
    }
    return seconds ? epochSecondsToMs(value) : value;
  }

  /** The problem to report for a cell `text` that {@link parse} rejected. */
  problem(text: string): Omit<DataProblem, 'line'> {
    const field = this.column;
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    if (text.trim() === '') return { field, reason: `${field} is empty`, fix: 'fill in the time or pass --repair drop' };
    if (this.compactDate) {
      return { field, reason: `${field} "${shown}" looks like a compact YYYYMMDD date, which is ambiguous with epoch seconds`, fix: 'write dates as YYYY-MM-DD' };
    }
    if (this.magnitudeMismatch) {
      const unit = this.format === 'epoch-s' ? 'seconds' : 'milliseconds';
      const other = this.format === 'epoch-s' ? 'milliseconds' : 'seconds';
      return {
        field,
        reason: `${field} ${shown} looks like epoch ${other} but the file uses epoch ${unit} (first row: ${this.decidedBy})`,
        fix: `use one unit for the whole column or pass --repair drop`,
      };
    }
    const expected =
      this.format === 'iso' || this.format === 'unknown'
        ? 'an ISO date or date-time (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]) or epoch seconds/milliseconds'
        : `epoch ${this.format === 'epoch-s' ? 'seconds' : 'milliseconds'} like the first row`;
    return { field, reason: `${field} "${shown}" is not ${expected}`, fix: 'fix the value or pass --repair drop' };
  }
}
