import type { FeeModel, FeeParameters, SlippageModel, SlippageParameters } from './costs/types.js';
import type { EngineEvent } from './events.js';
import type { Fill } from './fill.js';
import {
  matchLimit,
  matchStop,
  matchStopAfterEntry,
  matchStopLimit,
  type BarPrices,
  type MatchResult,
} from './fill-rules.js';
import type { Instrument } from './instrument.js';
import type { Order } from './order.js';
import type { Portfolio } from './portfolio.js';
import { ReusableList } from './reusable-list.js';
import { equityFractionQuantity, type EquityFractionSizing } from './sizing.js';

/**
 * What the slippage model is told about a fill (reused). The bar's values are read from the bar
 * when the model asks for them: the zero and most fixed models never do, and every column read on
 * a sparse fill bar is a trip to memory.
 */
class SlippageInputs implements SlippageParameters {
  side: 'buy' | 'sell' = 'buy';
  qty = 0;
  price = 0;
  bar: BrokerBar = NO_BAR;

  constructor(public instrument: Instrument) {}

  get barHigh(): number {
    return this.bar.high;
  }

  get barLow(): number {
    return this.bar.low;
  }

  get barVolume(): number {
    return this.bar.volume;
  }

  get barSpread(): number {
    return this.bar.spread;
  }
}

const NO_BAR: BrokerBar = Object.freeze({ timeMs: 0, open: 0, high: 0, low: 0, close: 0, volume: Number.NaN, spread: Number.NaN });

/** Which side wins when one bar touches both exits of an OCO pair and neither gapped. */
export type BracketAmbiguity = 'stop-first' | 'target-first';

/** Resolved broker settings. */
export interface BrokerConfig {
  readonly fee: FeeModel;
  readonly slippage: SlippageModel;
  /** Percent-of-value commission rate, used to size `equityFraction` orders at fill time. */
  readonly commissionRate: number;
  readonly ambiguity: BracketAmbiguity;
  /** Max gross exposure ÷ equity after a fill that increases a position (1 = cash account). */
  readonly leverage: number;
  /** Offset added to bar times before taking the UTC day as the session of `day` orders. */
  readonly sessionOffsetMs: number;
}

/** One bar of one instrument as the broker sees it. */
export interface BrokerBar extends BarPrices {
  readonly timeMs: number;
  /** NaN when the data has no volume. */
  readonly volume: number;
  /** NaN when the data has no `spread` column. */
  readonly spread: number;
}

interface Candidate {
  readonly order: Order;
  readonly match: MatchResult;
}

const DAY_MS = 86_400_000;

/**
 * The simulated broker: holds orders, matches working orders against each new bar by the rules
 * in `fill-rules.ts`, resolves OCO/bracket ambiguity, applies costs, checks buying power and books
 * fills into the portfolio. Orders accepted at step s are matched from the instrument's next bar.
 */
export class SimulatedBroker {
  /**
   * Working orders, and finished ones until the end of the step after the one they finished in,
   * by id. Ids are small and dense, so an array indexed by id (a forgotten order leaves an empty
   * slot of a few bytes) — a `Map` re-sized its table as orders came and went, allocating each time.
   */
  private readonly orders = new OrderTable();
  private finishedNow = new ReusableList<number>();
  private finishedBefore = new ReusableList<number>();
  /** True while either finished list holds ids: the usual step ends with one test of this. */
  private finishedPending = false;
  /** Working orders per instrument index, in id order (includes dormant bracket children). */
  private readonly working: Order[][];
  private readonly indexOf = new Map<string, number>();
  private readonly firstId: string;
  private readonly slipParams: SlippageInputs;
  private readonly feeParams: { -readonly [K in keyof FeeParameters]: FeeParameters[K] };
  /** {@link matchOrder}'s result for market orders (filled at the open, never a trigger). */
  private readonly marketMatch: MatchResult = { price: Number.NaN, atOpen: true, triggered: false };
  /** `equityFractionQuantity`'s argument, reused (read during the call only). */
  private readonly sizing: { -readonly [K in keyof EquityFractionSizing]: EquityFractionSizing[K] } = {
    equity: 0, fraction: 0, price: 0, multiplier: 1, commissionRate: 0, lotSize: 1,
  };
  private readonly scratchFill: { -readonly [K in keyof Fill]: Fill[K] } = {
    orderId: 0, instrumentId: '', side: 'buy', qty: 0, price: 0, slippage: 0, fee: 0, timeMs: 0, step: 0, tag: '', protectiveStop: undefined,
  };

