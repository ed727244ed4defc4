import type { OrderSide, OrderType, TimeInForce } from './order.js';

/**
 * What a strategy asks for. Exactly one way to size it: `qty` (units); `equityFraction`: a
 * fraction of the buying power left at fill time (leverage × equity − current gross exposure;
 * with the default leverage 1 that is the free cash), priced at the fill price net of the
 * commission rate, and shrunk by whole lots if fixed fees or slippage would exceed it; or
 * `closePosition: true` (the whole position at fill time).
 */
export interface OrderRequest {
  /** Instrument/symbol; defaults to the first (primary) symbol. */
  readonly symbol?: string;
  readonly side: OrderSide;
  /** Default `market`. */
  readonly type?: OrderType;
  readonly qty?: number;
  readonly equityFraction?: number;
  readonly closePosition?: boolean;
  /** Required for `limit` and `stopLimit`. */
  readonly limitPrice?: number;
  /** Required for `stop` and `stopLimit`. */
  readonly stopPrice?: number;
  /** Default `gtc`. */
  readonly tif?: TimeInForce;
  readonly tag?: string;
  /**
   * Reduce-only: at fill time the quantity is capped to the opposite position, and the order is
   * cancelled if there is none (used by bracket exits so they never open a reverse position).
   */
  readonly reduceOnly?: boolean;
  /**
   * The stop price protecting this entry when the stop is a separate order (e.g. placed by
   * `SlotOrders` on the fill): recorded on the trade so it carries `initialRisk` and an R multiple.
   * A bracket's stop-loss is found on its own.
   */
  readonly protectiveStop?: number;
}

/**
 * Entry plus optional take-profit (limit) and stop-loss (stop) exits. The exits stay dormant
 * until the entry fills, then work as an OCO pair sized to the filled quantity, reduce-only.
 */
export interface BracketRequest extends OrderRequest {
  readonly takeProfit?: number;
  readonly stopLoss?: number;
  /** Time in force of the exits; default `gtc`. */
  readonly exitTif?: TimeInForce;
}

/** Changes to a working order; unspecified fields stay as they are. */
export interface OrderChanges {
  readonly qty?: number;
  readonly limitPrice?: number;
  readonly stopPrice?: number;
}
