/**
 * Property tests of the whole engine: random but consistent OHLC bars (one or two symbols, daily
 * or intraday spacing), random data-dependent order plans of every kind (market, limit, stop,
 * stop-limit, brackets, OCO, cancel, modify, close, day/GTC, qty / equityFraction / closePosition)
 * and random costs, leverage, lot sizes and multipliers. Each run is checked against an
 * independent replay of its own event log, and against transformed runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BacktestResult } from './backtest.js';
import { makeBarSeries, type BarSeries } from './bars.js';
import type { StrategyContext } from './context.js';
import type { EngineOptions } from './engine-config.js';
import type { EngineEvent } from './events.js';
import type { Fill } from './fill.js';
import type { OrderType, TimeInForce } from './order.js';
import type { OrderRequest } from './order-request.js';
import { DAY_MS, T0_MS, fillsOf, runScript, seriesOf, type Observation } from './test-support.js';

const HOUR_MS = 3_600_000;

// ---------------------------------------------------------------------------------------------
// Scenario: bars, plan and options.

interface RawBar {
  readonly gap: number;
  readonly ret: number;
  readonly up: number;
  readonly down: number;
  /** Time to the next bar in units of the symbol's spacing. */
  readonly skip: number;
}

interface SymbolSpec {
  readonly startPrice: number;
  readonly spacingMs: number;
  readonly offsetMs: number;
  readonly bars: readonly RawBar[];
}

type PriceBase = 'open' | 'high' | 'low' | 'close';
interface PriceRef {
  readonly base: PriceBase;
  readonly ago: 0 | 1;
  readonly off: number;
}

type Sizing = { readonly kind: 'qty'; readonly lots: number } | { readonly kind: 'fraction'; readonly fraction: number } | { readonly kind: 'close' };
type Side = 'buy' | 'sell' | 'momentum';

interface OrderPlan {
  readonly sym: number;
  readonly side: Side;
  readonly type: OrderType;
  readonly sizing: Sizing;
  readonly tif: TimeInForce;
  readonly p1: PriceRef;
  readonly p2: PriceRef;
}

type Action =
  | ({ readonly kind: 'order' } & OrderPlan)
  | { readonly kind: 'bracket'; readonly entry: OrderPlan; readonly tp: number; readonly sl: number; readonly exitTif: TimeInForce; readonly legs: 'both' | 'tp' | 'sl' }
  | { readonly kind: 'oco'; readonly a: OrderPlan; readonly b: OrderPlan }
  | { readonly kind: 'cancel'; readonly ref: number }
  | { readonly kind: 'modify'; readonly ref: number; readonly field: 'limitPrice' | 'stopPrice' | 'qty'; readonly price: PriceRef; readonly lots: number }
  | { readonly kind: 'close'; readonly sym: number }
  | { readonly kind: 'cancelAll' };

interface Planned {
  /** Primary bar index at which to act (modulo the number of primary bars). */
  readonly bar: number;
  readonly action: Action;
}

interface Scenario {
  readonly symbols: readonly SymbolSpec[];
  readonly plan: readonly Planned[];
  readonly capital: number;
  readonly costs: { readonly commissionRate: number; readonly slippageBps: number; readonly commissionPerShare: number; readonly commissionMin: number };
  readonly leverage: number;
  readonly ambiguity: 'stop-first' | 'target-first';
  readonly lotSize: number;
  readonly multipliers: readonly number[];
}

const small = (max: number) => fc.oneof(fc.constant(0), fc.double({ min: 0, max, noNaN: true }));
const signed = (max: number) => fc.oneof(fc.constant(0), fc.double({ min: -max, max, noNaN: true }));

const rawBarArb: fc.Arbitrary<RawBar> = fc.record({
  gap: signed(0.04),
  ret: signed(0.04),
  up: small(0.03),
  down: small(0.03),
  skip: fc.constantFrom(1, 1, 1, 2, 3),
});

