/**
 * Slot-keyed orders end to end: a small test strategy states per step what it wants in each slot,
 * {@link SlotOrders} reconciles through the strategy context, and the tests read the engine's
 * event log (hand-made daily bars; orders placed at step t work from step t + 1).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest, type BacktestResult } from './backtest.js';
import type { BarSeries } from './bars.js';
import type { StrategyContext } from './context.js';
import type { EngineEvent } from './events.js';
import type { Fill } from './fill.js';
import type { OrderSide, OrderType, TimeInForce } from './order.js';
import { PROTECTIVE_STOP_TAG, SlotOrders, type SlotIntent } from './slot-orders.js';
import { defineStrategy, type StrategyDefinition } from './strategy.js';
import { barsOf, flatBars, type BarRow } from './test-support.js';

/** What each slot wants at each step (a missing key = nothing). */
type Plan = Readonly<Record<number, Readonly<Record<string, SlotIntent>>>>;

interface SlotLog {
  /** `orderIn(key)` right after each step's `want`, per step, in key order. */
  readonly held: (number | undefined)[][];
  /** Every order id a slot held, with the protective stop its intent asked for when last stated. */
  readonly entries: Map<number, number | undefined>;
  /** Protective stops placed: the entry's fill and the stop's id. */
  readonly stops: { readonly fill: Fill; readonly stopId: number }[];
}

/** A strategy that calls `want` for every key every step from `plan`, and forwards fills (unless told not to). */
function slotStrategy(keys: readonly string[], plan: Plan, wireOnFill = true): { definition: StrategyDefinition; log: SlotLog } {
  const log: SlotLog = { held: [], entries: new Map(), stops: [] };
  const definition = defineStrategy({
    name: 'slots',
    description: 'test-only: states slot intents from a plan',
    params: {},
    create: () => {
      const slots = new SlotOrders();
      return {
        onBar(ctx: StrategyContext): void {
          const held: (number | undefined)[] = [];
          for (const key of keys) {
            const intent = plan[ctx.step]?.[key];
            slots.want(ctx, key, intent);
            const id = slots.orderIn(key);
            held.push(id);
            if (id !== undefined) log.entries.set(id, intent?.protectiveStop);
          }
          log.held.push(held);
        },
        onFill: wireOnFill
          ? (ctx: StrategyContext, fill: Fill): void => {
              const stopId = slots.onFill(ctx, fill);
              if (stopId !== undefined) log.stops.push({ fill, stopId });
            }
          : undefined,
      };
    },
  });
  return { definition: definition as unknown as StrategyDefinition, log };
}

function runPlan(data: BarSeries | readonly BarSeries[], keys: readonly string[], plan: Plan, wireOnFill = true): { result: BacktestResult; log: SlotLog } {
  const { definition, log } = slotStrategy(keys, plan, wireOnFill);
  const result = runBacktest({ data, strategy: definition, options: { initialCapital: 1_000_000 } });
  return { result, log };
}

type OrderEvent = Extract<EngineEvent, { kind: (typeof ORDER_EVENT_KINDS)[number] }>;
const ORDER_EVENT_KINDS = ['OrderAccepted', 'OrderModified', 'OrderCanceled', 'OrderFilled', 'OrderExpired', 'OrderRejected', 'OrderModifyRejected'] as const;
const isOrderEvent = (e: EngineEvent): e is OrderEvent => (ORDER_EVENT_KINDS as readonly string[]).includes(e.kind);

/** One compact row per order event: [step, kind, order id, …what matters for that kind]. */
function trace(result: BacktestResult): unknown[][] {
  return result.events.filter(isOrderEvent).map((e) => {
    switch (e.kind) {
      case 'OrderAccepted':
        return [e.step, 'accepted', e.orderId, e.instrumentId, e.side, e.type, e.tif, e.qty, e.limitPrice, e.stopPrice, e.tag];
      case 'OrderModified':
        return [e.step, 'modified', e.orderId, e.qty, e.limitPrice, e.stopPrice];
      case 'OrderCanceled':
        return [e.step, 'canceled', e.orderId, e.reason];
      case 'OrderFilled':
        return [e.step, 'filled', e.fill.orderId, e.fill.side, e.fill.qty, e.fill.price];
      case 'OrderExpired':
        return [e.step, 'expired', e.orderId];
      case 'OrderRejected':
        return [e.step, 'rejected', e.orderId, e.reason];
      case 'OrderModifyRejected':
        return [e.step, 'modify-rejected', e.orderId, e.reason];
    }
  });
}