  constructor(
    private readonly instruments: readonly Instrument[],
    private readonly portfolio: Portfolio,
    private readonly config: BrokerConfig,
    private readonly emit: (event: EngineEvent) => void,
    /**
     * Build and emit events at all. False when nobody keeps or reads them (grid cells without an
     * event log and a strategy without `onFill`): saves several objects per order.
     */
    private readonly recording = true,
  ) {
    this.working = instruments.map(() => []);
    const first = instruments[0]!;
    this.firstId = first.id;
    this.slipParams = new SlippageInputs(first);
    this.feeParams = { instrument: first, side: 'buy', qty: 0, price: 0 };
    instruments.forEach((instrument, index) => this.indexOf.set(instrument.id, index));
  }

  /**
   * The order with this id while it is working, and after it finished (filled, cancelled, expired,
   * rejected) until the end of the following step — long enough for the strategy to see its final
   * status. Undefined afterwards (the event log keeps the full history), so a long run does not
   * hold every order it ever placed.
   */
  order(id: number): Readonly<Order> | undefined {
    return this.orders.get(id);
  }

  /** Forgets orders that finished before the current step (called by the engine at each step end). */
  endStep(): void {
    if (this.finishedPending) this.forgetFinished();
  }

  private forgetFinished(): void {
    const before = this.finishedBefore;
    for (let k = 0; k < before.length; k++) this.orders.delete(before.at(k));
    before.clear();
    this.finishedBefore = this.finishedNow;
    this.finishedNow = before;
    this.finishedPending = this.finishedBefore.length !== 0;
  }

  /** Working (and dormant) orders of one instrument index, or of all when omitted. */
  workingOrders(index?: number): readonly Readonly<Order>[] {
    if (index !== undefined) return this.working[index] ?? [];
    return this.working.flat().sort((a, b) => a.id - b.id);
  }

  /** True when any instrument has a working order. */
  hasWorkingOrders(index: number): boolean {
    return this.working[index]!.length > 0;
  }

  /** Adds an already-validated order as working (accepted). */
  accept(order: Order, step: number, timeMs: number): void {
    this.orders.set(order.id, order);
    this.working[this.indexOfInstrument(order.instrumentId)]!.push(order);
    const q = order.quantity;
    if (this.recording) this.emit({
      kind: 'OrderAccepted',
      step,
      timeMs,
      orderId: order.id,
      instrumentId: order.instrumentId,
      side: order.side,
      type: order.type,
      tif: order.tif,
      // Bracket exits are sized to the entry's fill when it happens.
      qty: q.kind === 'fixed' && order.parentId === undefined ? q.qty : 'atFill',
      limitPrice: order.limitPrice,
      stopPrice: order.stopPrice,
      tag: order.tag,
      parentId: order.parentId,
    });
  }

  /** Records a rejected order (never working). */
  reject(order: Order, reason: string, step: number, timeMs: number): void {
    order.status = 'rejected';
    this.orders.set(order.id, order);
    this.finishedNow.push(order.id);
    this.finishedPending = true;
    if (this.recording) this.emit({ kind: 'OrderRejected', step, timeMs, orderId: order.id, reason });
  }

  /** Cancels a working order and its dormant children. Returns false if it was not working. */
  cancel(id: number, reason: string, step: number, timeMs: number): boolean {
    const order = this.orders.get(id);
    if (order === undefined || order.status !== 'working') return false;
    this.finish(order, 'canceled');
    if (this.recording) this.emit({ kind: 'OrderCanceled', step, timeMs, orderId: id, reason });
    this.cancelDormantChildren(order, step, timeMs);
    return true;
  }