const symbolArb = (maxBars: number): fc.Arbitrary<SymbolSpec> =>
  fc.record({
    startPrice: fc.integer({ min: 20, max: 300 }),
    spacingMs: fc.constantFrom(HOUR_MS, 6 * HOUR_MS, DAY_MS),
    offsetMs: fc.constantFrom(0, 0, HOUR_MS, 12 * HOUR_MS),
    bars: fc.array(rawBarArb, { minLength: 2, maxLength: maxBars, size: 'max' }),
  });

const priceRefArb: fc.Arbitrary<PriceRef> = fc.record({
  base: fc.constantFrom<PriceBase>('open', 'high', 'low', 'close', 'close'),
  ago: fc.constantFrom<0 | 1>(0, 1),
  off: signed(0.06),
});

const sizingArb: fc.Arbitrary<Sizing> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('qty' as const), lots: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fraction' as const), fraction: fc.double({ min: 0.01, max: 1.2, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'close' as const }) },
);

const orderPlanArb = (symbols: number, types: readonly OrderType[] = ['market', 'limit', 'stop', 'stopLimit']): fc.Arbitrary<OrderPlan> =>
  fc.record({
    sym: fc.integer({ min: 0, max: symbols - 1 }),
    side: fc.constantFrom<Side>('buy', 'sell', 'momentum'),
    type: fc.constantFrom(...types),
    sizing: sizingArb,
    tif: fc.constantFrom<TimeInForce>('gtc', 'gtc', 'day'),
    p1: priceRefArb,
    p2: priceRefArb,
  });

const bracketArb = (symbols: number): fc.Arbitrary<Action> =>
  fc.record({
    kind: fc.constant('bracket' as const),
    entry: orderPlanArb(symbols, ['market', 'limit', 'stop']),
    tp: fc.double({ min: 0.002, max: 0.03, noNaN: true }),
    sl: fc.double({ min: 0.002, max: 0.03, noNaN: true }),
    exitTif: fc.constantFrom<TimeInForce>('gtc', 'gtc', 'day'),
    legs: fc.constantFrom<'both' | 'tp' | 'sl'>('both', 'both', 'tp', 'sl'),
  });

const actionArb = (symbols: number, bracketsOnly = false): fc.Arbitrary<Action> =>
  bracketsOnly
    ? bracketArb(symbols)
    : fc.oneof(
        { weight: 6, arbitrary: orderPlanArb(symbols).map((o) => ({ kind: 'order' as const, ...o })) },
        { weight: 4, arbitrary: bracketArb(symbols) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('oco' as const), a: orderPlanArb(symbols), b: orderPlanArb(symbols) }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), ref: fc.nat() }) },
        {
          weight: 2,
          arbitrary: fc.record({
            kind: fc.constant('modify' as const),
            ref: fc.nat(),
            field: fc.constantFrom<'limitPrice' | 'stopPrice' | 'qty'>('limitPrice', 'stopPrice', 'qty'),
            price: priceRefArb,
            lots: fc.integer({ min: 1, max: 60 }),
          }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), sym: fc.integer({ min: 0, max: symbols - 1 }) }) },
        { weight: 1, arbitrary: fc.constant({ kind: 'cancelAll' as const }) },
      );

interface ScenarioLimits {
  readonly maxSymbols?: number;
  readonly maxBars?: number;
  /** Only percent commission and bps slippage (costs proportional to price). */
  readonly proportionalCosts?: boolean;
  /** Orders on the primary symbol only. */
  readonly primaryOnly?: boolean;
  /** Only brackets (so that many exits fill). */
  readonly bracketsOnly?: boolean;
}