const buyLimit = (limitPrice: number, qty: number, extra: Partial<SlotIntent> = {}): SlotIntent => ({ symbol: 'A', side: 'buy', type: 'limit', qty, limitPrice, ...extra });
/** `n` steps that all want the same intent in slot `key`. */
const every = (n: number, key: string, intent: SlotIntent): Record<number, Record<string, SlotIntent>> =>
  Object.fromEntries(Array.from({ length: n }, (_, step) => [step, { [key]: intent }]));

describe('SlotOrders: place, modify, replace, cancel', () => {
  it('an empty slot submits the intent once; later steps with the same intent do nothing', () => {
    const { result, log } = runPlan(flatBars('A', 4, 100), ['long'], every(4, 'long', buyLimit(95, 10)));
    expect(trace(result)).toEqual([[0, 'accepted', 1, 'A', 'buy', 'limit', 'gtc', 10, 95, undefined, 'long']]);
    expect(log.held).toEqual([[1], [1], [1], [1]]);
  });

  it('a changed price and/or quantity is one modify of the working order, never a cancel', () => {
    const plan: Plan = {
      0: { long: buyLimit(95, 10) },
      1: { long: buyLimit(96, 10) },
      2: { long: buyLimit(96, 20) },
      3: { long: buyLimit(97, 30) },
      4: { long: buyLimit(97, 30) },
      5: { long: buyLimit(97, 30, { protectiveStop: 90 }) }, // only the stop to place on fill: no order command
    };
    const { result, log } = runPlan(flatBars('A', 6, 100), ['long'], plan);
    expect(trace(result)).toEqual([
      [0, 'accepted', 1, 'A', 'buy', 'limit', 'gtc', 10, 95, undefined, 'long'],
      [1, 'modified', 1, undefined, 96, undefined],
      [2, 'modified', 1, 20, undefined, undefined],
      [3, 'modified', 1, 30, 97, undefined],
    ]);
    expect(log.held.flat()).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a stop-limit moves both prices in one modify', () => {
    const stopLimit = (stopPrice: number, limitPrice: number): SlotIntent => ({ symbol: 'A', side: 'buy', type: 'stopLimit', qty: 5, stopPrice, limitPrice });
    const { result } = runPlan(flatBars('A', 3, 100), ['long'], { 0: { long: stopLimit(105, 106) }, 1: { long: stopLimit(104, 105) }, 2: { long: stopLimit(104, 105) } });
    expect(trace(result)).toEqual([
      [0, 'accepted', 1, 'A', 'buy', 'stopLimit', 'gtc', 5, 106, 105, 'long'],
      [1, 'modified', 1, undefined, 105, 104],
    ]);
  });

  it('a symbol change cancels and re-submits (two-symbol data), the cancel first', () => {
    const data = [flatBars('A', 3, 100), flatBars('B', 3, 50)];
    const onB: SlotIntent = { symbol: 'B', side: 'buy', type: 'limit', qty: 10, limitPrice: 45 };
    const { result, log } = runPlan(data, ['long'], { 0: { long: buyLimit(95, 10) }, 1: { long: onB }, 2: { long: onB } });
    expect(trace(result)).toEqual([
      [0, 'accepted', 1, 'A', 'buy', 'limit', 'gtc', 10, 95, undefined, 'long'],
      [1, 'canceled', 1, 'strategy'],
      [1, 'accepted', 2, 'B', 'buy', 'limit', 'gtc', 10, 45, undefined, 'long'],
    ]);
    expect(log.held.flat()).toEqual([1, 2, 2]);
  });

  it('a side, type or time-in-force change also cancels and re-submits', () => {
    const plan: Plan = {
      0: { slot: buyLimit(95, 10) },
      1: { slot: buyLimit(95, 10, { side: 'sell', limitPrice: 105 }) },
      2: { slot: { symbol: 'A', side: 'sell', type: 'stop', qty: 10, stopPrice: 95 } },
      3: { slot: { symbol: 'A', side: 'sell', type: 'stop', qty: 10, stopPrice: 95, tif: 'day' } },
    };
    const { result } = runPlan(flatBars('A', 4, 100), ['slot'], plan);
    expect(trace(result)).toEqual([
      [0, 'accepted', 1, 'A', 'buy', 'limit', 'gtc', 10, 95, undefined, 'slot'],
      [1, 'canceled', 1, 'strategy'],
      [1, 'accepted', 2, 'A', 'sell', 'limit', 'gtc', 10, 105, undefined, 'slot'],
      [2, 'canceled', 2, 'strategy'],
      [2, 'accepted', 3, 'A', 'sell', 'stop', 'gtc', 10, undefined, 95, 'slot'],
      [3, 'canceled', 3, 'strategy'],
      [3, 'accepted', 4, 'A', 'sell', 'stop', 'day', 10, undefined, 95, 'slot'],
    ]);
  });

  it('an intent that disappears cancels the order and empties the slot; a later intent places a new one', () => {
    const plan: Plan = { 0: { long: buyLimit(95, 10) }, 1: { long: buyLimit(95, 10) }, 3: { long: buyLimit(94, 10, { tag: 'dip' }) } };
    const { result, log } = runPlan(flatBars('A', 4, 100), ['long'], plan);
    expect(trace(result)).toEqual([
      [0, 'accepted', 1, 'A', 'buy', 'limit', 'gtc', 10, 95, undefined, 'long'],
      [2, 'canceled', 1, 'strategy'],
      [3, 'accepted', 2, 'A', 'buy', 'limit', 'gtc', 10, 94, undefined, 'dip'],
    ]);
    expect(log.held.flat()).toEqual([1, 1, undefined, 2]);
  });

  it('slots are independent: two keys, one working order each', () => {
    const plan = { ...every(3, 'long', buyLimit(95, 10)) };
    plan[1] = { long: buyLimit(95, 10), short: { symbol: 'A', side: 'sell', type: 'limit', qty: 10, limitPrice: 105 } };
    const { result, log } = runPlan(flatBars('A', 3, 100), ['long', 'short'], plan);
    expect(trace(result)).toEqual([
      [0, 'accepted', 1, 'A', 'buy', 'limit', 'gtc', 10, 95, undefined, 'long'],
      [1, 'accepted', 2, 'A', 'sell', 'limit', 'gtc', 10, 105, undefined, 'short'],
      [2, 'canceled', 2, 'strategy'],
    ]);
    expect(log.held).toEqual([[1, undefined], [1, 2], [1, undefined]]);
  });
});

