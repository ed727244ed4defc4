import type { BarSeries } from './bars.js';
import type { RegimeLabels } from './context.js';
import type { SimulatedBroker } from './broker.js';
import type { ReplayClock } from './clock.js';
import type { EngineEvent } from './events.js';
import type { Instrument } from './instrument.js';
import { Interner } from './interner.js';
import { RegimeStats, type RegimeRow } from './metrics/regime-metrics.js';
import type { Order } from './order.js';
import type { OrderManager } from './order-manager.js';
import type { Portfolio } from './portfolio.js';
import { RegimeClassifier } from './regime.js';
import type { ResolvedRegimes } from './regime-config.js';
import type { ResolvedRiskConfig } from './risk/risk-config.js';
import { RiskManager } from './risk/risk-manager.js';
import type { RiskAction, RiskPosition, WorkingEntry } from './risk/risk-types.js';
import type { SymbolData } from './symbol-data.js';

const DAY_MS = 86_400_000;

/** Per-regime statistics of a run, one table per dimension (rows in first-seen order). */
export interface RegimeReport {
  readonly vol: readonly RegimeRow[];
  readonly trend: readonly RegimeRow[];
}

/** What the gate works with (the engine's parts). */
export interface GateParts {
  readonly series: readonly BarSeries[];
  readonly instruments: readonly Instrument[];
  readonly portfolio: Portfolio;
  readonly broker: SimulatedBroker;
  readonly orders: OrderManager;
  readonly clock: ReplayClock;
  readonly initialCapital: number;
  readonly sessionOffsetMs: number;
  readonly emit: (event: EngineEvent) => void;
}

/**
 * The engine's risk phase and the check every new order passes before the broker accepts it: the
 * regime classifiers (labels, `RegimeChanged` events, per-regime statistics, the regime filter on
 * entries) and the {@link RiskManager} (circuit breakers after every bar, pre-trade limits on
 * every entry). Exits always pass: closing orders, reduce-only orders and bracket exits are never
 * entries. Built only when a run has a `regimes` or `risk` block, so other runs pay nothing.
 */
export class EntryGate {
  private readonly classifiers: RegimeClassifier[] | undefined;
  private readonly volStats: RegimeStats | undefined;
  private readonly trendStats: RegimeStats | undefined;
  /** The primary symbol's labels at each step (ids from `labels`), for trades' entry regimes. */
  private volAt: Uint16Array = new Uint16Array(1024);
  private trendAt: Uint16Array = new Uint16Array(1024);
  private readonly labels = new Interner();
  private readonly risk: RiskManager | undefined;
  private tradesSeen = 0;
  private steps = 0;

  constructor(
    private readonly regimes: ResolvedRegimes | undefined,
    riskConfig: ResolvedRiskConfig | undefined,
    private readonly parts: GateParts,
  ) {
    if (regimes !== undefined) {
      this.classifiers = parts.series.map((bars) => new RegimeClassifier(bars, regimes.classifier));
      const periodsPerYear = 252 * barsPerDay(parts.series[0]!);
      this.volStats = new RegimeStats(parts.initialCapital, { periodsPerYear });
      this.trendStats = new RegimeStats(parts.initialCapital, { periodsPerYear });
    }
    this.risk = riskConfig === undefined ? undefined : new RiskManager(riskConfig, parts.instruments.map((i) => i.id));
  }

  /** Regime labels of symbol `index` at the current bar, or undefined when regimes are off. */
  regimeOf(index: number): RegimeLabels | undefined {
    const c = this.classifiers?.[index];
    return c === undefined ? undefined : { vol: c.vol, trend: c.trend };
  }

  /** The risk phase of a step: after the portfolio marked the bar, before the strategy. */
  onBar(step: number, timeMs: number, views: readonly SymbolData[]): void {
    if (this.classifiers !== undefined) this.classify(step, timeMs, views);
    if (this.risk !== undefined) this.checkRisk(this.risk, timeMs, views);
  }

  /** After the step's equity is known: per-regime statistics. */
  afterStep(timeMs: number, equity: number): void {
    if (this.classifiers === undefined) return;
    const primary = this.classifiers[0]!;
    this.volStats!.push(primary.vol, equity, timeMs);
    this.trendStats!.push(primary.trend, equity, timeMs);
  }