  /** Applies changes to a working order; returns a reason string when refused. */
  modify(
    id: number,
    changes: { qty?: number | undefined; limitPrice?: number | undefined; stopPrice?: number | undefined },
    step: number,
    timeMs: number,
  ): string | undefined {
    const order = this.orders.get(id);
    if (order === undefined || order.status !== 'working') return `order ${id} is not working`;
    if (changes.limitPrice !== undefined && order.limitPrice === undefined) return `order ${id} has no limit price`;
    if (changes.stopPrice !== undefined && order.stopPrice === undefined) return `order ${id} has no stop price`;
    if (changes.qty !== undefined) order.quantity = { kind: 'fixed', qty: changes.qty };
    if (changes.limitPrice !== undefined) order.limitPrice = changes.limitPrice;
    if (changes.stopPrice !== undefined) order.stopPrice = changes.stopPrice;
    if (this.recording) this.emit({
      kind: 'OrderModified',
      step,
      timeMs,
      orderId: id,
      qty: changes.qty,
      limitPrice: changes.limitPrice,
      stopPrice: changes.stopPrice,
    });
    return undefined;
  }

  /** The stop price of a bracket entry's stop-loss child, if it has one still working. */
  private protectiveStopOf(order: Order): number | undefined {
    for (const id of order.childIds) {
      const child = this.orders.get(id);
      if (child !== undefined && child.status === 'working' && child.type === 'stop') return child.stopPrice;
    }
    return undefined;
  }

  /** Records a refused modification; the order stays as it was. */
  modifyRefused(id: number, reason: string, step: number, timeMs: number): void {
    if (this.recording) this.emit({ kind: 'OrderModifyRejected', step, timeMs, orderId: id, reason });
  }

  /**
   * Matches the working orders of instrument `index` against its bar at `step`. Orders accepted
   * at this step or later, and dormant children, are not matched (no look-ahead).
   */
  matchBar(index: number, step: number, bar: BrokerBar, sessionBar = false): void {
    const list = this.working[index]!;
    if (list.length === 0) return;
    // The session key only matters to day orders (a division: worked out on first need).
    let session = Number.NaN;
    // The usual case is one order that fills: kept in locals; a list only from the second on.
    let first: Order | undefined;
    let firstMatch: MatchResult | undefined;
    let candidates: Candidate[] | undefined;
    // Expiry below removes orders from `list`: iterate over a copy (one order needs none).
    const snapshot = list.length === 1 ? list : list.slice();
    for (let k = 0; k < snapshot.length; k++) {
      const order = snapshot[k]!;
      if (order.acceptedStep >= step || order.activeFromStep >= step) continue;
      if (order.tif === 'day') {
        if (Number.isNaN(session)) session = this.sessionOf(bar.timeMs);
        if (order.sessionKey === -1) order.sessionKey = session;
        else if (order.sessionKey !== session) {
          this.finish(order, 'expired');
          if (this.recording) this.emit({ kind: 'OrderExpired', step, timeMs: bar.timeMs, orderId: order.id });
          this.cancelDormantChildren(order, step, bar.timeMs);
          continue;
        }
      }
      const match = this.matchOrder(order, bar);
      if (order.type === 'stopLimit' && match.triggered) order.triggered = true;
      if (Number.isNaN(match.price)) continue;
      if (first === undefined) {
        first = order;
        firstMatch = match;
      } else (candidates ??= [{ order: first, match: firstMatch! }]).push({ order, match });
    }
    if (candidates !== undefined) this.fillCandidates(resolveOco(candidates, this.config.ambiguity), index, step, bar);
    else if (first !== undefined) this.fillOne(first, firstMatch!, index, step, bar);
    // Each bar a whole session (daily or longer bars): a day order ends with the first bar it
    // could fill on, before the strategy sees that bar.
    if (sessionBar) this.expireSessionDayOrders(index, step, bar.timeMs, Number.isNaN(session) ? this.sessionOf(bar.timeMs) : session);
  }

  private expireSessionDayOrders(index: number, step: number, timeMs: number, session: number): void {
    for (const order of [...this.working[index]!]) {
      if (order.tif === 'day' && order.status === 'working' && order.sessionKey === session) {
        this.finish(order, 'expired');
        if (this.recording) this.emit({ kind: 'OrderExpired', step, timeMs, orderId: order.id });
        this.cancelDormantChildren(order, step, timeMs);
      }
    }
  }

  private fillCandidates(candidates: Candidate[], index: number, step: number, bar: BrokerBar): void {
    // Fills at the open happened first; the rest in order id (deterministic).
    if (candidates.length > 1) candidates.sort((a, b) => Number(b.match.atOpen) - Number(a.match.atOpen) || a.order.id - b.order.id);
    for (const { order, match } of candidates) this.fillOne(order, match, index, step, bar);
  }