const scenarioArb = (limits: ScenarioLimits = {}): fc.Arbitrary<Scenario> =>
  fc.integer({ min: 1, max: limits.maxSymbols ?? 2 }).chain((n) =>
    fc.record({
      symbols: fc.array(symbolArb(limits.maxBars ?? 30), { minLength: n, maxLength: n }),
      plan: fc.array(fc.record({ bar: fc.nat(), action: actionArb(limits.primaryOnly === true ? 1 : n, limits.bracketsOnly) }), { minLength: 1, maxLength: 40 }),
      capital: fc.constantFrom(10_000, 100_000),
      costs: fc.record({
        commissionRate: fc.constantFrom(0, 0.001),
        slippageBps: fc.constantFrom(0, 5),
        commissionPerShare: limits.proportionalCosts === true ? fc.constant(0) : fc.constantFrom(0, 0.01),
        commissionMin: limits.proportionalCosts === true ? fc.constant(0) : fc.constantFrom(0, 1),
      }),
      leverage: fc.constantFrom(1, 1, 2),
      ambiguity: fc.constantFrom<'stop-first' | 'target-first'>('stop-first', 'target-first'),
      lotSize: fc.constantFrom(1, 1, 0.1),
      multipliers: fc.array(fc.constantFrom(1, 1, 5), { minLength: n, maxLength: n }),
    }),
  );

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Consistent OHLC bars from raw moves: low <= min(open, close) <= max(open, close) <= high, prices in cents. */
function buildSeries(symbol: string, spec: SymbolSpec, scale = 1, shiftMs = 0): BarSeries {
  const n = spec.bars.length;
  const cols = { timeMs: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n) };
  let time = T0_MS + spec.offsetMs + shiftMs;
  let previous = spec.startPrice;
  spec.bars.forEach((raw, i) => {
    const open = Math.max(0.01, round2(previous * (1 + raw.gap)));
    const close = Math.max(0.01, round2(open * (1 + raw.ret)));
    cols.timeMs[i] = time;
    cols.open[i] = open * scale;
    cols.close[i] = close * scale;
    cols.high[i] = round2(Math.max(open, close) * (1 + raw.up)) * scale;
    cols.low[i] = Math.max(0.01, round2(Math.min(open, close) * (1 - raw.down))) * scale;
    time += raw.skip * spec.spacingMs;
    previous = close;
  });
  return makeBarSeries({ symbol, ...cols });
}

const SYMBOLS = ['AAA', 'BBB', 'CCC'];

function buildData(sc: Scenario, scale = 1, shiftMs = 0): BarSeries[] {
  return sc.symbols.map((spec, i) => buildSeries(SYMBOLS[i]!, spec, scale, shiftMs));
}

function optionsOf(sc: Scenario, scale = 1): EngineOptions {
  const instruments: Record<string, { multiplier: number; lotSize: number }> = {};
  sc.symbols.forEach((_, i) => (instruments[SYMBOLS[i]!] = { multiplier: sc.multipliers[i]!, lotSize: sc.lotSize }));
  return { initialCapital: sc.capital * scale, costs: sc.costs, leverage: sc.leverage, ambiguity: sc.ambiguity, instruments };
}

// ---------------------------------------------------------------------------------------------
// The plan executor: a data-dependent strategy (prices and sides come from the bars seen so far).

interface PlanState {
  readonly ids: number[];
  /** Orders that may fill at most one of: OCO pairs and bracket exit pairs. */
  readonly groups: number[][];
  /** Bracket exit id → entry id. */
  readonly parentOf: Map<number, number>;
}

function priceOf(ctx: StrategyContext, symbol: string, ref: PriceRef): number {
  const view = ctx.data(symbol);
  const ago = view.length > 1 ? ref.ago : 0;
  return view[ref.base](ago) * (1 + ref.off);
}

