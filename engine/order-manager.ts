import type { SimulatedBroker } from './broker.js';
import { ReusableList } from './reusable-list.js';
import type { ReplayClock } from './clock.js';
import type { EntryGate } from './entry-gate.js';
import type { Instrument } from './instrument.js';
import type { Order, OrderSide, QuantitySpec } from './order.js';
import type { BracketRequest, OrderChanges, OrderRequest } from './order-request.js';

type Intent =
  | { readonly kind: 'SubmitOrder'; readonly order: Order; readonly problem: string | undefined }
  | { readonly kind: 'CancelOrder'; readonly orderId: number }
  | { readonly kind: 'ModifyOrder'; readonly orderId: number; readonly changes: OrderChanges };

/** Shared (frozen) child list of orders that are not a bracket entry: one allocation less per order. */
const NO_CHILDREN = Object.freeze([]) as unknown as number[];

/** A request whose side may be given separately (`ctx.buy`, `ctx.sell`). */
type RequestWithoutSide = Omit<OrderRequest, 'side'> & { readonly side?: OrderSide };

/** The ids of a bracket's orders. */
export interface BracketIds {
  readonly entryId: number;
  readonly takeProfitId: number | undefined;
  readonly stopLossId: number | undefined;
}

/**
 * Turns a strategy's requests into orders. Requests made during a step are queued as commands and
 * applied in the order-manager phase at the end of that step (validation, then acceptance by the
 * broker), so nothing placed on bar t can fill before bar t+1.
 */
export class OrderManager {
  private nextOrderId = 1;
  private nextOcoGroup = 1;
  private readonly queue = new ReusableList<Intent>();
  /** Regime filter and risk limits every new order passes before the broker accepts it (none when unset). */
  gate: EntryGate | undefined;
  private readonly instrumentById = new Map<string, Instrument>();

  constructor(
    private readonly broker: SimulatedBroker,
    /** "Now": the current step (-1 during `init`) and its time. */
    private readonly clock: ReplayClock,
    instruments: readonly Instrument[],
    private readonly primarySymbol: string,
  ) {
    for (const instrument of instruments) this.instrumentById.set(instrument.id, instrument);
  }

  /**
   * Queues an order; returns its id (valid even if it is rejected in the order-manager phase).
   * `side` overrides `request.side` (so `ctx.buy(request)` needs no copy of the request: object
   * spread costs microseconds on this hot path).
   */
  submit(request: RequestWithoutSide, side = request.side, ocoGroup?: number): number {
    const order = this.makeOrder(request, side, ocoGroup, undefined);
    this.queue.push({ kind: 'SubmitOrder', order, problem: this.problemWith(request, side) });
    return order.id;
  }

  /** Queues an entry with dormant OCO exits (take-profit limit, stop-loss stop). */
  bracket(request: BracketRequest): BracketIds {
    const entry = this.makeOrder(request, request.side, undefined, undefined, []);
    this.queue.push({ kind: 'SubmitOrder', order: entry, problem: this.problemWith(request, request.side) });
    const exitSide = request.side === 'buy' ? 'sell' : 'buy';
    const group = this.nextOcoGroup++;
    const symbol = request.symbol ?? this.primarySymbol;
    const tif = request.exitTif ?? 'gtc';
    // Exits are re-sized to the entry's filled quantity; the placeholder must still be a whole lot.
    const placeholderQty = this.instrumentById.get(symbol)?.lotSize ?? 1;
    let takeProfitId: number | undefined;
    let stopLossId: number | undefined;
    const exits: OrderRequest[] = [];
    if (request.takeProfit !== undefined) {
      exits.push({ symbol, side: exitSide, type: 'limit', limitPrice: request.takeProfit, qty: placeholderQty, tif, tag: 'take-profit', reduceOnly: true });
    }
    if (request.stopLoss !== undefined) {
      exits.push({ symbol, side: exitSide, type: 'stop', stopPrice: request.stopLoss, qty: placeholderQty, tif, tag: 'stop-loss', reduceOnly: true });
    }
    for (const exit of exits) {
      const child = this.makeOrder(exit, exit.side, exits.length > 1 ? group : undefined, entry.id);
      entry.childIds.push(child.id);
      this.queue.push({ kind: 'SubmitOrder', order: child, problem: this.problemWith(exit, exit.side) });
      if (exit.tag === 'take-profit') takeProfitId = child.id;
      else stopLossId = child.id;
    }
    return { entryId: entry.id, takeProfitId, stopLossId };
  }