  /**
   * Called by the order manager before the broker accepts `order`: undefined to let it through,
   * else the rejection reason. `protectiveStop` is the stop price of its bracket stop-loss, if any.
   */
  checkSubmit(order: Order, protectiveStop: number | undefined): string | undefined {
    const index = this.parts.instruments.findIndex((i) => i.id === order.instrumentId);
    if (index < 0 || !this.isEntry(order, index)) return undefined;
    if (this.classifiers !== undefined && this.regimes !== undefined) {
      const problem = this.regimeProblem(this.classifiers[index]!);
      if (problem !== undefined) return problem;
    }
    if (this.risk === undefined) return undefined;
    // Orders cancelled earlier in this step free their slots (cancel-and-replace in one step);
    // entries accepted in this step are already counted by the risk manager.
    this.risk.setWorkingEntries(this.workingEntries(this.parts.clock.step));
    const portfolio = this.parts.portfolio;
    const price = portfolio.mark[index]!;
    const multiplier = this.parts.instruments[index]!.multiplier;
    return this.risk.checkOrder({
      symbol: order.instrumentId,
      side: order.side,
      qty: this.estimatedQty(order, price, multiplier),
      price,
      multiplier,
      stop: protectiveStop,
      isEntry: true,
    });
  }

  /** Per-regime statistics with each closed trade counted in the regime of its entry bar. */
  report(): RegimeReport | undefined {
    if (this.volStats === undefined || this.trendStats === undefined) return undefined;
    const log = this.parts.portfolio.tradeLog;
    for (let i = 0; i < log.length; i++) {
      const entry = log.entryStepOf(i);
      this.volStats.addTrade(this.labels.name(this.volAt[entry]!), log.pnl(i));
      this.trendStats.addTrade(this.labels.name(this.trendAt[entry]!), log.pnl(i));
    }
    return Object.freeze({ vol: this.volStats.summary(), trend: this.trendStats.summary() });
  }

  private classify(step: number, timeMs: number, views: readonly SymbolData[]): void {
    const classifiers = this.classifiers!;
    for (let s = 0; s < views.length; s++) {
      const view = views[s]!;
      if (!view.updated) continue;
      const c = classifiers[s]!;
      const vol = c.vol;
      const trend = c.trend;
      c.update(view.index);
      const id = this.parts.instruments[s]!.id;
      if (c.vol !== vol) this.parts.emit({ kind: 'RegimeChanged', step, timeMs, instrumentId: id, dimension: 'vol', from: vol, to: c.vol });
      if (c.trend !== trend) this.parts.emit({ kind: 'RegimeChanged', step, timeMs, instrumentId: id, dimension: 'trend', from: trend, to: c.trend });
    }
    const primary = classifiers[0]!;
    if (this.steps === this.volAt.length) {
      this.volAt = grown(this.volAt);
      this.trendAt = grown(this.trendAt);
    }
    this.volAt[this.steps] = this.labelId(primary.vol);
    this.trendAt[this.steps] = this.labelId(primary.trend);
    this.steps++;
  }

  private labelId(label: string): number {
    return this.labels.id(label);
  }

  private regimeProblem(c: RegimeClassifier): string | undefined {
    const { vol, trend } = this.regimes!.allow;
    if (vol !== undefined && !vol.includes(c.vol)) return `ORDER_REJECTED: regime vol=${c.vol} not in [${vol.join(', ')}]`;
    if (trend !== undefined && !trend.includes(c.trend)) return `ORDER_REJECTED: regime trend=${c.trend} not in [${trend.join(', ')}]`;
    return undefined;
  }

  private checkRisk(risk: RiskManager, timeMs: number, views: readonly SymbolData[]): void {
    const { portfolio, instruments, series } = this.parts;
    const closes = new Map<string, number>();
    views.forEach((view, s) => {
      if (view.updated) closes.set(instruments[s]!.id, series[s]!.close[view.index]!);
    });
    const positions: RiskPosition[] = portfolio.openTrades().map((t) => {
      const index = instruments.findIndex((i) => i.id === t.instrumentId);
      const long = t.side === 'long';
      const perUnit = t.initialRisk === undefined ? undefined : t.initialRisk / (t.qty * instruments[index]!.multiplier);
      return {
        symbol: t.instrumentId,
        qty: long ? t.qty : -t.qty,
        price: t.exitPrice,
        multiplier: instruments[index]!.multiplier,
        entryPrice: t.entryPrice,
        stop: perUnit === undefined ? undefined : long ? t.entryPrice - perUnit : t.entryPrice + perUnit,
      };
    });
    // Resting entry orders count against the limits as if filled (a market order fills at the next
    // open, before this phase; limits and stops may rest for many bars).
    const workingEntries = this.workingEntries(Number.POSITIVE_INFINITY);
    const session = Math.floor((timeMs + this.parts.sessionOffsetMs) / DAY_MS);
    this.act(risk.onBar({ timeMs, session, equity: portfolio.equity(), positions, closes, workingEntries }), timeMs);
    const log = portfolio.tradeLog;
    for (; this.tradesSeen < log.length; this.tradesSeen++) {
      const i = this.tradesSeen;
      const initialRisk = log.initialRiskOf(i);
      const r = initialRisk > 0 ? log.pnl(i) / initialRisk : undefined;
      this.act(risk.onTradeClosed(log.pnl(i), r), timeMs);
    }
  }

