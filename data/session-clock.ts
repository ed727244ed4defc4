import { DAY_MS } from './parse-time.js';

/** Session open used for intraday synthetic bars: 14:30 UTC (09:30 New York in winter). */
export const SESSION_OPEN_MS = (14 * 60 + 30) * 60_000;
/** Session length used for intraday synthetic bars: 390 minutes. */
export const SESSION_MS = 390 * 60_000;

/** Day of the week of a day number since 1970-01-01: 0 = Sunday … 6 = Saturday. */
export function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/**
 * Walks bar timestamps over weekdays: one bar per weekday at 00:00 UTC when the interval is a day
 * or more, else bars over the 14:30–21:00 UTC session stamped at their close. Stateful cursor.
 */
export class SessionClock {
  /** Timestamp of the current bar, epoch ms UTC (valid after the first `next()`). */
  timeMs = Number.NaN;
  private day = 0;
  private slot = 0;
  private readonly barsPerSession: number;

  /**
   * @param startMs epoch ms; bars start on this date (or the next weekday).
   * @param intervalMs bar length; below a day it must divide the 390-minute session.
   */
  constructor(startMs: number, private readonly intervalMs: number) {
    if (!Number.isFinite(startMs)) throw new RangeError(`start must be a finite epoch ms, got ${startMs}`);
    const daily = intervalMs >= DAY_MS;
    if (!Number.isInteger(intervalMs) || intervalMs <= 0 || (!daily && SESSION_MS % intervalMs !== 0)) {
      throw new RangeError(`interval must be 1 day or divide the 390-minute session evenly, got ${intervalMs} ms`);
    }
    this.barsPerSession = daily ? 1 : SESSION_MS / intervalMs;
    this.day = Math.floor(startMs / DAY_MS) - 1;
    this.slot = this.barsPerSession - 1;
  }

  /** Advances to the next bar; returns true when that bar opens a new session (day). */
  next(): boolean {
    this.slot++;
    const newSession = this.slot >= this.barsPerSession;
    if (newSession) {
      this.slot = 0;
      do this.day++;
      while (weekday(this.day) === 0 || weekday(this.day) === 6);
    }
    const dayMs = this.day * DAY_MS;
    this.timeMs = this.barsPerSession === 1 ? dayMs : dayMs + SESSION_OPEN_MS + (this.slot + 1) * this.intervalMs;
    return newSession;
  }
}