function requestOf(ctx: StrategyContext, plan: OrderPlan, lotSize: number): OrderRequest | undefined {
  const symbol = ctx.symbols[plan.sym]!;
  const view = ctx.data(symbol);
  if (view.length === 0) return undefined;
  const side = plan.side === 'momentum' ? (view.length < 2 || view.close() >= view.close(1) ? 'buy' : 'sell') : plan.side;
  const sizing =
    plan.sizing.kind === 'qty' ? { qty: plan.sizing.lots * lotSize } : plan.sizing.kind === 'fraction' ? { equityFraction: plan.sizing.fraction } : { closePosition: true };
  const prices =
    plan.type === 'limit'
      ? { limitPrice: priceOf(ctx, symbol, plan.p1) }
      : plan.type === 'stop'
        ? { stopPrice: priceOf(ctx, symbol, plan.p1) }
        : plan.type === 'stopLimit'
          ? { stopPrice: priceOf(ctx, symbol, plan.p1), limitPrice: priceOf(ctx, symbol, plan.p2) }
          : {};
  return { symbol, side, type: plan.type, tif: plan.tif, ...sizing, ...prices };
}

/** One of the last few orders created (older ones have mostly finished). */
function recent(state: PlanState, ref: number): number {
  return state.ids[state.ids.length - 1 - (ref % Math.min(state.ids.length, 4))]!;
}

function perform(ctx: StrategyContext, action: Action, state: PlanState, lotSize: number): void {
  switch (action.kind) {
    case 'order': {
      const request = requestOf(ctx, action, lotSize);
      if (request !== undefined) state.ids.push(ctx.submit(request));
      return;
    }
    case 'bracket': {
      const request = requestOf(ctx, { ...action.entry, sizing: action.entry.sizing.kind === 'close' ? { kind: 'qty', lots: 1 } : action.entry.sizing }, lotSize);
      if (request === undefined) return;
      const reference = ctx.data(request.symbol).close();
      const up = reference * (1 + (request.side === 'buy' ? action.tp : action.sl));
      const down = reference * (1 - (request.side === 'buy' ? action.sl : action.tp));
      const takeProfit = request.side === 'buy' ? up : down;
      const stopLoss = request.side === 'buy' ? down : up;
      const ids = ctx.bracket({
        ...request,
        ...(action.legs !== 'sl' ? { takeProfit } : {}),
        ...(action.legs !== 'tp' ? { stopLoss } : {}),
        exitTif: action.exitTif,
      });
      state.ids.push(ids.entryId);
      const exits = [ids.takeProfitId, ids.stopLossId].filter((id): id is number => id !== undefined);
      for (const id of exits) {
        state.ids.push(id);
        state.parentOf.set(id, ids.entryId);
      }
      if (exits.length === 2) state.groups.push(exits);
      return;
    }
    case 'oco': {
      const a = requestOf(ctx, action.a, lotSize);
      const b = requestOf(ctx, action.b, lotSize);
      if (a === undefined || b === undefined) return;
      const ids = ctx.oco([a, b]);
      state.ids.push(...ids);
      state.groups.push(ids);
      return;
    }
    case 'cancel':
      if (state.ids.length > 0) ctx.cancel(recent(state, action.ref));
      return;
    case 'modify': {
      if (state.ids.length === 0) return;
      const id = recent(state, action.ref);
      const order = ctx.order(id);
      const symbol = order?.instrumentId ?? ctx.symbols[0]!;
      if (ctx.data(symbol).length === 0) return;
      if (action.field === 'qty') ctx.modify(id, { qty: action.lots * lotSize });
      else ctx.modify(id, { [action.field]: priceOf(ctx, symbol, action.price) });
      return;
    }
    case 'close':
      ctx.closePosition(ctx.symbols[action.sym]);
      return;
    case 'cancelAll':
      ctx.cancelAll();
      return;
  }
}

interface Run {
  readonly result: BacktestResult;
  readonly state: PlanState;
  readonly observations: readonly Observation[];
  /** Fills as the strategy's onFill saw them. */
  readonly fills: readonly Fill[];
}