  /** Fills one matched order (if still working) and wakes its bracket children. */
  private fillOne(order: Order, match: MatchResult, index: number, step: number, bar: BrokerBar): void {
    if (order.status !== 'working') return;
    const fill = this.execute(order, index, step, bar, match.price);
    if (fill !== undefined) this.activateChildren(order, fill, match.atOpen, index, step, bar);
  }

  private activateChildren(parent: Order, fill: Fill, atOpen: boolean, index: number, step: number, bar: BrokerBar): void {
    if (parent.childIds.length === 0) return;
    const sameBar: Candidate[] = [];
    for (const id of parent.childIds) {
      const child = this.orders.get(id);
      if (child === undefined || child.status !== 'working') continue;
      child.activeFromStep = step - 1; // working from this bar on
      if (child.tif === 'day') child.sessionKey = this.sessionOf(bar.timeMs); // its first session is the entry's
      if (child.quantity.kind === 'fixed') child.quantity = { kind: 'fixed', qty: fill.qty };
      let match: MatchResult;
      if (atOpen) match = this.matchOrder(child, bar);
      else if (child.type === 'stop' && child.stopPrice !== undefined) {
        match = matchStopAfterEntry(child.side, child.stopPrice, fill.price, bar);
      } else continue;
      if (!Number.isNaN(match.price)) sameBar.push({ order: child, match });
    }
    const resolved = resolveOco(sameBar, this.config.ambiguity);
    for (const { order, match } of resolved) {
      if (order.status === 'working') this.execute(order, index, step, bar, match.price);
    }
  }

  /** Sizes, costs, checks and books one fill. Returns undefined when the order was refused. */
  private execute(order: Order, index: number, step: number, bar: BrokerBar, price: number): Fill | undefined {
    const instrument = this.instruments[index]!;
    const position = this.portfolio.qty[index]!;
    const buy = order.side === 'buy';
    // Reused argument objects (cost models read them during the call and must not keep them).
    const slipParams = this.slipParams;
    slipParams.instrument = instrument;
    slipParams.side = order.side;
    slipParams.qty = 1;
    slipParams.price = price;
    slipParams.bar = bar;
    let qty = this.resolveQuantity(order, index, position, price, slipParams);
    if (order.reduceOnly) {
      const opposite = buy ? Math.max(0, -position) : Math.max(0, position);
      qty = Math.min(qty, opposite);
      if (qty <= 0) {
        this.finish(order, 'canceled');
        if (this.recording) this.emit({ kind: 'OrderCanceled', step, timeMs: bar.timeMs, orderId: order.id, reason: 'reduce-only: no position to reduce' });
        // Its OCO partners protect the same (gone) position: they must not outlive it.
        if (order.ocoGroup !== undefined) this.cancelOcoSiblings(order, step, bar.timeMs);
        return undefined;
      }
    }
    if (!(qty > 0)) {
      this.refuse(order, `quantity resolves to 0 at fill price ${price}`, step, bar.timeMs);
      return undefined;
    }
    slipParams.qty = qty;
    let slippage = this.config.slippage.slippage(slipParams);
    let fee = this.feeOf(instrument, order.side, qty, buy ? price + slippage : price - slippage);
    let newPosition = position + (buy ? qty : -qty);
    if (Math.abs(newPosition) > Math.abs(position)) {
      let refusal = this.buyingPowerRefusal(index, newPosition, price, slippage * qty * instrument.multiplier + fee);
      // An equity-fraction order is sized before fixed fees (per share, per order, minimums) and
      // size-dependent slippage are known: shrink it lot by lot until it fits, as a broker would.
      for (let tries = 0; refusal !== undefined && order.quantity.kind === 'equityFraction' && tries < 64; tries++) {
        const excess = this.buyingPowerExcess(index, newPosition, price, slippage * qty * instrument.multiplier + fee);
        const lotValue = price * instrument.multiplier * instrument.lotSize;
        qty -= instrument.lotSize * Math.max(1, Math.ceil(excess / (lotValue * this.config.leverage)));
        if (qty <= 0) break;
        slipParams.qty = qty;
        slippage = this.config.slippage.slippage(slipParams);
        fee = this.feeOf(instrument, order.side, qty, buy ? price + slippage : price - slippage);
        newPosition = position + (buy ? qty : -qty);
        refusal = this.buyingPowerRefusal(index, newPosition, price, slippage * qty * instrument.multiplier + fee);
      }
      if (refusal !== undefined || !(qty > 0)) {
        this.refuse(order, refusal ?? `quantity resolves to 0 at fill price ${price} after fees`, step, bar.timeMs);
        return undefined;
      }
    }
    const protectiveStop = order.childIds.length === 0 ? order.protectiveStop : this.protectiveStopOf(order);
    // A fill object for the event log and `onFill`; without them, one reused object (the portfolio
    // copies what it keeps).
    const fill: Fill = this.recording
      ? { orderId: order.id, instrumentId: order.instrumentId, side: order.side, qty, price, slippage, fee, timeMs: bar.timeMs, step, tag: order.tag, protectiveStop }
      : this.reusedFill(order, qty, price, slippage, fee, bar.timeMs, step, protectiveStop);
    this.portfolio.applyFill(index, fill);
    this.finish(order, 'filled');
    if (this.recording) this.emit({ kind: 'OrderFilled', step, timeMs: bar.timeMs, fill });
    if (order.ocoGroup !== undefined) this.cancelOcoSiblings(order, step, bar.timeMs);
    return fill;
  }

