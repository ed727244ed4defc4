import type { Trade } from '../engine/trade.js';
import { AlertTracker } from './alert-tracker.js';
import type { Alert, AlertSink } from './alerts.js';
import { errorAlert, feedWarningAlert, staleFeedAlert, type AlertTime } from './alert-notices.js';
import type { PaperSession } from './paper-session.js';
import { RecentAlerts } from './recent-alerts.js';
import type { FeedState, PositionStatus, StatusSnapshot, SymbolStatus, WorkingOrderStatus } from './status-snapshot.js';
import { wallClock } from './wall-clock.js';

const DAY_MS = 86_400_000;
const STALE_LINE = /^feed: no bar for ([0-9.]+) s$/;

/** Options of {@link PaperMonitor}. */
export interface PaperMonitorOptions {
  /** The run's name (the status page title). */
  readonly name: string;
  /** The feed's description (its spec text). */
  readonly feed: string;
  /** Where alerts go besides the recent-alerts ring; none: alerts only feed the status page. */
  readonly dispatcher?: AlertSink | undefined;
  /**
   * Empty `engine.events` after reading them. Only when nothing else reads them (the `--state`
   * journal reads them inside the step; the paper command empties them itself then).
   */
  readonly discardRead?: boolean;
  /** How many recent alerts the status page shows. */
  readonly recent?: number;
  /** Wall clock for the snapshot (tests). */
  readonly nowMs?: () => number;
}

/**
 * Alerts and status of a running paper session. Build it after the session's warm-up (and any
 * state resume), so replayed events raise no alerts; the session must keep events. Call
 * {@link afterStep} after every live step; it never blocks (sinks queue).
 */
export class PaperMonitor {
  readonly recent: RecentAlerts;
  feedState: FeedState = 'live';
  private readonly tracker: AlertTracker;
  private readonly nowMs: () => number;
  private day = 0;
  private dayStartEquity = 0;
  private lastEquity = 0;

  constructor(
    readonly session: PaperSession,
    private readonly options: PaperMonitorOptions,
  ) {
    this.tracker = new AlertTracker(session.engine, { discardRead: options.discardRead === true });
    this.recent = new RecentAlerts(options.recent);
    this.nowMs = options.nowMs ?? (() => wallClock.nowMs());
    this.day = dayOf(session.lastTimeMs);
    this.lastEquity = session.equity;
    this.dayStartEquity = this.lastEquity;
  }

  /** Takes the alerts of the steps since the last call and sends them; returns them. */
  afterStep(): Alert[] {
    const alerts = this.tracker.take();
    for (const alert of alerts) this.send(alert);
    const day = dayOf(this.session.lastTimeMs);
    if (day !== this.day) {
      this.day = day;
      this.dayStartEquity = this.lastEquity;
    }
    this.lastEquity = this.session.equity;
    if (this.feedState === 'stale') this.feedState = 'live';
    return alerts;
  }

  /** A driver log line (`feed: …`): a WARNING alert; a staleness notice marks the feed stale. */
  feedNotice(line: string): void {
    const stale = STALE_LINE.exec(line);
    if (stale !== null) {
      this.feedState = 'stale';
      this.send(staleFeedAlert(Math.round(Number(stale[1]) * 1000), this.at()));
    } else {
      this.send(feedWarningAlert(line.startsWith('feed: ') ? line.slice('feed: '.length) : line, this.at()));
    }
  }

  /** The feed ended (or the run stopped). */
  feedEnded(): void {
    this.feedState = 'ended';
  }

  /**
   * An ERROR alert: `what` failed with `error`. `toSinks` false: the status page only (a sink's own
   * failure, which sent to the sinks could fail again).
   */
  error(what: string, error: unknown, toSinks = true): void {
    const alert = errorAlert(what, error, this.at());
    if (toSinks) this.send(alert);
    else this.recent.send(alert);
  }

  /** The run as the status page shows it. */
  snapshot(): StatusSnapshot {
    const { session } = this;
    const engine = session.engine;
    const open = engine.portfolio.openTrades();
    const symbols: SymbolStatus[] = session.symbols.map((symbol, s) => {
      const bars = session.bars[s]!;
      const n = bars.length;
      const regime = engine.gate?.regimeOf(s);
      return {
        symbol,
        lastClose: n > 0 ? bars.close[n - 1] : undefined,
        lastBarTimeMs: n > 0 ? bars.timeMs[n - 1] : undefined,
        ...(regime === undefined ? {} : { regime: { vol: regime.vol, trend: regime.trend } }),
      };
    });
    const positions: PositionStatus[] = [];
    for (const symbol of session.symbols) {
      const lots = open.filter((t) => t.instrumentId === symbol);
      if (lots.length === 0) continue;
      const qty = lots.reduce((q, t) => q + (t.side === 'long' ? t.qty : -t.qty), 0);
      const units = lots.reduce((q, t) => q + t.qty, 0);
      const unrealizedPnl = lots.reduce((p, t) => p + t.pnl, 0);
      positions.push({
        symbol,
        qty,
        entryPrice: lots.reduce((v, t) => v + t.qty * t.entryPrice, 0) / units,
        lastPrice: lots[0]!.exitPrice,
        unrealizedPnl,
        r: rMultiple(lots),
      });
    }
    const workingOrders: WorkingOrderStatus[] = engine.broker.workingOrders().map((o) => ({
      id: o.id,
      symbol: o.instrumentId,
      side: o.side,
      type: o.type,
      qty: o.quantity.kind === 'fixed' ? o.quantity.qty : 'atFill',
      limitPrice: o.limitPrice,
      stopPrice: o.stopPrice,
      tag: o.tag,
    }));
    const equity = session.equity;
    const dayStartMs = this.day * DAY_MS;
    const today = [...engine.portfolio.closedTrades.filter((t) => (t.exitTimeMs ?? Number.NEGATIVE_INFINITY) >= dayStartMs), ...open];
    return {
      name: this.options.name,
      wallTimeMs: this.nowMs(),
      feed: { description: this.options.feed, state: this.feedState },
      lastBarTimeMs: Number.isFinite(session.lastTimeMs) ? session.lastTimeMs : undefined,
      symbols,
      positions,
      workingOrders,
      equity,
      today: { pnl: equity - this.dayStartEquity, r: rMultiple(today) },
      recentAlerts: this.recent.list(),
      counts: { warmupBars: session.warmupBars, liveBars: session.liveBars, rejectedMessages: session.rejectedMessages, skippedMessages: session.skippedMessages },
    };
  }

  private send(alert: Alert): void {
    this.recent.send(alert);
    this.options.dispatcher?.send(alert);
  }

  private at(): AlertTime {
    const t = this.session.lastTimeMs;
    return { timeMs: Number.isFinite(t) ? t : this.nowMs(), step: this.session.engine.clock.step };
  }
}

/** Σ pnl ÷ Σ initialRisk over the trades that have an initial risk; undefined when none has. */
function rMultiple(trades: readonly Trade[]): number | undefined {
  let pnl = 0;
  let risk = 0;
  for (const t of trades) {
    if (t.initialRisk === undefined || !(t.initialRisk > 0)) continue;
    pnl += t.pnl;
    risk += t.initialRisk;
  }
  return risk > 0 ? pnl / risk : undefined;
}

function dayOf(timeMs: number): number {
  return Number.isFinite(timeMs) ? Math.floor(timeMs / DAY_MS) : Number.NEGATIVE_INFINITY;
}
