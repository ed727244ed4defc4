import type { SimulatedBroker } from './broker.js';
import type { ReplayClock } from './clock.js';
import type { EntryGate } from './entry-gate.js';
import type { EngineEvent } from './events.js';
import type { Order } from './order.js';
import type { BracketIds, OrderManager } from './order-manager.js';
import type { BracketRequest, OrderChanges, OrderRequest } from './order-request.js';
import type { Portfolio } from './portfolio.js';
import type { SymbolData } from './symbol-data.js';

/**
 * What a strategy sees and can do during `onBar`. Data is available up to the current bar only;
 * orders are queued and accepted at the end of the step.
 */
/** A symbol's regime labels at the current bar (`unknown` until known). */
export interface RegimeLabels {
  readonly vol: string;
  readonly trend: string;
}

export interface StrategyContext {
  /** Index of the current step of the merged timeline (0-based; -1 during `init`). */
  readonly step: number;
  /** Time of the current step, epoch ms UTC. */
  readonly timeMs: number;
  /** Symbols in stream order; the first is the primary symbol. */
  readonly symbols: readonly string[];
  /** Bars of `symbol` (default: the primary symbol) up to the current bar. */
  data(symbol?: string): SymbolData;
  /** Signed position in units (negative = short). */
  position(symbol?: string): number;
  /**
   * The symbol's current regime labels (vol and trend, from data up to this bar), or undefined
   * when the run has no `regimes` block.
   */
  regime(symbol?: string): RegimeLabels | undefined;
  /** Records a `StrategyNoted` event with `text` at this step (kept in the event log like every event). */
  note(text: string): void;
  /** Account cash. */
  readonly cash: number;
  /** Account equity marked at the latest closes. */
  readonly equity: number;
  /** Percent-commission rate of the run (for sizing decisions). */
  readonly commissionRate: number;
  /** Queues an order; returns its id. */
  submit(request: OrderRequest): number;
  buy(request: Omit<OrderRequest, 'side'>): number;
  sell(request: Omit<OrderRequest, 'side'>): number;
  /** Entry with take-profit/stop-loss exits that activate when it fills. */
  bracket(request: BracketRequest): BracketIds;
  /** Orders that cancel each other when one fills. */
  oco(requests: readonly OrderRequest[]): number[];
  cancel(orderId: number): void;
  modify(orderId: number, changes: OrderChanges): void;
  /** Cancels every working order (of `symbol`, or all). */
  cancelAll(symbol?: string): void;
  /** Queues a market order that closes the position in `symbol` (default primary); no-op when flat. */
  closePosition(symbol?: string, tag?: string): void;
  order(orderId: number): Readonly<Order> | undefined;
  workingOrders(symbol?: string): readonly Readonly<Order>[];
}

/** The engine's implementation of {@link StrategyContext}. */
export class EngineContext implements StrategyContext {
  /** Where `note` sends its event (set by the engine). */
  emit: ((event: EngineEvent) => void) | undefined;
  /** Set by the engine when the run classifies regimes or has a risk manager. */
  gate: EntryGate | undefined;
  readonly symbols: readonly string[];
  private readonly byName = new Map<string, SymbolData>();
  /** {@link closePosition}'s request, reused. */
  private readonly closing: { symbol: string; closePosition: true; tag: string } = { symbol: '', closePosition: true, tag: '' };
  private readonly primary: SymbolData;

  constructor(
    views: readonly SymbolData[],
    private readonly portfolio: Portfolio,
    private readonly broker: SimulatedBroker,
    private readonly orders: OrderManager,
    readonly commissionRate: number,
    private readonly clock: ReplayClock,
  ) {
    this.symbols = Object.freeze(views.map((v) => v.symbol));
    for (const view of views) this.byName.set(view.symbol, view);
    this.primary = views[0]!;
  }

  get step(): number {
    return this.clock.step;
  }

  get timeMs(): number {
    return this.clock.timeMs;
  }

  data(symbol?: string): SymbolData {
    return symbol === undefined ? this.primary : this.lookup(symbol);
  }

  private lookup(symbol: string): SymbolData {
    const view = this.byName.get(symbol);
    if (view === undefined) throw new RangeError(`unknown symbol ${symbol} — known: ${this.symbols.join(', ')}`);
    return view;
  }

  note(text: string): void {
    this.emit?.({ kind: 'StrategyNoted', step: this.clock.step, timeMs: this.clock.timeMs, text: String(text) });
  }

  regime(symbol?: string): RegimeLabels | undefined {
    return this.gate?.regimeOf(this.data(symbol).rank);
  }

  position(symbol?: string): number {
    return this.portfolio.qty[this.data(symbol).rank]!;
  }

  get cash(): number {
    return this.portfolio.cash;
  }

  get equity(): number {
    return this.portfolio.equity();
  }

  submit(request: OrderRequest): number {
    return this.orders.submit(request);
  }

  buy(request: Omit<OrderRequest, 'side'>): number {
    return this.orders.submit(request, 'buy');
  }

  sell(request: Omit<OrderRequest, 'side'>): number {
    return this.orders.submit(request, 'sell');
  }

  bracket(request: BracketRequest): BracketIds {
    return this.orders.bracket(request);
  }

  oco(requests: readonly OrderRequest[]): number[] {
    return this.orders.oco(requests);
  }

  cancel(orderId: number): void {
    this.orders.cancel(orderId);
  }

  modify(orderId: number, changes: OrderChanges): void {
    this.orders.modify(orderId, changes);
  }

  cancelAll(symbol?: string): void {
    const list = symbol === undefined ? this.broker.workingOrders() : this.broker.workingOrders(this.data(symbol).rank);
    for (const order of list) if (order.parentId === undefined || order.activeFromStep !== Number.POSITIVE_INFINITY) this.orders.cancel(order.id);
  }

  closePosition(symbol?: string, tag = 'close'): void {
    const qty = this.position(symbol);
    if (qty === 0) return;
    // One reused request: the order manager reads it during `submit` and keeps none of it.
    const request = this.closing;
    request.symbol = this.data(symbol).symbol;
    request.tag = tag;
    this.orders.submit(request, qty > 0 ? 'sell' : 'buy');
  }

  order(orderId: number): Readonly<Order> | undefined {
    return this.broker.order(orderId);
  }

  workingOrders(symbol?: string): readonly Readonly<Order>[] {
    return symbol === undefined ? this.broker.workingOrders() : this.broker.workingOrders(this.data(symbol).rank);
  }
}