describe('SlotOrders: finished orders free their slot', () => {
  it('an expired day order frees the slot; the next want submits a fresh one', () => {
    // Daily bars: a day order placed at t works on bar t + 1 only and expires there, before onBar.
    const { result, log } = runPlan(flatBars('A', 3, 100), ['long'], every(3, 'long', buyLimit(95, 10, { tif: 'day' })));
    expect(trace(result)).toEqual([
      [0, 'accepted', 1, 'A', 'buy', 'limit', 'day', 10, 95, undefined, 'long'],
      [1, 'expired', 1],
      [1, 'accepted', 2, 'A', 'buy', 'limit', 'day', 10, 95, undefined, 'long'],
      [2, 'expired', 2],
      [2, 'accepted', 3, 'A', 'buy', 'limit', 'day', 10, 95, undefined, 'long'],
    ]);
    expect(log.held.flat()).toEqual([1, 2, 3]);
  });

  it('a rejected order frees the slot (the next step tries again)', () => {
    const bad: SlotIntent = { symbol: 'A', side: 'buy', type: 'limit', qty: 10 }; // no limit price
    const { result } = runPlan(flatBars('A', 2, 100), ['long'], every(2, 'long', bad));
    expect(trace(result)).toEqual([
      [0, 'rejected', 1, 'limit order needs limitPrice > 0, was undefined'],
      [1, 'rejected', 2, 'limit order needs limitPrice > 0, was undefined'],
    ]);
  });

  it('a filled entry frees the slot: wanting it again places a new order', () => {
    const rows: BarRow[] = [[100, 100, 100, 100], [100, 100, 94, 96], [96, 96, 96, 96]];
    const { result, log } = runPlan(barsOf('A', rows), ['long'], every(3, 'long', buyLimit(95, 10)));
    expect(trace(result)).toEqual([
      [0, 'accepted', 1, 'A', 'buy', 'limit', 'gtc', 10, 95, undefined, 'long'],
      [1, 'filled', 1, 'buy', 10, 95],
      [1, 'accepted', 2, 'A', 'buy', 'limit', 'gtc', 10, 95, undefined, 'long'],
    ]);
    expect(log.held.flat()).toEqual([1, 2, 2]);
    expect(log.stops).toEqual([]);
  });
});

