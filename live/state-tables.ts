import type Database from 'better-sqlite3';
import type { EngineEvent, OrderAccepted, OrderModified } from '../engine/events.js';
import type { Fill } from '../engine/fill.js';
import type { Order, OrderStatus } from '../engine/order.js';
import { iso } from './state-store.js';

/** One open position as written to `positions`. */
export interface PositionRow {
  readonly symbol: string;
  readonly qty: number;
  readonly avgPrice: number;
  readonly mark: number;
  readonly multiplier: number;
  readonly unrealizedPnl: number;
  readonly initialRisk: number | undefined;
}

/** The `risk` row. */
export interface RiskRow {
  readonly halted: boolean;
  readonly reason: string | undefined;
  readonly dailyR: number;
  readonly cumulativeR: number;
  /** `RiskManager.snapshot()` as JSON, undefined without a risk manager. */
  readonly snapshot: string | undefined;
}

/** One `daily_summary` row. */
export interface DayRow {
  readonly date: string;
  readonly live: boolean;
  readonly firstStep: number;
  readonly lastStep: number;
  readonly equity: number;
  readonly pnl: number;
  readonly r: number;
  readonly trades: number;
}

/**
 * Writers of the derived tables (`events`, `orders`, `fills`, `positions`, `risk`,
 * `daily_summary`): prepared once, run inside the step's transaction. Plain inserts where a row
 * is new — a second row for one event, order or fill would break a primary key and fail loudly.
 */
export class StateTables {
  private readonly statements;

  constructor(db: Database.Database) {
    const p = (sql: string): Database.Statement => db.prepare(sql);
    this.statements = {
      event: p('INSERT INTO events (seq, step, time_ms, time, live, kind, order_id, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      order: p(`INSERT INTO orders (id, symbol, side, type, tif, qty, limit_price, stop_price, tag, parent_id, status, reason,
        created_step, created_ms, created_time, updated_step, updated_ms, updated_time)
        VALUES (@id, @symbol, @side, @type, @tif, @qty, @limit, @stop, @tag, @parent, @status, @reason, @step, @ms, @time, @step, @ms, @time)`),
      rejected: p(`UPDATE orders SET status = 'rejected', reason = ?, updated_step = ?, updated_ms = ?, updated_time = ? WHERE id = ?`),
      finished: p('UPDATE orders SET status = ?, reason = ?, updated_step = ?, updated_ms = ?, updated_time = ? WHERE id = ?'),
      filled: p(`UPDATE orders SET status = 'filled',
        avg_fill_price = (coalesce(avg_fill_price, 0) * filled_qty + @price * @qty) / (filled_qty + @qty), filled_qty = filled_qty + @qty,
        updated_step = @step, updated_ms = @ms, updated_time = @time WHERE id = @id`),
      modified: p(`UPDATE orders SET qty = coalesce(@qty, qty), limit_price = coalesce(@limit, limit_price), stop_price = coalesce(@stop, stop_price),
        updated_step = @step, updated_ms = @ms, updated_time = @time WHERE id = @id`),
      fill: p(`INSERT INTO fills (seq, order_id, symbol, side, qty, price, slippage, fee, tag, protective_stop, step, time_ms, time)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      clearPositions: p('DELETE FROM positions'),
      position: p(`INSERT INTO positions (symbol, qty, avg_price, mark, multiplier, market_value, unrealized_pnl, initial_risk, step, time_ms, time)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      risk: p(`INSERT OR REPLACE INTO risk (id, step, time_ms, time, halted, reason, daily_r, cumulative_r, snapshot) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)`),
      day: p(`INSERT OR REPLACE INTO daily_summary (date, live, first_step, last_step, equity, pnl, r, trades) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    };
  }

  /** An engine event, at its position `seq` in the run's event log. */
  event(seq: number, event: EngineEvent, live: boolean): void {
    this.statements.event.run(seq, event.step, event.timeMs, iso(event.timeMs), live ? 1 : 0, event.kind, orderIdOf(event) ?? null, JSON.stringify(event));
  }

