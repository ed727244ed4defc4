import type { StrategyContext } from './context.js';
import type { Fill } from './fill.js';
import type { Order, OrderSide, OrderType, TimeInForce } from './order.js';
import type { OrderChanges } from './order-request.js';

/** What a strategy wants working in one slot right now. Prices in the instrument's price units. */
export interface SlotIntent {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  /** Units (whole lots of the instrument), > 0. */
  readonly qty: number;
  /** Required for `limit` and `stopLimit`, absent otherwise (the order manager rejects a mismatch). */
  readonly limitPrice?: number;
  /** Required for `stop` and `stopLimit`, absent otherwise. */
  readonly stopPrice?: number;
  /** Default `gtc`. */
  readonly tif?: TimeInForce;
  /** Label of the order; default: the slot key. Only read when the order is placed. */
  readonly tag?: string;
  /**
   * Price of the protective stop placed (a reduce-only `gtc` stop on the opposite side, for the
   * filled quantity) the moment this entry fills; undefined = none. It is also passed as the
   * entry's `OrderRequest.protectiveStop`, so the trade records `initialRisk` and an R multiple.
   * A modify cannot change that recorded price (`OrderChanges` has no stop field): when only
   * `protectiveStop` changes, the stop placed on the fill follows it but the trade's risk is still
   * measured to the price the order was placed with — cancel and re-place to move both.
   */
  readonly protectiveStop?: number;
}

/** Tag of the protective stops placed by {@link SlotOrders.onFill} (the same as a bracket's stop-loss). */
export const PROTECTIVE_STOP_TAG = 'stop-loss';

/** One slot: the order it holds and the intent that order was last placed or modified to. */
interface Slot {
  orderId: number | undefined;
  intent: SlotIntent | undefined;
  /** Step at which the order was submitted: until the step ends the broker does not know it yet. */
  placedStep: number;
}

/** The price and size of a slot's order as it stands (or as requested, while not yet accepted). */
interface Standing {
  readonly qty: number;
  readonly limitPrice: number | undefined;
  readonly stopPrice: number | undefined;
}

/**
 * Slot-keyed orders: at most one working order per key (e.g. `CE` and `PE`, or `long` and
 * `short`). Each bar the strategy states what it wants in each slot with {@link want}; the slot is
 * reconciled through the {@link StrategyContext} API only, so the same code runs in backtest and
 * paper:
 * - empty slot → submit;
 * - same symbol, side, type and time in force, price and/or quantity changed → one modify;
 * - symbol, side, type or time in force changed → cancel, then submit the new order;
 * - intent gone → cancel;
 * - the slot's order finished (filled, expired, canceled, rejected) → the slot is empty again.
 *
 * An entry with a `protectiveStop` gets its stop from {@link onFill}, which the strategy must call
 * from its own `onFill`: the stop is accepted at the end of the fill's step and works from the
 * next bar. Slots are kept in the order their keys were first used; nothing depends on hash order.
 */
export class SlotOrders {
  private readonly slots = new Map<string, Slot>();