  private resolveQuantity(
    order: Order,
    index: number,
    position: number,
    price: number,
    slipParams: Parameters<SlippageModel['slippage']>[0],
  ): number {
    const instrument = this.instruments[index]!;
    const q = order.quantity;
    switch (q.kind) {
      case 'fixed':
        return q.qty;
      case 'closePosition':
        return (order.side === 'buy' && position < 0) || (order.side === 'sell' && position > 0) ? Math.abs(position) : 0;
      case 'equityFraction': {
        const { leverage, commissionRate } = this.config;
        const buy = order.side === 'buy';
        const slip = this.config.slippage.slippage(slipParams);
        const paid = buy ? price + slip : Math.max(price - slip, 0);
        const equity = this.equityAt(index, price);
        const available = leverage * equity - this.exposureAt(index, price);
        // The buying-power check wants `price` of exposure per unit <= leverage × (equity − slip −
        // commissionRate × paid). Sizing at `paid × (1 + commissionRate)` per unit matches that only
        // for a buy without leverage; otherwise add the difference so a full-size order passes.
        const extra = (buy ? leverage - 1 : leverage + 1) * slip + (leverage - 1) * commissionRate * paid;
        const sizing = this.sizing;
        sizing.equity = Math.max(0, available);
        sizing.fraction = q.fraction;
        sizing.price = extra === 0 ? paid : paid + extra / (1 + commissionRate);
        sizing.multiplier = instrument.multiplier;
        sizing.commissionRate = commissionRate;
        sizing.lotSize = instrument.lotSize;
        return equityFractionQuantity(sizing);
      }
    }
  }

  /** Equity with instrument `index` valued at `price` instead of its last mark. */
  private equityAt(index: number, price: number): number {
    const p = this.portfolio;
    const q = p.qty[index]!;
    const mark = p.mark[index]!;
    const markValue = q === 0 || Number.isNaN(mark) ? 0 : q * mark * this.instruments[index]!.multiplier;
    return p.equity() - markValue + q * price * this.instruments[index]!.multiplier;
  }

  private exposureAt(index: number, price: number): number {
    const p = this.portfolio;
    const q = p.qty[index]!;
    const mark = p.mark[index]!;
    const mult = this.instruments[index]!.multiplier;
    const markValue = q === 0 || Number.isNaN(mark) ? 0 : Math.abs(q * mark * mult);
    return p.grossExposure() - markValue + Math.abs(q * price * mult);
  }

  /** How far (account currency of exposure) a fill would go past the buying-power limit; <= 0 when it fits. */
  private buyingPowerExcess(index: number, newPosition: number, price: number, cost: number): number {
    const mult = this.instruments[index]!.multiplier;
    const position = this.portfolio.qty[index]!;
    const equityAfter = this.equityAt(index, price) - cost;
    const exposureAfter = this.exposureAt(index, price) - Math.abs(position * price * mult) + Math.abs(newPosition * price * mult);
    return exposureAfter - this.config.leverage * equityAfter;
  }