  /** Queues orders that cancel each other when one fills. Returns their ids. */
  oco(requests: readonly OrderRequest[]): number[] {
    const group = this.nextOcoGroup++;
    return requests.map((request) => this.submit(request, request.side, group));
  }

  cancel(orderId: number): void {
    this.queue.push({ kind: 'CancelOrder', orderId });
  }

  modify(orderId: number, changes: OrderChanges): void {
    this.queue.push({ kind: 'ModifyOrder', orderId, changes });
  }

  /** True when commands are waiting for the order-manager phase. */
  get pending(): boolean {
    return this.queue.length > 0;
  }

  /** The order-manager phase: applies queued commands in the order they were made. */
  flush(): void {
    const { step, timeMs } = this.clock;
    const queue = this.queue;
    // Nothing re-enters here: the broker calls below never submit.
    for (let k = 0; k < queue.length; k++) {
      const intent = queue.at(k);
      switch (intent.kind) {
        case 'SubmitOrder':
          if (intent.problem !== undefined) this.broker.reject(intent.order, intent.problem, step, timeMs);
          else if (intent.order.parentId !== undefined && this.broker.order(intent.order.parentId)?.status !== 'working') {
            this.broker.reject(intent.order, `parent order ${intent.order.parentId} is not working`, step, timeMs);
          } else {
            const refusal = this.gate?.checkSubmit(intent.order, this.queuedStopOf(intent.order, k) ?? intent.order.protectiveStop);
            if (refusal !== undefined) this.broker.reject(intent.order, refusal, step, timeMs);
            else this.broker.accept(intent.order, step, timeMs);
          }
          break;
        case 'CancelOrder':
          this.broker.cancel(intent.orderId, 'strategy', step, timeMs);
          break;
        case 'ModifyOrder': {
          const problem =
            changeProblem(intent.changes) ??
            this.lotProblemOfChange(intent.orderId, intent.changes.qty) ??
            this.broker.modify(intent.orderId, intent.changes, step, timeMs);
          if (problem !== undefined) {
            // A refused modification leaves the order as it was; recorded for the user.
            this.broker.modifyRefused(intent.orderId, problem, step, timeMs);
          }
          break;
        }
      }
    }
    queue.clear();
  }

  /** The stop price of `order`'s bracket stop-loss, queued after it (from position `at`), if any. */
  private queuedStopOf(order: Order, at: number): number | undefined {
    if (order.childIds.length === 0) return undefined;
    for (let k = at + 1; k < this.queue.length; k++) {
      const intent = this.queue.at(k);
      if (intent.kind === 'SubmitOrder' && intent.order.parentId === order.id && intent.order.type === 'stop') return intent.order.stopPrice;
    }
    return undefined;
  }

  private makeOrder(
    request: RequestWithoutSide,
    side: OrderSide | undefined,
    ocoGroup: number | undefined,
    parentId: number | undefined,
    childIds: number[] = NO_CHILDREN,
  ): Order {
    return {
      id: this.nextOrderId++,
      instrumentId: request.symbol ?? this.primarySymbol,
      // An invalid side is rejected by problemWith; the order keeps what was asked for the record.
      side: side as OrderSide,
      type: request.type ?? 'market',
      quantity: quantityOf(request),
      limitPrice: request.limitPrice,
      stopPrice: request.stopPrice,
      tif: request.tif ?? 'gtc',
      tag: request.tag ?? '',
      ocoGroup,
      parentId,
      childIds,
      reduceOnly: request.reduceOnly ?? false,
      protectiveStop: request.protectiveStop,
      status: 'working',
      triggered: false,
      acceptedStep: this.clock.step,
      activeFromStep: parentId === undefined ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      sessionKey: -1,
    };
  }