/** A strategy that makes exactly the listed `want` calls at each step (none at unlisted steps). */
function runCalls(data: BarSeries, calls: Readonly<Record<number, readonly (readonly [string, SlotIntent | undefined])[]>>): BacktestResult {
  const definition = defineStrategy({
    name: 'slot-calls',
    description: 'test-only: makes scripted want calls',
    params: {},
    create: () => {
      const slots = new SlotOrders();
      return {
        onBar: (ctx: StrategyContext) => {
          for (const [key, intent] of calls[ctx.step] ?? []) slots.want(ctx, key, intent);
        },
        onFill: (ctx: StrategyContext, fill: Fill) => void slots.onFill(ctx, fill),
      };
    },
  });
  return runBacktest({ data, strategy: definition as unknown as StrategyDefinition, options: { initialCapital: 1_000_000 } });
}

describe('SlotOrders: calls outside the once-per-bar rhythm', () => {
  it('a second want in the same step works on the order just submitted (not yet accepted)', () => {
    const result = runCalls(flatBars('A', 2, 100), {
      0: [['long', buyLimit(95, 10)], ['long', buyLimit(96, 10)], ['short', buyLimit(90, 5)], ['short', undefined]],
    });
    expect(trace(result)).toEqual([
      [0, 'accepted', 1, 'A', 'buy', 'limit', 'gtc', 10, 95, undefined, 'long'],
      [0, 'modified', 1, undefined, 96, undefined],
      [0, 'accepted', 2, 'A', 'buy', 'limit', 'gtc', 5, 90, undefined, 'short'],
      [0, 'canceled', 2, 'strategy'],
    ]);
  });

  it('a slot not visited for a while: its order finished and was forgotten by the broker, the slot is free', () => {
    // Day order placed at 0 expires at 1; the broker forgets it after step 2; the slot is next visited at 4.
    const result = runCalls(flatBars('A', 5, 100), { 0: [['long', buyLimit(95, 10, { tif: 'day' })]], 4: [['long', buyLimit(95, 10, { tif: 'day' })]] });
    expect(trace(result)).toEqual([
      [0, 'accepted', 1, 'A', 'buy', 'limit', 'day', 10, 95, undefined, 'long'],
      [1, 'expired', 1],
      [4, 'accepted', 2, 'A', 'buy', 'limit', 'day', 10, 95, undefined, 'long'],
    ]);
  });
});