  private buyingPowerRefusal(index: number, newPosition: number, price: number, cost: number): string | undefined {
    const mult = this.instruments[index]!.multiplier;
    const position = this.portfolio.qty[index]!;
    const equityAfter = this.equityAt(index, price) - cost;
    const exposureAfter = this.exposureAt(index, price) - Math.abs(position * price * mult) + Math.abs(newPosition * price * mult);
    const allowed = this.config.leverage * equityAfter;
    if (exposureAfter <= allowed * (1 + 1e-12)) return undefined;
    return `insufficient buying power: exposure after fill ${round2(exposureAfter)} > ${this.config.leverage} × equity ${round2(equityAfter)}`;
  }

  private refuse(order: Order, reason: string, step: number, timeMs: number): void {
    this.finish(order, 'rejected');
    if (this.recording) this.emit({ kind: 'OrderRejected', step, timeMs, orderId: order.id, reason });
    this.cancelDormantChildren(order, step, timeMs);
  }

  private cancelOcoSiblings(order: Order, step: number, timeMs: number): void {
    // Partners may be on other instruments ("buy A or B, whichever triggers first").
    for (const list of this.working) {
      for (const other of [...list]) {
        if (other.ocoGroup === order.ocoGroup && other.id !== order.id && other.status === 'working') {
          this.finish(other, 'canceled');
          if (this.recording) this.emit({ kind: 'OrderCanceled', step, timeMs, orderId: other.id, reason: `oco: order ${order.id} ${order.status}` });
        }
      }
    }
  }

  private cancelDormantChildren(order: Order, step: number, timeMs: number): void {
    for (const id of order.childIds) {
      const child = this.orders.get(id);
      if (child !== undefined && child.status === 'working' && child.activeFromStep === Number.POSITIVE_INFINITY) {
        this.finish(child, 'canceled');
        if (this.recording) this.emit({ kind: 'OrderCanceled', step, timeMs, orderId: id, reason: `parent order ${order.id} ${order.status}` });
      }
    }
  }

  private reusedFill(order: Order, qty: number, price: number, slippage: number, fee: number, timeMs: number, step: number, protectiveStop: number | undefined): Fill {
    const f = this.scratchFill;
    f.orderId = order.id;
    f.instrumentId = order.instrumentId;
    f.side = order.side;
    f.qty = qty;
    f.price = price;
    f.slippage = slippage;
    f.fee = fee;
    f.timeMs = timeMs;
    f.step = step;
    f.tag = order.tag;
    f.protectiveStop = protectiveStop;
    return f;
  }

  /** The fee model's fee for one fill (through a reused argument object). */
  private feeOf(instrument: Instrument, side: 'buy' | 'sell', qty: number, price: number): number {
    const p = this.feeParams;
    p.instrument = instrument;
    p.side = side;
    p.qty = qty;
    p.price = price;
    return this.config.fee.fee(p);
  }

  /**
   * Matches one working order against a bar by its type. A market order's result is one reused
   * object (every market order on a bar fills at the same open; the result is read within the
   * bar's matching), the rest come from the pure rules in `fill-rules.ts`.
   */
  private matchOrder(order: Order, bar: BarPrices): MatchResult {
    switch (order.type) {
      case 'market': {
        const match = this.marketMatch;
        match.price = bar.open;
        return match;
      }
      case 'limit':
        return matchLimit(order.side, order.limitPrice!, bar);
      case 'stop':
        return matchStop(order.side, order.stopPrice!, bar);
      case 'stopLimit':
        return matchStopLimit(order.side, order.stopPrice!, order.limitPrice!, order.triggered, bar);
    }
  }

  /** Index of an instrument id (the first instrument's without a map lookup: the usual case). */
  private indexOfInstrument(id: string): number {
    return id === this.firstId ? 0 : this.indexOf.get(id)!;
  }

  /** Session key (day number after the session offset) of a bar time, for `day` orders. */
  private sessionOf(timeMs: number): number {
    return Math.floor((timeMs + this.config.sessionOffsetMs) / DAY_MS);
  }

