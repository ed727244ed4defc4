import type { SimulatedBroker } from './broker.js';
import type { ReplayClock } from './clock.js';
import type { EntryGate } from './entry-gate.js';
import type { Instrument } from './instrument.js';
import type { Order, OrderSide, QuantitySpec } from './order.js';
import type { BracketRequest, OrderChanges, OrderRequest } from './order-request.js';

/**
 * One queued command. The queue keeps its command objects and refills them (an order's round trip
 * would otherwise allocate one per command): `order`/`problem` are read for `SubmitOrder`,
 * `orderId` for `CancelOrder` and `ModifyOrder`, `changes` for `ModifyOrder`.
 */
class Command {
  kind: 'SubmitOrder' | 'CancelOrder' | 'ModifyOrder' = 'SubmitOrder';
  order: Order | undefined = undefined;
  problem: string | undefined = undefined;
  orderId = 0;
  changes: OrderChanges | undefined = undefined;
}

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
  /** Commands queued this step: `commands[0 … queued)`; the objects are reused. */
  private readonly commands: Command[] = [];
  private queued = 0;
  /** Regime filter and risk limits every new order passes before the broker accepts it (none when unset). */
  gate: EntryGate | undefined;
  private readonly instrumentById = new Map<string, Instrument>();
  /** The primary symbol's instrument (looked up without the map: most orders are for it). */
  private readonly primary: Instrument | undefined;

  constructor(
    private readonly broker: SimulatedBroker,
    /** "Now": the current step (-1 during `init`) and its time. */
    private readonly clock: ReplayClock,
    instruments: readonly Instrument[],
    private readonly primarySymbol: string,
  ) {
    for (const instrument of instruments) this.instrumentById.set(instrument.id, instrument);
    this.primary = this.instrumentById.get(primarySymbol);
  }

  /**
   * Queues an order; returns its id (valid even if it is rejected in the order-manager phase).
   * `side` overrides `request.side` (so `ctx.buy(request)` needs no copy of the request: object
   * spread costs microseconds on this hot path).
   */
  submit(request: RequestWithoutSide, side = request.side, ocoGroup?: number): number {
    const order = this.makeOrder(request, side, ocoGroup, undefined);
    this.queueSubmit(order, this.problemWith(request, side));
    return order.id;
  }

  /** Queues an entry with dormant OCO exits (take-profit limit, stop-loss stop). */
  bracket(request: BracketRequest): BracketIds {
    const entry = this.makeOrder(request, request.side, undefined, undefined, []);
    this.queueSubmit(entry, this.problemWith(request, request.side));
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
      this.queueSubmit(child, this.problemWith(exit, exit.side));
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
    const command = this.nextCommand();
    command.kind = 'CancelOrder';
    command.orderId = orderId;
  }

  modify(orderId: number, changes: OrderChanges): void {
    const command = this.nextCommand();
    command.kind = 'ModifyOrder';
    command.orderId = orderId;
    command.changes = changes;
  }

  /** True when commands are waiting for the order-manager phase. */
  get pending(): boolean {
    return this.queued > 0;
  }

  private queueSubmit(order: Order, problem: string | undefined): void {
    const command = this.nextCommand();
    command.kind = 'SubmitOrder';
    command.order = order;
    command.problem = problem;
  }

  /** The next command slot (a kept object when there is one). */
  private nextCommand(): Command {
    const at = this.queued++;
    if (at < this.commands.length) return this.commands[at]!;
    const command = new Command();
    this.commands.push(command);
    return command;
  }

  /** The order-manager phase: applies queued commands in the order they were made. */
  flush(): void {
    const { step, timeMs } = this.clock;
    const commands = this.commands;
    // Nothing re-enters here: the broker calls below never submit.
    for (let k = 0; k < this.queued; k++) {
      const command = commands[k]!;
      switch (command.kind) {
        case 'SubmitOrder': {
          const order = command.order!;
          if (command.problem !== undefined) this.broker.reject(order, command.problem, step, timeMs);
          else if (order.parentId !== undefined && this.broker.order(order.parentId)?.status !== 'working') {
            this.broker.reject(order, `parent order ${order.parentId} is not working`, step, timeMs);
          } else {
            const refusal = this.gate?.checkSubmit(order, this.queuedStopOf(order, k) ?? order.protectiveStop);
            if (refusal !== undefined) this.broker.reject(order, refusal, step, timeMs);
            else this.broker.accept(order, step, timeMs);
          }
          break;
        }
        case 'CancelOrder':
          this.broker.cancel(command.orderId, 'strategy', step, timeMs);
          break;
        case 'ModifyOrder': {
          const changes = command.changes!;
          const problem =
            changeProblem(changes) ??
            this.lotProblemOfChange(command.orderId, changes.qty) ??
            this.broker.modify(command.orderId, changes, step, timeMs);
          if (problem !== undefined) {
            // A refused modification leaves the order as it was; recorded for the user.
            this.broker.modifyRefused(command.orderId, problem, step, timeMs);
          }
          break;
        }
      }
      // Let go of what the command held (orders are forgotten by the broker in time).
      command.order = undefined;
      command.changes = undefined;
    }
    this.queued = 0;
  }

  /** The stop price of `order`'s bracket stop-loss, queued after it (from position `at`), if any. */
  private queuedStopOf(order: Order, at: number): number | undefined {
    if (order.childIds.length === 0) return undefined;
    for (let k = at + 1; k < this.queued; k++) {
      const command = this.commands[k]!;
      if (command.kind === 'SubmitOrder' && command.order!.parentId === order.id && command.order!.type === 'stop') return command.order!.stopPrice;
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
    const instrument = symbol === this.primarySymbol ? this.primary : this.instrumentById.get(symbol);
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

/** Specs are never changed in place (a modification replaces the order's spec), so equal ones are shared. */
const ALL_EQUITY: QuantitySpec = Object.freeze({ kind: 'equityFraction', fraction: 1 });

function quantityOf(request: RequestWithoutSide): QuantitySpec {
  if (request.closePosition === true) return CLOSE_POSITION;
  if (request.equityFraction !== undefined) return request.equityFraction === 1 ? ALL_EQUITY : { kind: 'equityFraction', fraction: request.equityFraction };
  return { kind: 'fixed', qty: request.qty ?? 0 };
}

function changeProblem(changes: OrderChanges): string | undefined {
  if (changes.qty !== undefined && !(Number.isFinite(changes.qty) && changes.qty > 0)) return `qty must be > 0, was ${changes.qty}`;
  if (changes.limitPrice !== undefined && !(Number.isFinite(changes.limitPrice) && changes.limitPrice > 0)) return `limitPrice must be > 0, was ${changes.limitPrice}`;
  if (changes.stopPrice !== undefined && !(Number.isFinite(changes.stopPrice) && changes.stopPrice > 0)) return `stopPrice must be > 0, was ${changes.stopPrice}`;
  return undefined;
}