function runScenario(sc: Scenario, data: readonly BarSeries[] = buildData(sc), options: EngineOptions = optionsOf(sc), keep = true): Run {
  const state: PlanState = { ids: [], groups: [], parentOf: new Map() };
  const byBar = new Map<number, Action[]>();
  const primaryBars = sc.symbols[0]!.bars.length;
  for (const p of sc.plan) byBar.set(p.bar % primaryBars, [...(byBar.get(p.bar % primaryBars) ?? []), p.action]);
  const { result, log } = runScript(data, {}, options, {
    onBar: (ctx) => {
      const primary = ctx.data();
      if (!primary.updated) return;
      for (const action of byBar.get(primary.index) ?? []) perform(ctx, action, state, sc.lotSize);
    },
  }, { keepSeries: keep, keepEvents: keep });
  return { result, state, observations: [...log.observations], fills: [...log.fills] };
}

// ---------------------------------------------------------------------------------------------
// Independent checks of one run.

const TERMINAL = new Set<EngineEvent['kind']>(['OrderFilled', 'OrderCanceled', 'OrderExpired', 'OrderRejected']);

function orderIdOf(e: EngineEvent): number | undefined {
  if (e.kind === 'OrderFilled') return e.fill.orderId;
  return 'orderId' in e ? e.orderId : undefined;
}

function close(actual: number, expected: number, scale: number): boolean {
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected), scale);
}