  /**
   * Call once per bar per slot with what the strategy wants there now (`undefined` = nothing).
   * Commands are queued like any other order command and take effect at the end of the step.
   * @throws Error when the slot's entry filled with a protective stop asked for but
   *   {@link onFill} was never called for that fill (the stop would silently be missing).
   */
  want(ctx: StrategyContext, key: string, intent: SlotIntent | undefined): void {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      if (intent === undefined) return;
      slot = { orderId: undefined, intent: undefined, placedStep: -1 };
      this.slots.set(key, slot);
    }
    const standing = this.standing(ctx, key, slot);
    if (standing === undefined) {
      if (intent !== undefined) this.place(ctx, key, slot, intent);
      return;
    }
    const orderId = slot.orderId!;
    if (intent === undefined) {
      ctx.cancel(orderId);
      free(slot);
      return;
    }
    const held = slot.intent!;
    if (intent.symbol !== held.symbol || intent.side !== held.side || intent.type !== held.type || (intent.tif ?? 'gtc') !== (held.tif ?? 'gtc')) {
      // The cancel is queued first, so the old order is gone before the new one is accepted.
      ctx.cancel(orderId);
      this.place(ctx, key, slot, intent);
      return;
    }
    const changes = changesBetween(standing, intent);
    if (changes !== undefined) ctx.modify(orderId, changes);
    slot.intent = intent;
  }

  /**
   * Call from the strategy's `onFill`. When the fill is a slot's entry, frees the slot and, if
   * its intent asked for one, submits the protective stop: a reduce-only `gtc` stop at
   * `protectiveStop` on the opposite side for `fill.qty`, tagged {@link PROTECTIVE_STOP_TAG}.
   * @returns the protective stop's order id, or undefined (no stop asked for, or not a slot's fill).
   */
  onFill(ctx: StrategyContext, fill: Fill): number | undefined {
    for (const slot of this.slots.values()) {
      if (slot.orderId !== fill.orderId) continue;
      const stopPrice = slot.intent?.protectiveStop;
      free(slot);
      if (stopPrice === undefined) return undefined;
      return ctx.submit({
        symbol: fill.instrumentId,
        side: fill.side === 'buy' ? 'sell' : 'buy',
        type: 'stop',
        stopPrice,
        qty: fill.qty,
        tif: 'gtc',
        tag: PROTECTIVE_STOP_TAG,
        reduceOnly: true,
      });
    }
    return undefined;
  }

  /**
   * The order id a slot holds, as of the last {@link want} or {@link onFill}; undefined when it is
   * empty. The order may have finished since (e.g. expired at this bar): `ctx.order(id)?.status`.
   */
  orderIn(key: string): number | undefined {
    return this.slots.get(key)?.orderId;
  }

  private place(ctx: StrategyContext, key: string, slot: Slot, intent: SlotIntent): void {
    slot.orderId = ctx.submit({
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      qty: intent.qty,
      limitPrice: intent.limitPrice,
      stopPrice: intent.stopPrice,
      tif: intent.tif ?? 'gtc',
      tag: intent.tag ?? key,
      // The entry records its stop, so the trade it opens carries initialRisk and an R multiple.
      protectiveStop: intent.protectiveStop,
    });
    slot.intent = intent;
    slot.placedStep = ctx.step;
  }

  /**
   * The slot's order while it is working (or submitted this step and not yet accepted); undefined
   * after freeing the slot when the order finished.
   */
  private standing(ctx: StrategyContext, key: string, slot: Slot): Standing | undefined {
    if (slot.orderId === undefined) return undefined;
    const order = ctx.order(slot.orderId);
    if (order === undefined) {
      if (slot.placedStep === ctx.step) {
        const { qty, limitPrice, stopPrice } = slot.intent!;
        return { qty, limitPrice, stopPrice };
      }
      // The broker forgets finished orders a step after they finish.
      free(slot);
      return undefined;
    }
    if (order.status === 'working') return standingOf(order);
    if (order.status === 'filled' && slot.intent?.protectiveStop !== undefined) {
      throw new Error(
        `slot ${key}: entry order ${order.id} filled but SlotOrders.onFill never saw the fill, so its protective stop was not placed — ` +
          'call slots.onFill(ctx, fill) from the strategy’s onFill',
      );
    }
    free(slot);
    return undefined;
  }
}

function free(slot: Slot): void {
  slot.orderId = undefined;
  slot.intent = undefined;
}

function standingOf(order: Readonly<Order>): Standing {
  return {
    qty: order.quantity.kind === 'fixed' ? order.quantity.qty : Number.NaN,
    limitPrice: order.limitPrice,
    stopPrice: order.stopPrice,
  };
}

/** Only the fields that differ, in one change set; undefined when the order already matches. */
function changesBetween(standing: Standing, intent: SlotIntent): OrderChanges | undefined {
  const qty = intent.qty !== standing.qty ? intent.qty : undefined;
  const limitPrice = intent.limitPrice !== undefined && intent.limitPrice !== standing.limitPrice ? intent.limitPrice : undefined;
  const stopPrice = intent.stopPrice !== undefined && intent.stopPrice !== standing.stopPrice ? intent.stopPrice : undefined;
  if (qty === undefined && limitPrice === undefined && stopPrice === undefined) return undefined;
  return { qty, limitPrice, stopPrice };
}
