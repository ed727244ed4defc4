import type { EngineEvent } from '../engine/events.js';
import type { Order } from '../engine/order.js';
import { alertsFromEvent, type Alert, type AlertContext, type OrderFacts } from './alerts.js';

/** The parts of an engine the tracker reads; `Engine` (e.g. `PaperSession.engine`) satisfies it. */
export interface TrackedEngine {
  readonly instruments: readonly { readonly id: string; readonly multiplier: number }[];
  readonly portfolio: { readonly qty: ArrayLike<number>; averagePrice(index: number): number };
  readonly broker: { order(id: number): Readonly<Pick<Order, 'reduceOnly' | 'quantity'>> | undefined };
  /** The engine's event log (kept only when the engine was built with `keepEvents: true`). */
  readonly events: EngineEvent[];
}

/** Options of {@link AlertTracker}. */
export interface AlertTrackerOptions {
  /**
   * Empty `engine.events` after each {@link AlertTracker.take}, so that a long paper run with
   * `keepEvents: true` (needed for alerts) keeps flat memory. The run's result then lists only the
   * events after the last take. Default false.
   */
  readonly discardRead?: boolean;
}

/**
 * Turns a running engine's new events into alerts: call {@link take} after each step (the
 * driver's `onStep`) and send what it returns. Keeps the positions the mapping needs as of each
 * event, starting from the engine's positions when constructed — so build it after the warm-up,
 * whose events are not alerted — and re-reads them from the portfolio after every take.
 */
export class AlertTracker implements AlertContext {
  private readonly index = new Map<string, number>();
  private readonly qty: Float64Array;
  private readonly average: Float64Array;
  private seen = 0;

  constructor(
    private readonly engine: TrackedEngine,
    private readonly options: AlertTrackerOptions = {},
  ) {
    engine.instruments.forEach((instrument, i) => this.index.set(instrument.id, i));
    this.qty = new Float64Array(engine.instruments.length);
    this.average = new Float64Array(engine.instruments.length);
    this.sync();
    this.seen = engine.events.length;
  }

  /** Alerts for the events recorded since the last call (or since construction), in event order. */
  take(): Alert[] {
    const events = this.engine.events;
    // Someone else emptied the log: what is in it now is new.
    if (events.length < this.seen) this.seen = 0;
    const alerts: Alert[] = [];
    for (let k = this.seen; k < events.length; k++) {
      const event = events[k]!;
      for (const alert of alertsFromEvent(event, this)) alerts.push(alert);
      this.apply(event);
    }
    if (this.options.discardRead === true) events.length = 0;
    this.seen = events.length;
    this.sync();
    return alerts;
  }

  positionQty(instrumentId: string): number {
    const i = this.index.get(instrumentId);
    return i === undefined ? 0 : this.qty[i]!;
  }

  averagePrice(instrumentId: string): number {
    const i = this.index.get(instrumentId);
    return i === undefined || this.qty[i] === 0 ? Number.NaN : this.average[i]!;
  }

  multiplier(instrumentId: string): number {
    const i = this.index.get(instrumentId);
    return i === undefined ? 1 : this.engine.instruments[i]!.multiplier;
  }

  orderFacts(orderId: number): OrderFacts | undefined {
    const order = this.engine.broker.order(orderId);
    return order === undefined ? undefined : { reduceOnly: order.reduceOnly, sizing: order.quantity.kind === 'fixed' ? 'fixed' : order.quantity.kind };
  }

  /** Moves the tracked position past a fill or settlement (average price of the open part). */
  private apply(event: EngineEvent): void {
    if (event.kind === 'PositionSettled') {
      const i = this.index.get(event.instrumentId);
      if (i !== undefined) this.qty[i] = 0;
      return;
    }
    if (event.kind !== 'OrderFilled') return;
    const fill = event.fill;
    const i = this.index.get(fill.instrumentId);
    if (i === undefined) return;
    const before = this.qty[i]!;
    const signed = fill.side === 'buy' ? fill.qty : -fill.qty;
    const after = before + signed;
    if (before === 0) {
      this.average[i] = fill.price;
    } else if (Math.sign(before) === Math.sign(signed)) {
      this.average[i] = (Math.abs(before) * this.average[i]! + fill.qty * fill.price) / Math.abs(after);
    } else if (Math.sign(after) === Math.sign(signed)) {
      this.average[i] = fill.price; // flipped: the rest is a new position at this fill
    }
    this.qty[i] = Math.abs(after) <= 1e-9 * Math.max(Math.abs(before), fill.qty) ? 0 : after;
  }

  /** The portfolio is the truth between steps (its lots give the exact average entry price). */
  private sync(): void {
    const { portfolio } = this.engine;
    for (let i = 0; i < this.qty.length; i++) {
      this.qty[i] = portfolio.qty[i] ?? 0;
      this.average[i] = this.qty[i] === 0 ? Number.NaN : portfolio.averagePrice(i);
    }
  }
}