function checkRun(sc: Scenario, data: readonly BarSeries[], run: Run): void {
  const { result, state, observations } = run;
  const series = seriesOf(result);
  const steps = series.timeMs.length;
  const symbols = data.map((d) => d.symbol);
  const multiplier = sc.multipliers;
  const barIndex = data.map((d) => new Map(Array.from(d.timeMs, (t, i) => [t, i] as const)));
  const symbolIndex = new Map(symbols.map((s, i) => [s, i] as const));

  // The merged timeline: every bar time once, in order.
  const times = [...new Set(data.flatMap((d) => Array.from(d.timeMs)))].sort((a, b) => a - b);
  expect(Array.from(series.timeMs)).toEqual(times);

  // Order lifecycles: first accepted or rejected; at most one terminal event; after it only refused modifications.
  const acceptedStep = new Map<number, number>();
  const lifecycle = new Map<number, EngineEvent[]>();
  for (const e of result.events) {
    const id = orderIdOf(e);
    if (id === undefined) continue;
    lifecycle.set(id, [...(lifecycle.get(id) ?? []), e]);
    if (e.kind === 'OrderAccepted') acceptedStep.set(id, e.step);
  }
  for (const [id, events] of lifecycle) {
    expect(['OrderAccepted', 'OrderRejected'], `order ${id} starts`).toContain(events[0]!.kind);
    const terminal = events.filter((e) => TERMINAL.has(e.kind));
    expect(terminal.length, `order ${id} terminal events`).toBeLessThanOrEqual(1);
    const end = events.findIndex((e) => TERMINAL.has(e.kind));
    if (end >= 0) for (const e of events.slice(end + 1)) expect(e.kind).toBe('OrderModifyRejected');
  }

  // Replay the fills independently: cash, positions, costs; compare with the recorded equity every step.
  let cash = sc.capital;
  let costs = 0;
  const position = symbols.map(() => 0);
  const cursor = symbols.map(() => -1);
  const fills = fillsOf(result);
  const fillStep = new Map<number, number>();
  let f = 0;
  for (let s = 0; s < steps; s++) {
    const timeMs = series.timeMs[s]!;
    for (; f < fills.length && fills[f]!.step === s; f++) {
      const fill: Fill = fills[f]!;
      const k = symbolIndex.get(fill.instrumentId)!;
      const bar = barIndex[k]!.get(fill.timeMs);
      // Fills happen on a bar of their own symbol at this step's time, inside the bar's range.
      expect(fill.timeMs).toBe(timeMs);
      expect(bar, 'fill on a bar of its symbol').toBeDefined();
      const d = data[k]!;
      expect(fill.price).toBeGreaterThanOrEqual(d.low[bar!]!);
      expect(fill.price).toBeLessThanOrEqual(d.high[bar!]!);
      expect(fill.qty).toBeGreaterThan(0);
      expect(fill.fee).toBeGreaterThanOrEqual(0);
      expect(fill.slippage).toBeGreaterThanOrEqual(0);
      const lots = fill.qty / sc.lotSize;
      expect(Math.abs(lots - Math.round(lots))).toBeLessThan(1e-6);
      // No fill on the bar the order was placed on.
      expect(s).toBeGreaterThan(acceptedStep.get(fill.orderId)!);
      // Bracket exits: only after their entry filled, and only ever reducing the position.
      const parent = state.parentOf.get(fill.orderId);
      const before = position[k]!;
      const after = before + (fill.side === 'buy' ? fill.qty : -fill.qty);
      if (parent !== undefined) {
        expect(fillStep.get(parent), 'entry filled before its exit').toBeDefined();
        expect(fillStep.get(parent)!).toBeLessThanOrEqual(s);
        expect(before).not.toBe(0);
        expect(Math.abs(after)).toBeLessThanOrEqual(Math.abs(before) + 1e-9);
        expect(after * before).toBeGreaterThanOrEqual(-1e-9);
      }
      fillStep.set(fill.orderId, s);
      const paid = fill.side === 'buy' ? fill.price + fill.slippage : fill.price - fill.slippage;
      cash += (fill.side === 'buy' ? -1 : 1) * fill.qty * paid * multiplier[k]! - fill.fee;
      costs += fill.fee + fill.slippage * fill.qty * multiplier[k]!;
      position[k] = Math.abs(after) < 1e-9 ? 0 : after;
    }
    let equity = cash;
    let exposure = 0;
    for (let k = 0; k < symbols.length; k++) {
      const d = data[k]!;
      while (cursor[k]! + 1 < d.length && d.timeMs[cursor[k]! + 1]! <= timeMs) cursor[k]!++;
      if (position[k] !== 0) {
        const value = position[k]! * d.close[cursor[k]!]! * multiplier[k]!;
        equity += value;
        exposure += Math.abs(value);
      }
    }
    // cash + Σ position × close × multiplier = equity, at every step.
    expect(close(series.equity[s]!, equity, sc.capital + exposure), `equity at step ${s}`).toBe(true);
    // Gross equity = net equity + cumulative costs (never below net).
    expect(close(series.grossEquity[s]! - series.equity[s]!, costs, sc.capital + exposure)).toBe(true);
    // What the strategy saw is what was booked.
    const seen = observations[s]!;
    expect(seen.step).toBe(s);
    seen.positions.forEach((q, k) => expect(Math.abs(q - position[k]!)).toBeLessThan(1e-9));
  }
  expect(f).toBe(fills.length);

  // At most one fill per OCO group (including bracket exit pairs).
  for (const group of state.groups) expect(group.filter((id) => fillStep.has(id)).length).toBeLessThanOrEqual(1);

  // The trade ledger reconciles with the account: Σ net pnl = equity − capital; Σ gross pnl = gross equity − capital.
  const last = steps - 1;
  const netPnl = result.trades.reduce((sum, t) => sum + t.pnl, 0);
  const grossPnl = result.trades.reduce((sum, t) => sum + t.grossPnl, 0);
  const scale = sc.capital + result.trades.reduce((sum, t) => sum + Math.abs(t.entryPrice * t.qty) * 5, 0);
  expect(close(netPnl, series.equity[last]! - sc.capital, scale)).toBe(true);
  expect(close(grossPnl, series.grossEquity[last]! - sc.capital, scale)).toBe(true);
  expect(result.metrics.finalEquity).toBe(series.equity[last]);
  expect(result.metrics.bars).toBe(steps);
  expect(result.metrics.tradesClosed + result.metrics.tradesOpen).toBe(result.trades.length);
  for (const t of result.trades) expect(t.fees).toBeGreaterThanOrEqual(0);
}

