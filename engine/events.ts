import type { Fill } from './fill.js';
import type { OrderSide, OrderType, TimeInForce } from './order.js';

/**
 * Everything the engine decides is recorded as an event, in the past tense, with the step and the
 * bar time at which it happened. Events are in one total order: their position in the log.
 */
export type EngineEvent =
  | OrderAccepted
  | OrderRejected
  | OrderFilled
  | OrderCanceled
  | OrderExpired
  | OrderModified
  | OrderModifyRejected
  | PositionSettled
  | RegimeChanged
  | RiskHalted
  | RiskResumed
  | RiskWarning
  | StrategyNoted;

interface EventBase {
  readonly step: number;
  readonly timeMs: number;
}

export interface OrderAccepted extends EventBase {
  readonly kind: 'OrderAccepted';
  readonly orderId: number;
  readonly instrumentId: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly tif: TimeInForce;
  readonly qty: number | 'atFill';
  readonly limitPrice: number | undefined;
  readonly stopPrice: number | undefined;
  readonly tag: string;
  readonly parentId: number | undefined;
}

export interface OrderRejected extends EventBase {
  readonly kind: 'OrderRejected';
  readonly orderId: number;
  readonly reason: string;
}

export interface OrderFilled extends EventBase {
  readonly kind: 'OrderFilled';
  readonly fill: Fill;
}

export interface OrderCanceled extends EventBase {
  readonly kind: 'OrderCanceled';
  readonly orderId: number;
  /** Why: `strategy`, `oco` (a sibling filled), `parent-canceled`, … */
  readonly reason: string;
}

export interface OrderExpired extends EventBase {
  readonly kind: 'OrderExpired';
  readonly orderId: number;
}

export interface OrderModified extends EventBase {
  readonly kind: 'OrderModified';
  readonly orderId: number;
  readonly qty: number | undefined;
  readonly limitPrice: number | undefined;
  readonly stopPrice: number | undefined;
}

export interface OrderModifyRejected extends EventBase {
  readonly kind: 'OrderModifyRejected';
  readonly orderId: number;
  readonly reason: string;
}

/** A position closed by the engine rather than an order (instrument expiry). */
export interface PositionSettled extends EventBase {
  readonly kind: 'PositionSettled';
  readonly instrumentId: string;
  readonly qty: number;
  readonly price: number;
  readonly reason: string;
}

/** The regime of a symbol changed at this bar (`from` is `unknown` at the first known label). */
export interface RegimeChanged extends EventBase {
  readonly kind: 'RegimeChanged';
  readonly instrumentId: string;
  readonly dimension: 'vol' | 'trend';
  readonly from: string;
  readonly to: string;
}

/** The risk manager stopped entries (`HALTED: daily loss 2.1% > 2%`), and what it did about it. */
export interface RiskHalted extends EventBase {
  readonly kind: 'RiskHalted';
  readonly reason: string;
  readonly flatten: boolean;
  readonly cancelOrders: boolean;
  readonly until: 'session' | 'bars' | 'end';
}

/** Entries are allowed again (`RESUMED: new session`). */
export interface RiskResumed extends EventBase {
  readonly kind: 'RiskResumed';
  readonly reason: string;
}

/** A risk limit is near (`WARNING: 80% of daily loss used`). */
export interface RiskWarning extends EventBase {
  readonly kind: 'RiskWarning';
  readonly reason: string;
}

/** A strategy's own note (e.g. an adaptive threshold that changed), via `ctx.note(text)`. */
export interface StrategyNoted extends EventBase {
  readonly kind: 'StrategyNoted';
  readonly text: string;
}
