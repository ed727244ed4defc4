import type { EngineEvent, OrderAccepted, OrderFilled } from '../engine/events.js';
import { formatPrice, formatQty, signedMoney } from './alert-format.js';

/**
 * What an alert is about. `OPPORTUNITY`: an entry order was accepted; `FILL`: an order opened or
 * added to a position; `EXIT`: a fill (or a settlement) reduced or closed one; `WARNING`: something
 * the operator should look at while the run goes on; `ERROR`: the run cannot go on as configured.
 */
export type AlertKind = 'OPPORTUNITY' | 'FILL' | 'EXIT' | 'WARNING' | 'ERROR';

/**
 * Why an exit happened (`target`, `stop`, `time`, `risk`; any other tag passes through as is, an
 * empty tag is `untagged`), or what a warning is about (`regime`, `risk`, `stale-feed`, `feed`,
 * `error`).
 */
export type AlertReason = 'target' | 'stop' | 'time' | 'risk' | (string & {});

/** One alert: plain data, safe to serialize (JSON-lines file, webhook body, status page). */
export interface Alert {
  readonly kind: AlertKind;
  /**
   * Bar time the alert is about, epoch ms UTC: the event's bar; for feed and driver alerts, the
   * last stepped bar (-Infinity before the first: `null` in JSON). Never wall time.
   */
  readonly timeMs: number;
  /** Engine step of that bar (-1 before the first). */
  readonly step: number;
  readonly symbol?: string;
  /** One line for people, symbol included (`sold 10 SPX @ 105 — target (take-profit), flat`). */
  readonly message: string;
  readonly reason?: AlertReason;
  /** The figures behind the message (prices, quantities, order id …), for machines. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * Where alerts go. `send` must return at once (queue the work): it is called from the engine loop,
 * which never awaits a sink. Sinks report their own failures (an `onError` callback), never by
 * throwing from `send`.
 */
export interface AlertSink {
  send(alert: Alert): void;
  /** Resolves when everything sent so far was delivered or given up on. Never rejects. */
  flush(): Promise<void>;
  /** Flushes, then releases the sink's resources; `send` after `close` is ignored. Never rejects. */
  close(): Promise<void>;
}

/** What the mapping needs to know beyond the event; {@link AlertTracker} implements it over an engine. */
export interface AlertContext {
  /** Signed position in units (+ long, − short, 0 flat) just before the event. */
  positionQty(instrumentId: string): number;
  /** Average entry price of that position (NaN when flat). */
  averagePrice(instrumentId: string): number;
  /** Contract multiplier (1 for equities). */
  multiplier(instrumentId: string): number;
  /** What the `OrderAccepted` event does not carry; undefined when the order is not known any more. */
  orderFacts(orderId: number): OrderFacts | undefined;
}

/** An order's sizing and reduce-only flag (from the broker; not part of `OrderAccepted`). */
export interface OrderFacts {
  readonly reduceOnly: boolean;
  readonly sizing: 'fixed' | 'equityFraction' | 'closePosition';
}

/** Tags the engine gives exit orders (bracket legs, slot protective stops): never entries. */
const EXIT_TAGS: ReadonlySet<string> = new Set(['take-profit', 'stop-loss']);

/**
 * Maps one engine event to the alerts it raises (none for most order bookkeeping):
 *
 * - `OrderAccepted` of an **entry** → `OPPORTUNITY` (see {@link isEntryOrder} for the rule).
 * - `OrderFilled`: the part of the fill that reduces or closes the position → `EXIT`, reason from
 *   the order's tag ({@link exitReason}), with the market P&L of that part against the position's
 *   average entry price (before fees and slippage); the part that opens or adds → `FILL`. A fill
 *   that flips a position raises both, `EXIT` first. So each fill raises one alert, or two on a flip.
 * - `PositionSettled` (instrument expiry) → `EXIT` with the event's reason.
 * - `RiskWarning`, `RegimeChanged`, `RiskResumed` → `WARNING`.
 * - `RiskHalted` → `WARNING` when entries resume later (`until` a new session or some bars), but
 *   `ERROR` for a halt `until: 'end'` (the drawdown limit): that run never trades again, so
 *   someone has to act.
 * - No alert: `OrderRejected` (while the risk manager halts, it refuses every entry attempt — one
 *   alert per bar would drown the halt's own alert), `OrderCanceled`, `OrderExpired`,
 *   `OrderModified`, `OrderModifyRejected`, `StrategyNoted`. They stay in the engine's event log.
 *
 * Pure: `context` must describe the state just before `event` ({@link AlertTracker} keeps it so).
 */
export function alertsFromEvent(event: EngineEvent, context: AlertContext): Alert[] {
  const at = { timeMs: event.timeMs, step: event.step };
  switch (event.kind) {
    case 'OrderAccepted':
      return isEntryOrder(event, context) ? [opportunity(event)] : [];
    case 'OrderFilled':
      return fillAlerts(event, context);
    case 'PositionSettled': {
      const qty = event.qty;
      const pnl = qty * (event.price - context.averagePrice(event.instrumentId)) * context.multiplier(event.instrumentId);
      const message = `${event.instrumentId} position ${formatQty(qty)} settled @ ${formatPrice(event.price)} — ${event.reason}, flat; P&L ${signedMoney(pnl)}`;
      return [{ kind: 'EXIT', ...at, symbol: event.instrumentId, message, reason: event.reason, data: { qty, price: event.price, grossPnl: pnl, positionAfter: 0 } }];
    }
    case 'RiskWarning':
      return [{ kind: 'WARNING', ...at, message: event.reason, reason: 'risk' }];
    case 'RiskResumed':
      return [{ kind: 'WARNING', ...at, message: event.reason, reason: 'risk', data: { resumed: true } }];
    case 'RiskHalted': {
      const done = [event.flatten ? 'flattening' : '', event.cancelOrders ? 'orders canceled' : ''].filter((s) => s !== '');
      const until = { session: 'until the next session', bars: 'for some bars', end: 'for the rest of the run' }[event.until];
      const message = `${event.reason} — entries stopped ${until}${done.length > 0 ? `; ${done.join(', ')}` : ''}`;
      const data = { until: event.until, flatten: event.flatten, cancelOrders: event.cancelOrders };
      return [{ kind: event.until === 'end' ? 'ERROR' : 'WARNING', ...at, message, reason: 'risk', data }];
    }
    case 'RegimeChanged': {
      const message = `${event.instrumentId} ${event.dimension} regime ${event.from} → ${event.to}`;
      return [{ kind: 'WARNING', ...at, symbol: event.instrumentId, message, reason: 'regime', data: { dimension: event.dimension, from: event.from, to: event.to } }];
    }
    case 'OrderRejected':
    case 'OrderCanceled':
    case 'OrderExpired':
    case 'OrderModified':
    case 'OrderModifyRejected':
    case 'StrategyNoted':
      return [];
  }
}

/**
 * The entry rule: an accepted order is an entry when it opens, adds to or flips a position.
 * Not entries: a bracket child (`parentId` set: an exit leg), a reduce-only order, a
 * close-position order, and an order tagged `take-profit` or `stop-loss` (the engine's exit tags).
 * An equity-fraction order is always an entry; a fixed quantity is one when it is on the side of
 * the position (or the position is flat) or larger than it (a flip). `OrderAccepted` carries
 * neither the reduce-only flag nor the sizing (`qty: 'atFill'` is an equity fraction or a close),
 * so they come from `context.orderFacts`; when the order is not known any more, an `atFill` order
 * against the position counts as a close (an equity-fraction flip then shows as `EXIT` + `FILL`).
 */
export function isEntryOrder(event: OrderAccepted, context: AlertContext): boolean {
  if (event.parentId !== undefined || EXIT_TAGS.has(event.tag)) return false;
  const facts = context.orderFacts(event.orderId);
  if (facts?.reduceOnly === true) return false;
  const sizing = facts?.sizing ?? (event.qty === 'atFill' ? undefined : 'fixed');
  if (sizing === 'closePosition') return false;
  if (sizing === 'equityFraction') return true;
  const position = context.positionQty(event.instrumentId);
  const along = event.side === 'buy' ? position >= 0 : position <= 0;
  if (sizing === undefined || event.qty === 'atFill') return along;
  return along || event.qty > Math.abs(position);
}

/** The exit reason of a closing order's tag: `take-profit` → target, `stop-loss` → stop, `session-end`/`time` → time, `risk` → risk, `''` → untagged, else the tag. */
export function exitReason(tag: string): AlertReason {
  switch (tag) {
    case 'take-profit':
      return 'target';
    case 'stop-loss':
      return 'stop';
    case 'session-end':
    case 'time':
      return 'time';
    case 'risk':
      return 'risk';
    case '':
      return 'untagged';
    default:
      return tag;
  }
}

function opportunity(event: OrderAccepted): Alert {
  const { orderId, side, type, tif, limitPrice, stopPrice, tag } = event;
  const limit = `limit ${formatPrice(limitPrice ?? Number.NaN)}`;
  const stop = `stop ${formatPrice(stopPrice ?? Number.NaN)}`;
  const how = { market: 'market', limit, stop, stopLimit: `${stop} ${limit}` }[type];
  const what = event.qty === 'atFill' ? `${event.instrumentId} ${how}, sized at fill` : `${formatQty(event.qty)} ${event.instrumentId} ${how}`;
  const message = `${side} ${what} (${tag === '' ? 'untagged' : tag})`;
  return { kind: 'OPPORTUNITY', timeMs: event.timeMs, step: event.step, symbol: event.instrumentId, message, data: { orderId, side, type, tif, qty: event.qty, limitPrice, stopPrice, tag } };
}

function fillAlerts(event: OrderFilled, context: AlertContext): Alert[] {
  const fill = event.fill;
  const symbol = fill.instrumentId;
  const position = context.positionQty(symbol);
  const signed = fill.side === 'buy' ? fill.qty : -fill.qty;
  const closing = position !== 0 && Math.sign(signed) !== Math.sign(position) ? Math.min(fill.qty, Math.abs(position)) : 0;
  const opening = fill.qty - closing;
  const after = position + signed;
  const verb = fill.side === 'buy' ? 'bought' : 'sold';
  const base = { timeMs: event.timeMs, step: event.step, symbol };
  const common = { orderId: fill.orderId, side: fill.side, price: fill.price, fillQty: fill.qty, fee: fill.fee, slippage: fill.slippage, tag: fill.tag };
  const alerts: Alert[] = [];
  if (closing > 0) {
    const entryPrice = context.averagePrice(symbol);
    const pnl = closing * (fill.price - entryPrice) * Math.sign(position) * context.multiplier(symbol);
    const reason = exitReason(fill.tag);
    const left = opening > 0 ? 'flat, then' : after === 0 ? 'flat' : `${formatQty(after)} left`;
    const message = `${verb} ${formatQty(closing)} ${symbol} @ ${formatPrice(fill.price)} — ${reason}${reason === fill.tag ? '' : ` (${fill.tag})`}, ${left}; P&L ${signedMoney(pnl)}`;
    alerts.push({ kind: 'EXIT', ...base, message, reason, data: { ...common, qty: closing, entryPrice, grossPnl: pnl, positionAfter: opening > 0 ? 0 : after } });
  }
  if (opening > 0) {
    const stop = fill.protectiveStop === undefined ? '' : `, stop ${formatPrice(fill.protectiveStop)}`;
    const message = `${verb} ${formatQty(opening)} ${symbol} @ ${formatPrice(fill.price)} (${fill.tag === '' ? 'untagged' : fill.tag})${stop}; position ${formatQty(after)}`;
    alerts.push({ kind: 'FILL', ...base, message, data: { ...common, qty: opening, protectiveStop: fill.protectiveStop, positionAfter: after } });
  }
  return alerts;
}