  /** A new quantity must be whole lots of the order's instrument, like a new order's. */
  private lotProblemOfChange(orderId: number, qty: number | undefined): string | undefined {
    if (qty === undefined) return undefined;
    const instrumentId = this.broker.order(orderId)?.instrumentId;
    const instrument = instrumentId === undefined ? undefined : this.instrumentById.get(instrumentId);
    return instrument === undefined ? undefined : lotProblem(qty, instrument.lotSize);
  }

  private problemWith(request: RequestWithoutSide, side: OrderSide | undefined): string | undefined {
    const symbol = request.symbol ?? this.primarySymbol;
    const instrument = this.instrumentById.get(symbol);
    if (instrument === undefined) return `unknown symbol ${symbol} — known: ${[...this.instrumentById.keys()].join(', ')}`;
    if (side !== 'buy' && side !== 'sell') return `side must be buy or sell, was ${String(side)}`;
    const sizings = Number(request.qty !== undefined) + Number(request.equityFraction !== undefined) + Number(request.closePosition === true);
    if (sizings !== 1) return 'give exactly one of qty, equityFraction or closePosition';
    if (request.qty !== undefined) {
      if (!(Number.isFinite(request.qty) && request.qty > 0)) return `qty must be > 0, was ${request.qty}`;
      const problem = lotProblem(request.qty, instrument.lotSize);
      if (problem !== undefined) return problem;
    }
    if (request.equityFraction !== undefined && !(request.equityFraction > 0 && request.equityFraction <= 1e6)) {
      return `equityFraction must be > 0, was ${request.equityFraction}`;
    }
    if (request.protectiveStop !== undefined && !(Number.isFinite(request.protectiveStop) && request.protectiveStop > 0)) {
      return `protectiveStop must be a price > 0, was ${request.protectiveStop}`;
    }
    const type = request.type ?? 'market';
    const needsLimit = type === 'limit' || type === 'stopLimit';
    const needsStop = type === 'stop' || type === 'stopLimit';
    if (needsLimit && !(Number.isFinite(request.limitPrice) && request.limitPrice! > 0)) return `${type} order needs limitPrice > 0, was ${request.limitPrice}`;
    if (needsStop && !(Number.isFinite(request.stopPrice) && request.stopPrice! > 0)) return `${type} order needs stopPrice > 0, was ${request.stopPrice}`;
    if (!needsLimit && request.limitPrice !== undefined) return `${type} order takes no limitPrice`;
    if (!needsStop && request.stopPrice !== undefined) return `${type} order takes no stopPrice`;
    return undefined;
  }
}

function lotProblem(qty: number, lotSize: number): string | undefined {
  const lots = qty / lotSize;
  return Math.abs(lots - Math.round(lots)) > 1e-9 ? `qty ${qty} is not a whole number of lots of ${lotSize}` : undefined;
}

/** Shared: closing orders are common and the spec carries no value. */
const CLOSE_POSITION: QuantitySpec = Object.freeze({ kind: 'closePosition' });

function quantityOf(request: RequestWithoutSide): QuantitySpec {
  if (request.closePosition === true) return CLOSE_POSITION;
  if (request.equityFraction !== undefined) return { kind: 'equityFraction', fraction: request.equityFraction };
  return { kind: 'fixed', qty: request.qty ?? 0 };
}

function changeProblem(changes: OrderChanges): string | undefined {
  if (changes.qty !== undefined && !(Number.isFinite(changes.qty) && changes.qty > 0)) return `qty must be > 0, was ${changes.qty}`;
  if (changes.limitPrice !== undefined && !(Number.isFinite(changes.limitPrice) && changes.limitPrice > 0)) return `limitPrice must be > 0, was ${changes.limitPrice}`;
  if (changes.stopPrice !== undefined && !(Number.isFinite(changes.stopPrice) && changes.stopPrice > 0)) return `stopPrice must be > 0, was ${changes.stopPrice}`;
  return undefined;
}
