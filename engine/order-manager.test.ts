/**
 * Order manager: validation (reasons in `OrderRejected`), time in force, cancel and modify, order
 * ids — end to end through `runBacktest` with a scripted strategy on tiny hand-made bars.
 */
import { describe, expect, it } from 'vitest';
import type { EngineOptions } from './engine-config.js';
import type { OrderRequest } from './order-request.js';
import type { OrderStatus } from './order.js';
import {
  barsOf,
  DAY_MS,
  eventsOfKind,
  fillOf,
  fillsOf,
  finalStatus,
  flatBars,
  orderEvents,
  runScript,
  T0_MS,
  type BarRow,
  type Script,
} from './test-support.js';

const flat: BarRow = [100, 100, 100, 100];
const run = (rows: readonly BarRow[], script: Script, options: EngineOptions = {}) => runScript(barsOf('A', rows), script, options);
const HOUR_MS = 3_600_000;

/** Submits one request at step 0 on flat bars and returns the rejection reason (or undefined). */
function rejection(request: OrderRequest, options: EngineOptions = {}): string | undefined {
  const { result } = run([flat, flat], { 0: [{ submit: request }] }, options);
  const rejected = eventsOfKind(result, 'OrderRejected');
  return rejected.length === 0 ? undefined : rejected[0]!.reason;
}