  private act(actions: readonly RiskAction[], timeMs: number): void {
    if (actions.length === 0) return;
    const { orders, broker, portfolio, instruments, emit } = this.parts;
    const step = this.parts.clock.step;
    for (const action of actions) {
      switch (action.kind) {
        case 'HALTED':
          emit({ kind: 'RiskHalted', step, timeMs, reason: action.reason, flatten: action.flatten, cancelOrders: action.cancelOrders, until: action.until });
          if (action.cancelOrders) for (const order of broker.workingOrders()) orders.cancel(order.id);
          if (action.flatten) {
            instruments.forEach((instrument, s) => {
              const qty = portfolio.qty[s]!;
              if (qty !== 0) orders.submit({ symbol: instrument.id, side: qty > 0 ? 'sell' : 'buy', closePosition: true, tag: 'risk' });
            });
          }
          break;
        case 'RESUMED':
          emit({ kind: 'RiskResumed', step, timeMs, reason: action.reason });
          break;
        case 'WARNING':
          emit({ kind: 'RiskWarning', step, timeMs, reason: action.reason });
          break;
      }
    }
  }

  /** Working entry orders accepted before step `before` (dormant bracket children are exits). */
  private workingEntries(before: number): WorkingEntry[] {
    const { instruments, portfolio, broker } = this.parts;
    const entries: WorkingEntry[] = [];
    for (const order of broker.workingOrders()) {
      if (order.acceptedStep >= before) continue;
      const index = instruments.findIndex((i) => i.id === order.instrumentId);
      if (index < 0 || order.activeFromStep === Number.POSITIVE_INFINITY || !this.isEntry(order, index)) continue;
      const price = order.limitPrice ?? order.stopPrice ?? portfolio.mark[index]!;
      const multiplier = instruments[index]!.multiplier;
      entries.push({ symbol: order.instrumentId, side: order.side, qty: this.estimatedQty(order, price, multiplier), price, multiplier, stop: order.protectiveStop });
    }
    return entries;
  }

  /** An order that opens or adds to a position; closing, reduce-only and bracket exits are not. */
  private isEntry(order: Order, index: number): boolean {
    if (order.parentId !== undefined || order.reduceOnly) return false;
    const q = order.quantity;
    if (q.kind === 'closePosition') return false;
    if (q.kind === 'equityFraction') return true;
    const position = this.parts.portfolio.qty[index]!;
    return order.side === 'buy' ? position >= 0 || q.qty > -position : position <= 0 || q.qty > position;
  }

  /** The order's quantity, estimated at `price` for equity-fraction orders (sized at fill time). */
  private estimatedQty(order: Order, price: number, multiplier: number): number {
    const q = order.quantity;
    if (q.kind === 'fixed') return q.qty;
    if (q.kind === 'equityFraction' && price > 0) return Math.floor((this.parts.portfolio.equity() * q.fraction) / (price * multiplier));
    return 0;
  }
}

function grown(a: Uint16Array): Uint16Array {
  // Up to 65,536 distinct labels: far more than any bucket list.
  const b = new Uint16Array(a.length * 2);
  b.set(a);
  return b;
}

/** Bars per UTC day of a series (1 for daily bars), from its first day — for annualizing. */
function barsPerDay(bars: BarSeries): number {
  if (bars.length < 2) return 1;
  const firstDay = Math.floor(bars.timeMs[0]! / DAY_MS);
  let n = 0;
  while (n < bars.length && Math.floor(bars.timeMs[n]! / DAY_MS) === firstDay) n++;
  // The first day may be partial: use the busiest of the first few days.
  let best = n;
  let start = n;
  for (let d = 0; d < 5 && start < bars.length; d++) {
    const day = Math.floor(bars.timeMs[start]! / DAY_MS);
    let end = start;
    while (end < bars.length && Math.floor(bars.timeMs[end]! / DAY_MS) === day) end++;
    best = Math.max(best, end - start);
    start = end;
  }
  return Math.max(1, best);
}