describe('SlotOrders: protective stops', () => {
  const rows: BarRow[] = [
    [100, 100, 100, 100], // 0: buy-stop 101 placed
    [100, 100, 100, 100], // 1: protective stop moved from 97 to 98 (no order command)
    [100, 103, 99, 102], // 2: high 103 >= 101 → entry fills at 101; protective stop accepted at this step
    [102, 102, 99, 101], // 3: low 99 > 98: the stop does not trigger
    [101, 101, 96, 97], // 4: low 96 <= 98 → stop fills at 98
  ];
  const entry: SlotIntent = { symbol: 'A', side: 'buy', type: 'stop', qty: 10, stopPrice: 101, protectiveStop: 97 };
  const plan: Plan = { 0: { long: entry }, 1: { long: { ...entry, protectiveStop: 98 } } };

  it('placed as a reduce-only stop on the fill step, for the filled quantity; fills later', () => {
    const { result, log } = runPlan(barsOf('A', rows), ['long'], plan);
    expect(trace(result)).toEqual([
      [0, 'accepted', 1, 'A', 'buy', 'stop', 'gtc', 10, undefined, 101, 'long'],
      [2, 'filled', 1, 'buy', 10, 101],
      [2, 'accepted', 2, 'A', 'sell', 'stop', 'gtc', 10, undefined, 98, PROTECTIVE_STOP_TAG],
      [4, 'filled', 2, 'sell', 10, 98],
    ]);
    expect(log.stops.map((s) => [s.fill.orderId, s.stopId])).toEqual([[1, 2]]);
    expect(log.held.flat()).toEqual([1, 1, undefined, undefined, undefined]);
    expect(result.trades.map((t) => [t.side, t.qty, t.entryPrice, t.exitPrice, t.entryTag, t.exitTag])).toEqual([['long', 10, 101, 98, 'long', 'stop-loss']]);
  });

  it('the entry carries its protective stop: the trade records initialRisk, so a stop-out is −1 R', () => {
    const steady = every(2, 'long', { ...entry, protectiveStop: 98 }); // wanted until it fills on step 2
    const { result } = runPlan(barsOf('A', rows), ['long'], steady);
    const trade = result.trades[0]!;
    // 10 × (101 − 98) = 30 at risk; stopped out at 98: −30.
    expect([trade.entryPrice, trade.exitPrice, trade.pnl, trade.initialRisk]).toEqual([101, 98, -30, 30]);
    expect(trade.pnl / trade.initialRisk!).toBe(-1);
  });

  it('fails fast when the strategy does not forward its fills to onFill', () => {
    expect(() => runPlan(barsOf('A', rows), ['long'], { ...plan, 2: { long: entry } }, false)).toThrow(/slot long: entry order 1 filled .* call slots\.onFill/);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random bars on two symbols, random intents per step per slot.

/** Per step per slot: keep the last intent, move its prices/qty, a fresh random intent, or nothing. */
type Action =
  | { readonly kind: 'keep' }
  | { readonly kind: 'none' }
  | { readonly kind: 'move'; readonly qty: number; readonly p1: number; readonly p2: number }
  | { readonly kind: 'new'; readonly intent: SlotIntent };

const price = fc.integer({ min: 90, max: 110 });
const intentArb: fc.Arbitrary<SlotIntent> = fc
  .record({
    symbol: fc.constantFrom('A', 'B'),
    side: fc.constantFrom<OrderSide>('buy', 'sell'),
    type: fc.constantFrom<OrderType>('market', 'limit', 'stop', 'stopLimit'),
    qty: fc.integer({ min: 1, max: 3 }),
    p1: price,
    p2: price,
    tif: fc.constantFrom<TimeInForce>('day', 'gtc'),
    protectiveStop: fc.option(fc.integer({ min: 85, max: 115 }), { nil: undefined }),
  })
  .map(({ p1, p2, ...rest }) => withPrices(rest, rest.qty, p1, p2));
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'keep' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), qty: fc.integer({ min: 1, max: 3 }), p1: price, p2: price }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('new' as const), intent: intentArb }) },
);

/** The intent with the price fields its type takes (`p1` the stop, `p2` the limit of a stop-limit). */
function withPrices(base: Omit<SlotIntent, 'limitPrice' | 'stopPrice'>, qty: number, p1: number, p2: number): SlotIntent {
  const { limitPrice: _l, stopPrice: _s, ...rest } = base as SlotIntent;
  switch (base.type) {
    case 'market':
      return { ...rest, qty };
    case 'limit':
      return { ...rest, qty, limitPrice: p1 };
    case 'stop':
      return { ...rest, qty, stopPrice: p1 };
    case 'stopLimit':
      return { ...rest, qty, stopPrice: p1, limitPrice: p2 };
  }
}