describe('validation', () => {
  it('rejects requests with the reason, at the step they were made, under the id returned to the strategy', () => {
    const { result, id } = run([flat, flat, flat], { 1: [{ submit: { side: 'buy', type: 'limit', qty: 1 }, as: 'bad' }] });
    expect(orderEvents(result, id('bad'))).toEqual([
      {
        kind: 'OrderRejected',
        step: 1,
        timeMs: T0_MS + DAY_MS,
        orderId: id('bad'),
        reason: 'limit order needs limitPrice > 0, was undefined',
      },
    ]);
  });

  it('sizing: exactly one of qty, equityFraction, closePosition', () => {
    const reason = 'give exactly one of qty, equityFraction or closePosition';
    expect(rejection({ side: 'buy' })).toBe(reason);
    expect(rejection({ side: 'buy', qty: 1, equityFraction: 0.5 })).toBe(reason);
    expect(rejection({ side: 'buy', qty: 1, closePosition: true })).toBe(reason);
    expect(rejection({ side: 'buy', closePosition: false })).toBe(reason);
  });

  it('quantities must be positive, finite and whole lots', () => {
    expect(rejection({ side: 'buy', qty: 0 })).toBe('qty must be > 0, was 0');
    expect(rejection({ side: 'buy', qty: -5 })).toBe('qty must be > 0, was -5');
    expect(rejection({ side: 'buy', qty: Number.NaN })).toBe('qty must be > 0, was NaN');
    expect(rejection({ side: 'buy', qty: Number.POSITIVE_INFINITY })).toBe('qty must be > 0, was Infinity');
    expect(rejection({ side: 'buy', qty: 1.5 })).toBe('qty 1.5 is not a whole number of lots of 1');
    const lot10 = { instruments: { A: { lotSize: 10 } } };
    expect(rejection({ side: 'buy', qty: 15 }, lot10)).toBe('qty 15 is not a whole number of lots of 10');
    expect(rejection({ side: 'buy', qty: 30 }, lot10)).toBeUndefined();
    // 0.3 / 0.1 = 2.9999999999999996 is still 3 lots.
    expect(rejection({ side: 'buy', qty: 0.3 }, { instruments: { A: { lotSize: 0.1 } } })).toBeUndefined();
    expect(rejection({ side: 'buy', equityFraction: 0 })).toBe('equityFraction must be > 0, was 0');
    expect(rejection({ side: 'buy', equityFraction: -1 })).toBe('equityFraction must be > 0, was -1');
  });

  it('prices must match the order type', () => {
    expect(rejection({ side: 'buy', type: 'limit', qty: 1 })).toBe('limit order needs limitPrice > 0, was undefined');
    expect(rejection({ side: 'buy', type: 'limit', qty: 1, limitPrice: 0 })).toBe('limit order needs limitPrice > 0, was 0');
    expect(rejection({ side: 'buy', type: 'stop', qty: 1 })).toBe('stop order needs stopPrice > 0, was undefined');
    expect(rejection({ side: 'buy', type: 'stopLimit', qty: 1, stopPrice: 101 })).toBe('stopLimit order needs limitPrice > 0, was undefined');
    expect(rejection({ side: 'buy', type: 'stopLimit', qty: 1, limitPrice: 101 })).toBe('stopLimit order needs stopPrice > 0, was undefined');
    expect(rejection({ side: 'buy', type: 'stop', qty: 1, stopPrice: 101, limitPrice: 102 })).toBe('stop order takes no limitPrice');
    expect(rejection({ side: 'buy', qty: 1, stopPrice: 101 })).toBe('market order takes no stopPrice');
    expect(rejection({ side: 'buy', qty: 1, limitPrice: 101 })).toBe('market order takes no limitPrice');
  });

  it('unknown symbol and bad side', () => {
    expect(rejection({ symbol: 'XYZ', side: 'buy', qty: 1 })).toBe('unknown symbol XYZ — known: A');
    expect(rejection({ side: 'hold' as 'buy', qty: 1 })).toBe('side must be buy or sell, was hold');
    const two = runScript([flatBars('A', 2, 100), flatBars('B', 2, 50)], { 0: [{ submit: { symbol: 'C', side: 'sell', qty: 1 } }] });
    expect(eventsOfKind(two.result, 'OrderRejected')[0]!.reason).toBe('unknown symbol C — known: A, B');
  });

  it('a rejected order never fills and the run goes on', () => {
    const { result } = run([flat, flat, flat], { 0: [{ submit: { side: 'buy', qty: 0 } }, { submit: { side: 'buy', qty: 2 } }] });
    expect(fillsOf(result).map((f) => [f.orderId, f.qty])).toEqual([[2, 2]]);
  });

  it('order ids are 1, 2, 3, … in request order across submit, bracket and oco', () => {
    const { id } = run([flat, flat], {
      0: [
        { submit: { side: 'buy', qty: 1 }, as: 'a' },
        { bracket: { side: 'buy', qty: 1, takeProfit: 110, stopLoss: 90 }, as: 'b' },
        { oco: [{ side: 'buy', type: 'limit', limitPrice: 90, qty: 1 }, { side: 'sell', type: 'limit', limitPrice: 110, qty: 1 }], as: 'o' },
        { submit: { side: 'buy', qty: 1 }, as: 'c' },
      ],
    });
    expect(['a', 'b', 'b.tp', 'b.sl', 'o.0', 'o.1', 'c'].map(id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('time in force', () => {
  it('a day order works for one session, then expires (daily bars)', () => {
    // Placed on bar 0; works on bar 1 (its first session). Daily bars are whole sessions, so it
    // expires at the end of bar 1, before the strategy sees bar 1 (not when bar 2 arrives).
    const { result, id } = run([flat, flat, flat, [89, 90, 80, 85]], {
      0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 90, qty: 1, tif: 'day' }, as: 'd' }],
    });
    expect(orderEvents(result, id('d')).map((e) => [e.kind, e.step, e.timeMs])).toEqual([
      ['OrderAccepted', 0, T0_MS],
      ['OrderExpired', 1, T0_MS + DAY_MS],
    ]);
    expect(fillsOf(result)).toEqual([]);
  });

  it('a GTC order keeps working across sessions', () => {
    const { result, id } = run([flat, flat, flat, [89, 90, 80, 85]], {
      0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 90, qty: 1 }, as: 'g' }],
    });
    expect(fillOf(result, id('g'))).toMatchObject({ step: 3, price: 89 });
  });

  it('intraday: a day order works through the rest of its session and fills if touched', () => {
    // Day D: 09:00, 10:00, 11:00; day D+1: 09:00, 10:00. Order placed at D 09:00.
    const times = [9, 10, 11, 33, 34].map((h) => T0_MS + h * HOUR_MS);
    const expires = runScript(barsOf('A', [flat, flat, flat, [85, 86, 84, 85], flat], { timesMs: times }), {
      0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 90, qty: 1, tif: 'day' }, as: 'd' }],
    });
    expect(orderEvents(expires.result, expires.id('d')).map((e) => [e.kind, e.step])).toEqual([
      ['OrderAccepted', 0],
      ['OrderExpired', 3],
    ]);
    const fills = runScript(barsOf('A', [flat, flat, [95, 96, 89, 90], flat, flat], { timesMs: times }), {
      0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 90, qty: 1, tif: 'day' }, as: 'd' }],
    });
    expect(fillOf(fills.result, fills.id('d'))).toMatchObject({ step: 2, price: 90 });
  });

  it('sessionOffsetMs moves the session boundary', () => {
    // Bars at 22:00 and 23:00 on day D and 01:00 on D+1 (one evening session across UTC midnight).
    const times = [22, 23, 25].map((h) => T0_MS + h * HOUR_MS);
    const rows: BarRow[] = [flat, flat, [89, 90, 88, 89]];
    const script: Script = { 0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 90, qty: 1, tif: 'day' }, as: 'd' }] };
    const utc = runScript(barsOf('A', rows, { timesMs: times }), script);
    expect(finalStatus(utc.result, utc.id('d'))).toBe('expired');
    // +3 h puts 22:00, 23:00 and 01:00 into the same session day.
    const shifted = runScript(barsOf('A', rows, { timesMs: times }), script, { sessionOffsetMs: 3 * HOUR_MS });
    expect(fillOf(shifted.result, shifted.id('d'))).toMatchObject({ step: 2, price: 89 });
  });

  it('an expiring parent cancels its dormant exits', () => {
    const { result, id } = run([flat, flat, flat], {
      0: [{ bracket: { side: 'buy', type: 'limit', limitPrice: 90, qty: 1, tif: 'day', takeProfit: 110, stopLoss: 80 }, as: 'b' }],
    });
    // Bar 1 (its only session) does not reach 90: expired at the end of bar 1, exits with it.
    expect(result.events.filter((e) => e.step === 1).map((e) => [e.kind, 'orderId' in e ? e.orderId : undefined])).toEqual([
      ['OrderExpired', id('b')],
      ['OrderCanceled', id('b.tp')],
      ['OrderCanceled', id('b.sl')],
    ]);
  });

  it('day exits of a bracket expire after the session in which the entry filled', () => {
    // Entry at bar 1's open; the day exits work for the rest of bar 1 (the entry's session, a whole
    // daily bar) and expire at its end.
    const { result, id } = run([flat, flat, flat, [120, 120, 70, 100]], {
      0: [{ bracket: { side: 'buy', qty: 1, takeProfit: 110, stopLoss: 80, exitTif: 'day' }, as: 'b' }],
    });
    expect(fillOf(result, id('b'))).toMatchObject({ step: 1 });
    expect(orderEvents(result, id('b.tp')).at(-1)).toMatchObject({ kind: 'OrderExpired', step: 1 });
    expect(orderEvents(result, id('b.sl')).at(-1)).toMatchObject({ kind: 'OrderExpired', step: 1 });
  });
});

