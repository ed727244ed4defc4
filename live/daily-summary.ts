import type { Engine } from '../engine/engine.js';

const DAY_MS = 86_400_000;

/** One finished session of a paper run. */
export interface DaySummary {
  /** The session's date (UTC, after the run's `sessionOffsetMs`), `YYYY-MM-DD`. */
  readonly date: string;
  /** Equity at the session's last step. */
  readonly equity: number;
  /** Equity change since the previous session's end (the run's start for the first). */
  readonly pnl: number;
  /** Trades closed in the session. */
  readonly trades: number;
  /** Σ R multiples of those trades that had a known entry risk. */
  readonly r: number;
}

/**
 * Daily summaries of a paper run: after each step, {@link DailySummaries.afterStep} reports the
 * session that just ended (the step's session differs from the previous step's), so a summary is
 * given at each session end as the run sees it — at the first bar of the next session, or when the
 * feed ends ({@link DailySummaries.finish}). Reads the engine only.
 */
export class DailySummaries {
  private day = Number.NaN;
  private lastEquity = 0;
  private dayStartEquity = 0;
  private tradesSeen = 0;
  /** Live steps seen in the current session (a session of warm-up bars only is not summarised). */
  private steps = 0;

  constructor(private readonly engine: Engine) {
    this.lastEquity = engine.portfolio.equity();
    this.dayStartEquity = this.lastEquity;
    this.tradesSeen = engine.portfolio.tradeLog.length;
    const t = engine.clock.step >= 0 ? engine.clock.timeMs : Number.NaN;
    this.day = Number.isNaN(t) ? Number.NaN : this.dayOf(t);
  }

  /** After a step: the summary of the session that ended before it, if one did. */
  afterStep(): DaySummary | undefined {
    const timeMs = this.engine.clock.timeMs;
    const day = this.dayOf(timeMs);
    let ended: DaySummary | undefined;
    if (!Number.isNaN(this.day) && day !== this.day) {
      const summary = this.close(this.engine.portfolio.tradeLog.length - this.closedThisStep());
      if (this.steps > 0) ended = summary;
    }
    if (day !== this.day) {
      this.day = day;
      this.steps = 0;
    }
    this.steps++;
    this.lastEquity = this.engine.portfolio.equity();
    return ended;
  }

  /** At the end of the run: the summary of the last (possibly unfinished) session, if any step ran. */
  finish(): DaySummary | undefined {
    return Number.isNaN(this.day) || this.steps === 0 ? undefined : this.close(this.engine.portfolio.tradeLog.length);
  }

  /** Trades closed at the current step (they belong to the new session). */
  private closedThisStep(): number {
    const log = this.engine.portfolio.tradeLog;
    const step = this.engine.clock.step;
    let n = 0;
    for (let i = log.length - 1; i >= 0 && log.exitStepOf(i) === step; i--) n++;
    return n;
  }

  private close(tradesEnd: number): DaySummary {
    const log = this.engine.portfolio.tradeLog;
    let r = 0;
    for (let i = this.tradesSeen; i < tradesEnd; i++) {
      const risk = log.initialRiskOf(i);
      if (risk > 0) r += log.pnl(i) / risk;
    }
    const summary: DaySummary = {
      date: new Date(this.day * DAY_MS).toISOString().slice(0, 10),
      equity: this.lastEquity,
      pnl: this.lastEquity - this.dayStartEquity,
      trades: tradesEnd - this.tradesSeen,
      r,
    };
    this.tradesSeen = tradesEnd;
    this.dayStartEquity = this.lastEquity;
    return summary;
  }

  private dayOf(timeMs: number): number {
    return Math.floor((timeMs + this.engine.config.sessionOffsetMs) / DAY_MS);
  }
}