/** Events, trades or fills as plain data, for deep comparison. */
const plain = (values: readonly unknown[]) => JSON.parse(JSON.stringify(values)) as unknown[];

// ---------------------------------------------------------------------------------------------

describe('engine properties', () => {
  it('accounting, fill and order-lifecycle invariants hold on every run', () => {
    fc.assert(
      fc.property(scenarioArb(), (sc) => {
        const data = buildData(sc);
        checkRun(sc, data, runScenario(sc, data));
      }),
      { numRuns: 300 },
    );
  });

  it('the same invariants hold for plans made only of brackets (many exits fill)', () => {
    fc.assert(
      fc.property(scenarioArb({ bracketsOnly: true }), (sc) => {
        const data = buildData(sc);
        checkRun(sc, data, runScenario(sc, data));
      }),
      { numRuns: 200 },
    );
  });

  it('repeated runs give identical events and digests; keepSeries does not change the outcome', () => {
    fc.assert(
      fc.property(scenarioArb(), scenarioArb({ maxSymbols: 1 }), (sc, other) => {
        const first = runScenario(sc).result;
        runScenario(other); // another run in between shares no state
        const second = runScenario(sc).result;
        expect(second.digest).toBe(first.digest);
        expect(plain(second.events)).toEqual(plain(first.events));
        expect(second.metrics).toEqual(first.metrics);
        // Without the per-step series and the event log: same digest, metrics, trades and decisions.
        const lean = runScenario(sc, buildData(sc), optionsOf(sc), false);
        const streamed = lean.result;
        expect(streamed.digest).toBe(first.digest);
        expect(streamed.metrics).toEqual(first.metrics);
        expect(streamed.grossMetrics).toEqual(first.grossMetrics);
        expect(plain(streamed.trades)).toEqual(plain(first.trades));
        expect(plain(lean.fills)).toEqual(plain(fillsOf(first)));
      }),
      { numRuns: 100 },
    );
  });

  it('no look-ahead: changing bars after step t changes no event, equity or observation up to t', () => {
    fc.assert(
      fc.property(
        scenarioArb(),
        fc.array(rawBarArb, { minLength: 30, maxLength: 30 }),
        fc.nat(),
        (sc, replacement, cut) => {
          const data = buildData(sc);
          const base = runScenario(sc, data);
          const times = seriesOf(base.result).timeMs;
          const t = cut % times.length;
          const cutTime = times[t]!;
          // Same timestamps, new prices for every bar after the cut time.
          const altered = sc.symbols.map((spec, k) => {
            const firstAfter = data[k]!.timeMs.findIndex((time) => time > cutTime);
            if (firstAfter < 0) return spec;
            const bars = spec.bars.map((raw, i) => (i >= firstAfter ? { ...replacement[i % replacement.length]!, skip: raw.skip } : raw));
            return { ...spec, bars };
          });
          const alteredScenario = { ...sc, symbols: altered };
          const alteredData = buildData(alteredScenario);
          const other = runScenario(alteredScenario, alteredData);
          const upTo = (r: Run) => plain(r.result.events.filter((e) => e.step <= t));
          expect(upTo(other)).toEqual(upTo(base));
          expect(Array.from(seriesOf(other.result).equity.subarray(0, t + 1))).toEqual(Array.from(seriesOf(base.result).equity.subarray(0, t + 1)));
          expect(other.observations.slice(0, t + 1)).toEqual(base.observations.slice(0, t + 1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('doubling every price and the capital doubles every amount exactly (proportional costs)', () => {
    fc.assert(
      fc.property(scenarioArb({ proportionalCosts: true }), (sc) => {
        const base = runScenario(sc);
        const doubled = runScenario(sc, buildData(sc, 2), optionsOf(sc, 2));
        expect(Array.from(seriesOf(doubled.result).equity)).toEqual(Array.from(seriesOf(base.result).equity, (x) => 2 * x));
        expect(doubled.result.events.map((e) => [e.kind, e.step, orderIdOf(e)])).toEqual(base.result.events.map((e) => [e.kind, e.step, orderIdOf(e)]));
        const baseFills = fillsOf(base.result);
        fillsOf(doubled.result).forEach((fill, i) => {
          const b = baseFills[i]!;
          expect([fill.qty, fill.price, fill.fee, fill.slippage]).toEqual([b.qty, 2 * b.price, 2 * b.fee, 2 * b.slippage]);
        });
        expect(doubled.result.metrics.totalReturnPct).toBe(base.result.metrics.totalReturnPct);
      }),
      { numRuns: 150 },
    );
  });

  it('shifting all bar times by whole days shifts event times and changes nothing else', () => {
    fc.assert(
      fc.property(scenarioArb(), fc.integer({ min: 1, max: 2000 }), (sc, days) => {
        const shift = days * DAY_MS;
        const base = runScenario(sc);
        const shifted = runScenario(sc, buildData(sc, 1, shift));
        const unshift = (events: readonly EngineEvent[]) =>
          plain(events).map((e) => {
            const event = e as { timeMs: number; step: number; fill?: { timeMs: number } };
            const fill = event.fill === undefined ? {} : { fill: { ...event.fill, timeMs: event.fill.timeMs - shift } };
            return { ...event, ...fill, timeMs: event.step < 0 ? event.timeMs : event.timeMs - shift };
          });
        expect(unshift(shifted.result.events)).toEqual(plain(base.result.events));
        expect(Array.from(seriesOf(shifted.result).equity)).toEqual(Array.from(seriesOf(base.result).equity));
        const untimed = (r: BacktestResult) => r.trades.map((t) => ({ ...t, entryTimeMs: 0, exitTimeMs: 0 }));
        expect(untimed(shifted.result)).toEqual(untimed(base.result));
        const { startTimeMs: _a, endTimeMs: _b, ...metrics } = shifted.result.metrics;
        const { startTimeMs: _c, endTimeMs: _d, ...baseMetrics } = base.result.metrics;
        expect(metrics).toEqual(baseMetrics);
      }),
      { numRuns: 100 },
    );
  });

  it('adding an untraded symbol changes no fill, trade or equity of the traded one', () => {
    fc.assert(
      fc.property(scenarioArb({ maxSymbols: 1, primaryOnly: true }), symbolArb(30), (sc, extra) => {
        const alone = runScenario(sc);
        const withExtra = { ...sc, symbols: [...sc.symbols, extra], multipliers: [...sc.multipliers, 1] };
        const both = runScenario(withExtra);
        const noStep = (fills: Fill[]) => fills.map((fill) => ({ ...fill, step: 0 }));
        expect(noStep(fillsOf(both.result))).toEqual(noStep(fillsOf(alone.result)));
        expect(both.result.events.map((e) => [e.kind, orderIdOf(e)])).toEqual(alone.result.events.map((e) => [e.kind, orderIdOf(e)]));
        const noSteps = (r: BacktestResult) => r.trades.map((t) => ({ ...t, entryStep: 0, exitStep: t.exitStep === undefined ? undefined : 0 }));
        expect(noSteps(both.result)).toEqual(noSteps(alone.result));
        // Equity at each primary bar's time is the same.
        const bothSeries = seriesOf(both.result);
        const stepAt = new Map(Array.from(bothSeries.timeMs, (t, i) => [t, i] as const));
        const aloneSeries = seriesOf(alone.result);
        aloneSeries.timeMs.forEach((t, i) => expect(bothSeries.equity[stepAt.get(t)!]).toBe(aloneSeries.equity[i]));
      }),
      { numRuns: 100 },
    );
  });
});