describe('cancel', () => {
  it('a cancelled order never fills afterwards', () => {
    const { result, id } = run([flat, flat, [89, 90, 85, 88]], {
      0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 90, qty: 1 }, as: 'a' }],
      1: [{ cancel: 'a' }],
    });
    expect(orderEvents(result, id('a')).map((e) => [e.kind, e.step])).toEqual([
      ['OrderAccepted', 0],
      ['OrderCanceled', 1],
    ]);
    expect(eventsOfKind(result, 'OrderCanceled')[0]!.reason).toBe('strategy');
    expect(fillsOf(result)).toEqual([]);
  });

  it('a cancel made on bar t comes after bar t’s matching: an order touched on bar t still fills', () => {
    const { result, id } = run([flat, [95, 96, 89, 92], flat], {
      0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 90, qty: 1 }, as: 'a' }],
      1: [{ cancel: 'a' }],
    });
    expect(fillOf(result, id('a'))).toMatchObject({ step: 1, price: 90 });
    expect(eventsOfKind(result, 'OrderCanceled')).toEqual([]);
  });

  it('submit and cancel in the same step: accepted then cancelled, never fills', () => {
    const { result, id } = run([flat, flat], { 0: [{ submit: { side: 'buy', qty: 1 }, as: 'a' }, { cancel: 'a' }] });
    expect(orderEvents(result, id('a')).map((e) => [e.kind, e.step])).toEqual([
      ['OrderAccepted', 0],
      ['OrderCanceled', 0],
    ]);
  });

  it('cancelAll cancels working orders; dormant exits go with their parent', () => {
    const { result, id } = run([flat, flat, flat], {
      0: [
        { bracket: { side: 'buy', type: 'limit', limitPrice: 90, qty: 1, takeProfit: 110, stopLoss: 80 }, as: 'b' },
        { submit: { side: 'sell', type: 'limit', limitPrice: 120, qty: 1 }, as: 'l' },
      ],
      1: [{ cancelAll: true }],
    });
    expect(eventsOfKind(result, 'OrderCanceled').map((e) => [e.orderId, e.reason])).toEqual([
      [id('b'), 'strategy'],
      [id('b.tp'), `parent order ${id('b')} canceled`],
      [id('b.sl'), `parent order ${id('b')} canceled`],
      [id('l'), 'strategy'],
    ]);
  });

  it('cancelling a filled entry leaves its active exits working', () => {
    const { result, id } = run([flat, flat, flat, flat], {
      0: [{ bracket: { side: 'buy', qty: 1, takeProfit: 110, stopLoss: 80 }, as: 'b' }],
      2: [{ cancel: 'b' }],
    });
    expect(finalStatus(result, id('b'))).toBe('filled');
    expect(finalStatus(result, id('b.tp'))).toBe('working');
    expect(finalStatus(result, id('b.sl'))).toBe('working');
  });
});

