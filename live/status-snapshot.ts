import type { OrderSide, OrderType } from '../engine/order.js';
import type { Alert } from './alerts.js';

/** Where the feed is: bars arriving (`live`), silent past its threshold (`stale`), or finished (`ended`). */
export type FeedState = 'live' | 'stale' | 'ended';

/** One symbol's latest bar and regime. */
export interface SymbolStatus {
  readonly symbol: string;
  /** Close of its last stepped bar (quote currency); undefined before its first bar. */
  readonly lastClose: number | undefined;
  /** Close time of that bar, epoch ms UTC. */
  readonly lastBarTimeMs: number | undefined;
  /** Regime labels at that bar (`ctx.regime`), when the run classifies regimes. */
  readonly regime?: { readonly vol: string; readonly trend: string } | undefined;
}

/** An open position, marked at its symbol's last close. */
export interface PositionStatus {
  readonly symbol: string;
  /** Signed units: + long, − short. */
  readonly qty: number;
  /** Average entry price (quote currency). */
  readonly entryPrice: number;
  readonly lastPrice: number;
  /** Unrealized net P&L, account currency. */
  readonly unrealizedPnl: number;
  /** Unrealized P&L ÷ initial risk, when the entry had a protective stop. */
  readonly r?: number | undefined;
}

/** A working (or dormant bracket) order. */
export interface WorkingOrderStatus {
  readonly id: number;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  /** Units, or `atFill` when sized at fill time (equity fraction, close, bracket exit). */
  readonly qty: number | 'atFill';
  readonly limitPrice?: number | undefined;
  readonly stopPrice?: number | undefined;
  readonly tag: string;
}

/**
 * What the status page shows, taken by the driver whenever the page is requested (so it must be
 * cheap: read state, never step). All times are epoch ms UTC, money in account currency.
 */
export interface StatusSnapshot {
  /** The run's name (the paper config's `name`). */
  readonly name: string;
  /** Wall time the snapshot was taken (the page shows the bar time's lag behind it). */
  readonly wallTimeMs: number;
  readonly feed: {
    /** The feed's description, e.g. `replay:data/x.csv?speed=max`. */
    readonly description: string;
    readonly state: FeedState;
  };
  /** Time of the last stepped bar; undefined before the first. */
  readonly lastBarTimeMs: number | undefined;
  /** One entry per symbol, in the config's order. */
  readonly symbols: readonly SymbolStatus[];
  readonly positions: readonly PositionStatus[];
  readonly workingOrders: readonly WorkingOrderStatus[];
  /** Account equity at the last close. */
  readonly equity: number;
  readonly today: {
    /** Net P&L since the start of the current session (realized and unrealized). */
    readonly pnl: number;
    /** Sum of the R multiples of today's closed trades; undefined when none had a stop. */
    readonly r: number | undefined;
  };
  /** Risk manager state, when the run has one. */
  readonly risk?: { readonly halted: boolean; readonly reason?: string | undefined } | undefined;
  /** The latest alerts, oldest first, at most 50 (`RecentAlerts.list()`). */
  readonly recentAlerts: readonly Alert[];
  readonly counts: {
    readonly warmupBars: number;
    /** Live bars stepped, all symbols. */
    readonly liveBars: number;
    /** Feed messages rejected (malformed, out of order, late …). */
    readonly rejectedMessages: number;
    /** Feed messages skipped as history (already in the config's data). */
    readonly skippedMessages: number;
  };
}
