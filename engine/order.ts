/**
 * Orders as the simulated broker holds them. Prices are in the instrument's price units,
 * quantities are positive (the side carries the direction).
 */
export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stopLimit';
/** `day`: cancelled at the end of the first session in which it was working. `gtc`: until filled or cancelled. */
export type TimeInForce = 'day' | 'gtc';
export type OrderStatus = 'working' | 'filled' | 'canceled' | 'expired' | 'rejected';

/**
 * How the quantity of an order is decided. `fixed` is known when the order is placed; the
 * other kinds are resolved at fill time against the fill price, so that "all equity at the next
 * open" needs no look-ahead.
 */
export type QuantitySpec =
  | { readonly kind: 'fixed'; readonly qty: number }
  /** Whole lots worth `fraction` of equity at the fill price, net of the commission rate. */
  | { readonly kind: 'equityFraction'; readonly fraction: number }
  /** Close the whole open position in the instrument (0 if flat). */
  | { readonly kind: 'closePosition' };

/** A working or finished order. Mutable fields are owned by the broker. */
export interface Order {
  readonly id: number;
  readonly instrumentId: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  quantity: QuantitySpec;
  limitPrice: number | undefined;
  stopPrice: number | undefined;
  readonly tif: TimeInForce;
  /** Free-form label set by the strategy (e.g. `entry`, `stop-loss`). */
  readonly tag: string;
  /** OCO group id: when one order of the group fills, the others are cancelled. */
  readonly ocoGroup: number | undefined;
  /** Parent order id: this order stays dormant until the parent fills (bracket children). */
  readonly parentId: number | undefined;
  /** Child order ids activated when this order fills. */
  readonly childIds: number[];
  /** At fill time the quantity is capped to the opposite position; cancelled when there is none. */
  readonly reduceOnly: boolean;
  /** Stop price protecting this entry when the stop is a separate order (see `OrderRequest`). */
  readonly protectiveStop?: number | undefined;
  status: OrderStatus;
  /** Stop-limit only: the stop has triggered and the order now rests as a limit. */
  triggered: boolean;
  /** Step index at which the order was accepted (fills can happen from the next bar on). */
  readonly acceptedStep: number;
  /** Step at which a dormant child became active; equals the parent's fill step. */
  activeFromStep: number;
  /** Session key (UTC day number) in which a day order first worked; -1 until then. */
  sessionKey: number;
}