describe('modify', () => {
  it('takes effect from the next bar', () => {
    // Limit 90 → 97 at step 1. Bar 1 (low 96) is matched before the change → no fill; bar 2 (low 96) fills at 97.
    const { result, id } = run([flat, [100, 101, 96, 100], [100, 101, 96, 100]], {
      0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 90, qty: 1 }, as: 'a' }],
      1: [{ modify: 'a', changes: { limitPrice: 97 } }],
    });
    expect(orderEvents(result, id('a'))).toEqual([
      expect.objectContaining({ kind: 'OrderAccepted', step: 0, limitPrice: 90 }),
      { kind: 'OrderModified', step: 1, timeMs: T0_MS + DAY_MS, orderId: id('a'), qty: undefined, limitPrice: 97, stopPrice: undefined },
      expect.objectContaining({ kind: 'OrderFilled', step: 2 }),
    ]);
    expect(fillOf(result, id('a'))!.price).toBe(97);
  });

  it('changes quantity and stop price', () => {
    const { result, id } = run([flat, flat, [100, 106, 99, 105]], {
      0: [{ submit: { side: 'buy', type: 'stop', stopPrice: 110, qty: 1 }, as: 's' }],
      1: [{ modify: 's', changes: { stopPrice: 105, qty: 20 } }],
    });
    expect(fillOf(result, id('s'))).toMatchObject({ step: 2, price: 105, qty: 20 });
  });

  it('modifying a dormant exit moves the exit it becomes', () => {
    // SL moved from 80 to 95 at step 1 while dormant; the entry (limit 99) fills at bar 2's open 99 and
    // the exits see bar 2 (low 98.5: no stop); bar 3's low 94 hits the new stop 95.
    const { result, id } = run([flat, flat, [99, 100, 98.5, 99.5], [99, 100, 94, 96]], {
      0: [{ bracket: { side: 'buy', type: 'limit', limitPrice: 99, qty: 3, takeProfit: 110, stopLoss: 80 }, as: 'b' }],
      1: [{ modify: 'b.sl', changes: { stopPrice: 95 } }],
    });
    expect(fillOf(result, id('b'))).toMatchObject({ step: 2, price: 99 });
    expect(fillOf(result, id('b.sl'))).toMatchObject({ step: 3, price: 95, qty: 3 });
  });

  it('a modification of a filled order is refused with OrderModifyRejected', () => {
    const { result, id } = run([flat, flat, flat], {
      0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 100, qty: 1 }, as: 'a' }],
      1: [{ modify: 'a', changes: { limitPrice: 99 } }],
    });
    expect(orderEvents(result, id('a')).map((e) => e.kind)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderModifyRejected']);
    expect(eventsOfKind(result, 'OrderModifyRejected')).toEqual([
      { kind: 'OrderModifyRejected', step: 1, timeMs: T0_MS + DAY_MS, orderId: id('a'), reason: `order ${id('a')} is not working` },
    ]);
  });

  it('refuses changes that do not fit the order, leaving it as it was', () => {
    const { result, id } = run([flat, flat, [89, 90, 85, 88]], {
      0: [
        { submit: { side: 'buy', type: 'limit', limitPrice: 90, qty: 2 }, as: 'a' },
        { modify: 'a', changes: { stopPrice: 95 } },
        { modify: 'a', changes: { qty: -1 } },
        { modify: 'a', changes: { limitPrice: Number.NaN } },
        { modify: 'a', changes: { qty: 1.5 } },
        { modify: 99, changes: { qty: 1 } },
      ],
    });
    expect(eventsOfKind(result, 'OrderModifyRejected').map((e) => [e.orderId, e.reason])).toEqual([
      [id('a'), `order ${id('a')} has no stop price`],
      [id('a'), 'qty must be > 0, was -1'],
      [id('a'), 'limitPrice must be > 0, was NaN'],
      [id('a'), 'qty 1.5 is not a whole number of lots of 1'],
      [99, 'order 99 is not working'],
    ]);
    expect(fillOf(result, id('a'))).toMatchObject({ step: 2, price: 89, qty: 2 });
  });
});

describe('order state seen by the strategy', () => {
  it('ctx.order and ctx.workingOrders follow the order through its life', () => {
    const seen: [number, OrderStatus | undefined, number][] = [];
    runScript(
      barsOf('A', [flat, flat, [95, 96, 89, 92], flat]),
      { 0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 90, qty: 1 }, as: 'a' }] },
      {},
      { onBar: (ctx, ids) => seen.push([ctx.step, ids.has('a') ? ctx.order(ids.get('a')!)?.status : undefined, ctx.workingOrders().length]) },
    );
    // Step 0: queued, not yet accepted (accepted in the order-manager phase after onBar).
    expect(seen).toEqual([
      [0, undefined, 0],
      [1, 'working', 1],
      [2, 'filled', 0],
      [3, 'filled', 0],
    ]);
  });
});
