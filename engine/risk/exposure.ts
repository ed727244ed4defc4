import type { RiskState } from './risk-state.js';
import type { OrderIntent, RiskPosition, WorkingEntry } from './risk-types.js';

/** One position or would-be position, as every pre-trade limit counts it (an order as the position it would open). */
export type Exposure = RiskPosition;

/** An order as the position it would open (signed by its side, entered at its expected price). */
export function orderExposure(order: WorkingEntry): Exposure {
  const qty = order.side === 'buy' ? Math.abs(order.qty) : -Math.abs(order.qty);
  return { symbol: order.symbol, qty, price: order.price, multiplier: order.multiplier, entryPrice: order.price, stop: order.stop };
}

/**
 * What is held or committed before a new order: the last bar's open positions, the working entry
 * orders the engine reported, and the entries allowed since that bar (each a future position).
 * Flat positions (qty 0) are left out.
 */
export function heldExposures(state: RiskState): Exposure[] {
  const held: Exposure[] = [];
  for (const p of state.positions) if (p.qty !== 0) held.push(p);
  for (const w of state.workingEntries) held.push(orderExposure(w));
  for (const r of state.reserved) held.push(orderExposure(r));
  return held;
}

/** Money lost if the stop is hit: |qty| × |entry − stop| × multiplier; without a stop, the whole notional at `price`. */
export function capitalAtRisk(e: Exposure): number {
  const perUnit = e.stop === undefined ? Math.abs(e.price) : Math.abs(e.entryPrice - e.stop);
  return Math.abs(e.qty) * perUnit * e.multiplier;
}

/** Notional value: |qty| × price × multiplier. */
export function notional(e: Pick<Exposure, 'qty' | 'price' | 'multiplier'>): number {
  return Math.abs(e.qty) * Math.abs(e.price) * e.multiplier;
}

/** The side an order opens. */
export function sideOf(order: Pick<OrderIntent, 'side'>): 'long' | 'short' {
  return order.side === 'buy' ? 'long' : 'short';
}