  /** A new order row: accepted (working), or refused before it worked (`rejected`, from the broker's order). */
  newOrder(o: Pick<OrderAccepted, 'orderId' | 'instrumentId' | 'side' | 'type' | 'tif' | 'qty' | 'limitPrice' | 'stopPrice' | 'tag' | 'parentId' | 'step' | 'timeMs'>, status: OrderStatus, reason: string | undefined): void {
    this.statements.order.run({
      id: o.orderId, symbol: o.instrumentId, side: o.side, type: o.type, tif: o.tif, qty: o.qty === 'atFill' ? null : o.qty,
      limit: o.limitPrice ?? null, stop: o.stopPrice ?? null, tag: o.tag, parent: o.parentId ?? null, status, reason: reason ?? null,
      step: o.step, ms: o.timeMs, time: iso(o.timeMs),
    });
  }

  /** Marks an order rejected; false when there is no row for it (it was refused before it worked). */
  rejected(orderId: number, reason: string, step: number, timeMs: number): boolean {
    return this.statements.rejected.run(reason, step, timeMs, iso(timeMs), orderId).changes > 0;
  }

  /** Marks an order cancelled (with why) or expired. */
  finished(orderId: number, status: 'canceled' | 'expired', reason: string | undefined, step: number, timeMs: number): void {
    this.statements.finished.run(status, reason ?? null, step, timeMs, iso(timeMs), orderId);
  }

  /** Applies a modification's new quantity and prices (fields it leaves unchanged stay). */
  modified(e: OrderModified): void {
    this.statements.modified.run({ id: e.orderId, qty: e.qty ?? null, limit: e.limitPrice ?? null, stop: e.stopPrice ?? null, step: e.step, ms: e.timeMs, time: iso(e.timeMs) });
  }

  /** A fill (`seq`: its OrderFilled event's) and its order's filled quantity and average price. */
  fill(seq: number, f: Fill): void {
    this.statements.fill.run(seq, f.orderId, f.instrumentId, f.side, f.qty, f.price, f.slippage, f.fee, f.tag, f.protectiveStop ?? null, f.step, f.timeMs, iso(f.timeMs));
    this.statements.filled.run({ id: f.orderId, price: f.price, qty: f.qty, step: f.step, ms: f.timeMs, time: iso(f.timeMs) });
  }

  /** Replaces the open positions. */
  positions(rows: readonly PositionRow[], step: number, timeMs: number): void {
    this.statements.clearPositions.run();
    const time = iso(timeMs);
    for (const r of rows) {
      this.statements.position.run(r.symbol, r.qty, r.avgPrice, r.mark, r.multiplier, r.qty * r.mark * r.multiplier, r.unrealizedPnl, r.initialRisk ?? null, step, timeMs, time);
    }
  }

  /** Replaces the one `risk` row. */
  risk(row: RiskRow, step: number, timeMs: number): void {
    this.statements.risk.run(step, timeMs, iso(timeMs), row.halted ? 1 : 0, row.reason ?? null, row.dailyR, row.cumulativeR, row.snapshot ?? null);
  }

  /** Inserts or updates the session's `daily_summary` row. */
  day(row: DayRow): void {
    this.statements.day.run(row.date, row.live ? 1 : 0, row.firstStep, row.lastStep, row.equity, row.pnl, row.r, row.trades);
  }
}

/** The order an event is about, if any. */
export function orderIdOf(event: EngineEvent): number | undefined {
  switch (event.kind) {
    case 'OrderAccepted':
    case 'OrderRejected':
    case 'OrderCanceled':
    case 'OrderExpired':
    case 'OrderModified':
    case 'OrderModifyRejected':
      return event.orderId;
    case 'OrderFilled':
      return event.fill.orderId;
    case 'PositionSettled':
    case 'RegimeChanged':
    case 'RiskHalted':
    case 'RiskResumed':
    case 'RiskWarning':
    case 'StrategyNoted':
      return undefined;
  }
}

/** The fields of a new order row, from the broker's order (for one refused before an OrderAccepted). */
export function orderFields(order: Readonly<Order>, step: number, timeMs: number) {
  const q = order.quantity;
  return {
    orderId: order.id, instrumentId: order.instrumentId, side: order.side, type: order.type, tif: order.tif,
    qty: q.kind === 'fixed' ? q.qty : ('atFill' as const), limitPrice: order.limitPrice, stopPrice: order.stopPrice,
    tag: order.tag, parentId: order.parentId, step, timeMs,
  };
}