  private finish(order: Order, status: Order['status']): void {
    order.status = status;
    this.finishedNow.push(order.id);
    this.finishedPending = true;
    const list = this.working[this.indexOfInstrument(order.instrumentId)]!;
    // Remove in place, keeping id order (cheaper than indexOf + splice on these short lists).
    let at = 0;
    while (at < list.length && list[at] !== order) at++;
    if (at === list.length) return;
    for (; at < list.length - 1; at++) list[at] = list[at + 1]!;
    list.pop();
  }
}

/**
 * Keeps at most one candidate per OCO group: one that filled at the open (a gap decides), else by
 * the ambiguity rule (stop-type orders first by default), then the lowest id.
 */
function resolveOco(candidates: Candidate[], ambiguity: BracketAmbiguity): Candidate[] {
  if (candidates.length < 2) return candidates;
  const best = new Map<number, Candidate>();
  const result: Candidate[] = [];
  for (const c of candidates) {
    const group = c.order.ocoGroup;
    if (group === undefined) {
      result.push(c);
      continue;
    }
    const current = best.get(group);
    if (current === undefined || ocoRank(c, ambiguity) < ocoRank(current, ambiguity)) best.set(group, c);
  }
  for (const c of best.values()) result.push(c);
  return result.sort((a, b) => a.order.id - b.order.id);
}

function ocoRank(c: Candidate, ambiguity: BracketAmbiguity): number {
  const isStop = c.order.type === 'stop' || c.order.type === 'stopLimit';
  const preferred = ambiguity === 'stop-first' ? isStop : !isStop;
  return (c.match.atOpen ? 0 : 2) + (preferred ? 0 : 1) + c.order.id * 1e-12;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Orders by id: a window over the ids still held (`slots[i]` holds id `base + i` for `i < size`).
 * Ids come in increasing order and are forgotten roughly in order, so the window stays short: the
 * run of empty slots before the first held order is dropped (moved down in place) once it is most
 * of the window.
 * The array itself is never replaced or shrunk, so a run that places and forgets orders one after
 * another does not allocate a new backing store each time its window empties.
 */
export class OrderTable {
  private readonly slots: (Order | undefined)[] = [];
  private size = 0;
  private base = 0;
  /** Slots before this one are empty (the first held order is at or after it). */
  private head = 0;

  get(id: number): Order | undefined {
    const i = id - this.base;
    return i >= 0 && i < this.size ? this.slots[i] : undefined;
  }

  /** Slots in the window (held orders and the gaps between them); for tests. */
  get windowLength(): number {
    return this.size;
  }

  set(id: number, order: Order): void {
    const slots = this.slots;
    if (this.size === 0) {
      this.base = id;
      this.head = 0;
    }
    let i = id - this.base;
    if (i < 0) {
      // An id below the window (not seen in practice): shift the window up to start at `id`.
      for (let k = this.size - 1; k >= 0; k--) this.put(k - i, slots[k]);
      for (let k = 0; k < -i; k++) slots[k] = undefined;
      this.size -= i;
      this.base = id;
      this.head = 0;
      i = 0;
    }
    while (this.size < i) this.put(this.size++, undefined);
    this.put(i, order);
    if (i === this.size) this.size++;
    if (i < this.head) this.head = i;
  }

  delete(id: number): void {
    const i = id - this.base;
    const slots = this.slots;
    if (i < 0 || i >= this.size) return;
    slots[i] = undefined;
    if (i !== this.head) return;
    // The first held order went: move past the run of empty slots it started.
    let head = i + 1;
    while (head < this.size && slots[head] === undefined) head++;
    if (head === this.size) {
      this.size = 0;
      this.head = 0;
      this.base = id + 1;
    } else if (head >= 32 && head * 2 >= this.size) {
      const kept = this.size - head;
      for (let k = 0; k < kept; k++) slots[k] = slots[k + head];
      for (let k = kept; k < this.size; k++) slots[k] = undefined;
      this.size = kept;
      this.base += head;
      this.head = 0;
    } else this.head = head;
  }

  /** Writes slot `k`, growing the array (by pushes, so it stays packed) only past its current end. */
  private put(k: number, order: Order | undefined): void {
    const slots = this.slots;
    if (k < slots.length) {
      slots[k] = order;
      return;
    }
    while (slots.length < k) slots.push(undefined);
    slots.push(order);
  }
}