function planFrom(actions: readonly (readonly [Action, Action])[], keys: readonly [string, string]): Plan {
  const plan: Record<number, Record<string, SlotIntent>> = {};
  const last: (SlotIntent | undefined)[] = [undefined, undefined];
  actions.forEach((pair, step) => {
    plan[step] = {};
    pair.forEach((action, k) => {
      let intent = last[k];
      if (action.kind === 'none') intent = undefined;
      else if (action.kind === 'new') intent = action.intent;
      else if (action.kind === 'move' && intent !== undefined) intent = withPrices(intent, action.qty, action.p1, action.p2);
      last[k] = intent;
      if (intent !== undefined) plan[step]![keys[k]!] = intent;
    });
  });
  return plan;
}

const barArb = fc.record({ gap: fc.integer({ min: -2, max: 2 }), move: fc.integer({ min: -4, max: 4 }), up: fc.integer({ min: 0, max: 3 }), down: fc.integer({ min: 0, max: 3 }) });

function walk(symbol: string, moves: readonly { gap: number; move: number; up: number; down: number }[]): BarSeries {
  let close = 100;
  const rows: BarRow[] = moves.map(({ gap, move, up, down }) => {
    const open = Math.min(Math.max(close + gap, 80), 120);
    close = Math.min(Math.max(open + move, 80), 120);
    return [open, Math.max(open, close) + up, Math.min(open, close) - down, close];
  });
  return barsOf(symbol, rows);
}

describe('SlotOrders: property over random intents', () => {
  it('at most one working slot order per slot at every event; every protective stop belongs to a filled entry', () => {
    const keys = ['x', 'y'] as const;
    const scenario = fc.integer({ min: 2, max: 30 }).chain((n) =>
      fc.record({
        a: fc.array(barArb, { minLength: n, maxLength: n }),
        b: fc.array(barArb, { minLength: n, maxLength: n }),
        actions: fc.array(fc.tuple(actionArb, actionArb), { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ a, b, actions }) => {
        const plan = planFrom(actions, keys);
        const { result, log } = runPlan([walk('A', a), walk('B', b)], keys, plan);
        const stopIds = new Set(log.stops.map((s) => s.stopId));
        const working = new Map<number, string>();
        for (const e of result.events) {
          // The slot manager only modifies working orders and submits valid intents.
          expect(e.kind).not.toBe('OrderModifyRejected');
          expect(e.kind).not.toBe('OrderRejected');
          if (e.kind === 'OrderAccepted') {
            if (e.tag === PROTECTIVE_STOP_TAG) expect(stopIds.has(e.orderId)).toBe(true);
            else {
              expect(log.entries.has(e.orderId)).toBe(true);
              working.set(e.orderId, e.tag);
            }
          } else if (e.kind === 'OrderFilled') working.delete(e.fill.orderId);
          else if (e.kind === 'OrderCanceled' || e.kind === 'OrderExpired') working.delete(e.orderId);
          const perSlot = new Map<string, number>();
          for (const tag of working.values()) perSlot.set(tag, (perSlot.get(tag) ?? 0) + 1);
          for (const count of perSlot.values()) expect(count).toBeLessThanOrEqual(1);
        }
        // Every entry fill that asked for a stop got exactly one, at once, opposite, same size.
        const accepted = new Map(result.events.flatMap((e) => (e.kind === 'OrderAccepted' ? [[e.orderId, e] as const] : [])));
        const entryFills = result.events.flatMap((e) => (e.kind === 'OrderFilled' && log.entries.has(e.fill.orderId) ? [e.fill] : []));
        const wanted = entryFills.filter((f) => log.entries.get(f.orderId) !== undefined);
        expect(log.stops.map((s) => s.fill)).toEqual(wanted);
        for (const { fill, stopId } of log.stops) {
          const stop = accepted.get(stopId)!;
          expect([stop.step, stop.instrumentId, stop.side, stop.type, stop.qty, stop.stopPrice]).toEqual([
            fill.step,
            fill.instrumentId,
            fill.side === 'buy' ? 'sell' : 'buy',
            'stop',
            fill.qty,
            log.entries.get(fill.orderId),
          ]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
