import { describe, expect, it } from 'vitest';
import type { EngineEvent, OrderAccepted } from '../engine/events.js';
import type { Fill } from '../engine/fill.js';
import { alertJson, formatAlertLine } from './alert-format.js';
import { errorAlert, feedWarningAlert, staleFeedAlert } from './alert-notices.js';
import { alertsFromEvent, exitReason, type Alert, type AlertContext, type OrderFacts } from './alerts.js';

const T = Date.UTC(2024, 2, 1, 15, 30);

/** A hand-set context: positions, average prices and order facts as given. */
function contextOf(positions: Record<string, [qty: number, averagePrice: number]> = {}, facts: Record<number, OrderFacts> = {}): AlertContext {
  return {
    positionQty: (id) => positions[id]?.[0] ?? 0,
    averagePrice: (id) => positions[id]?.[1] ?? Number.NaN,
    multiplier: () => 1,
    orderFacts: (orderId) => facts[orderId],
  };
}

function accepted(fields: Partial<OrderAccepted> = {}): OrderAccepted {
  return {
    kind: 'OrderAccepted', step: 7, timeMs: T, orderId: 3, instrumentId: 'SPX', side: 'buy', type: 'limit', tif: 'gtc',
    qty: 10, limitPrice: 101.25, stopPrice: undefined, tag: 'entry', parentId: undefined, ...fields,
  };
}

function filled(fields: Partial<Fill> = {}): EngineEvent {
  const fill: Fill = { orderId: 3, instrumentId: 'SPX', side: 'buy', qty: 10, price: 101.25, slippage: 0.01, fee: 1, timeMs: T, step: 8, tag: 'entry', ...fields };
  return { kind: 'OrderFilled', step: 8, timeMs: T, fill };
}

describe('alertsFromEvent: orders', () => {
  it('an accepted entry is an OPPORTUNITY', () => {
    expect(alertsFromEvent(accepted(), contextOf())).toEqual([
      {
        kind: 'OPPORTUNITY', timeMs: T, step: 7, symbol: 'SPX', message: 'buy 10 SPX limit 101.25 (entry)',
        data: { orderId: 3, side: 'buy', type: 'limit', tif: 'gtc', qty: 10, limitPrice: 101.25, stopPrice: undefined, tag: 'entry' },
      },
    ]);
    const stop = alertsFromEvent(accepted({ type: 'stop', side: 'sell', limitPrice: undefined, stopPrice: 99.5, tag: '' }), contextOf());
    expect(stop[0]?.message).toBe('sell 10 SPX stop 99.5 (untagged)');
  });

  it('exits, bracket children, reduce-only and close orders are not opportunities', () => {
    const long = { SPX: [10, 100] as [number, number] };
    expect(alertsFromEvent(accepted({ parentId: 2, qty: 'atFill', tag: 'entry' }), contextOf())).toEqual([]);
    expect(alertsFromEvent(accepted({ tag: 'stop-loss', side: 'sell' }), contextOf())).toEqual([]);
    expect(alertsFromEvent(accepted(), contextOf({}, { 3: { reduceOnly: true, sizing: 'fixed' } }))).toEqual([]);
    expect(alertsFromEvent(accepted({ side: 'sell', qty: 'atFill' }), contextOf(long, { 3: { reduceOnly: false, sizing: 'closePosition' } }))).toEqual([]);
    // A fixed sell smaller than the long position reduces it; a larger one flips it (an entry).
    expect(alertsFromEvent(accepted({ side: 'sell', qty: 5 }), contextOf(long))).toEqual([]);
    expect(alertsFromEvent(accepted({ side: 'sell', qty: 15 }), contextOf(long))).toHaveLength(1);
    expect(alertsFromEvent(accepted({ side: 'buy', qty: 5 }), contextOf(long))).toHaveLength(1);
  });

  it('sizes at fill: an equity fraction is an entry; unknown, it is one only along the position', () => {
    const short = { SPX: [-10, 100] as [number, number] };
    const fraction = { 3: { reduceOnly: false, sizing: 'equityFraction' } as const };
    const opp = alertsFromEvent(accepted({ qty: 'atFill', type: 'market', limitPrice: undefined }), contextOf(short, fraction));
    expect(opp.map((a) => a.message)).toEqual(['buy SPX market, sized at fill (entry)']);
    expect(alertsFromEvent(accepted({ qty: 'atFill' }), contextOf(short))).toEqual([]);
    expect(alertsFromEvent(accepted({ qty: 'atFill' }), contextOf())).toHaveLength(1);
  });

  it('an opening fill is a FILL', () => {
    expect(alertsFromEvent(filled({ protectiveStop: 99 }), contextOf())).toEqual([
      {
        kind: 'FILL', timeMs: T, step: 8, symbol: 'SPX', message: 'bought 10 SPX @ 101.25 (entry), stop 99; position 10',
        data: { orderId: 3, side: 'buy', price: 101.25, fillQty: 10, fee: 1, slippage: 0.01, tag: 'entry', qty: 10, protectiveStop: 99, positionAfter: 10 },
      },
    ]);
  });

  it('a closing fill is an EXIT with the reason of its tag and the P&L against the average entry', () => {
    const exit = alertsFromEvent(filled({ side: 'sell', price: 105, tag: 'take-profit' }), contextOf({ SPX: [10, 101.25] }));
    expect(exit).toEqual([
      {
        kind: 'EXIT', timeMs: T, step: 8, symbol: 'SPX', message: 'sold 10 SPX @ 105 — target (take-profit), flat; P&L +37.50', reason: 'target',
        data: { orderId: 3, side: 'sell', price: 105, fillQty: 10, fee: 1, slippage: 0.01, tag: 'take-profit', qty: 10, entryPrice: 101.25, grossPnl: 37.5, positionAfter: 0 },
      },
    ]);
    const partial = alertsFromEvent(filled({ side: 'buy', qty: 4, price: 102, tag: 'stop-loss' }), contextOf({ SPX: [-10, 100] }));
    expect(partial.map((a) => [a.kind, a.reason, a.message])).toEqual([['EXIT', 'stop', 'bought 4 SPX @ 102 — stop (stop-loss), -6 left; P&L -8.00']]);
  });

  it('a flipping fill is an EXIT, then a FILL of the rest', () => {
    const flip = alertsFromEvent(filled({ side: 'sell', qty: 15, price: 90, tag: 'cross-down' }), contextOf({ SPX: [10, 100] }));
    expect(flip.map((a) => [a.kind, a.reason, a.message, a.data?.['qty'], a.data?.['positionAfter']])).toEqual([
      ['EXIT', 'cross-down', 'sold 10 SPX @ 90 — cross-down, flat, then; P&L -100.00', 10, 0],
      ['FILL', undefined, 'sold 5 SPX @ 90 (cross-down); position -5', 5, -5],
    ]);
  });

  it('maps tags to exit reasons', () => {
    expect(['take-profit', 'stop-loss', 'session-end', 'time', 'risk', '', 'flip'].map(exitReason)).toEqual(['target', 'stop', 'time', 'time', 'risk', 'untagged', 'flip']);
  });

  it('a settled position is an EXIT', () => {
    const settled = alertsFromEvent({ kind: 'PositionSettled', step: 9, timeMs: T, instrumentId: 'ES', qty: -2, price: 95, reason: 'expiry' }, contextOf({ ES: [-2, 100] }));
    expect(settled).toEqual([
      { kind: 'EXIT', timeMs: T, step: 9, symbol: 'ES', message: 'ES position -2 settled @ 95 — expiry, flat; P&L +10.00', reason: 'expiry', data: { qty: -2, price: 95, grossPnl: 10, positionAfter: 0 } },
    ]);
  });
});

describe('alertsFromEvent: risk, regimes and bookkeeping', () => {
  const at = { step: 4, timeMs: T };
  it('a halt is a WARNING when entries resume later, an ERROR when it lasts to the end', () => {
    const halt = (until: 'session' | 'end'): Alert[] =>
      alertsFromEvent({ kind: 'RiskHalted', ...at, reason: 'HALTED: daily loss 2.1% > 2%', flatten: true, cancelOrders: true, until }, contextOf());
    expect(halt('session')).toEqual([
      {
        kind: 'WARNING', ...at, reason: 'risk', message: 'HALTED: daily loss 2.1% > 2% — entries stopped until the next session; flattening, orders canceled',
        data: { until: 'session', flatten: true, cancelOrders: true },
      },
    ]);
    expect(halt('end').map((a) => [a.kind, a.message])).toEqual([['ERROR', 'HALTED: daily loss 2.1% > 2% — entries stopped for the rest of the run; flattening, orders canceled']]);
  });

  it('risk warnings, resumes and regime changes are WARNINGs', () => {
    expect(alertsFromEvent({ kind: 'RiskWarning', ...at, reason: 'WARNING: 80% of daily loss used' }, contextOf())).toEqual([{ kind: 'WARNING', ...at, message: 'WARNING: 80% of daily loss used', reason: 'risk' }]);
    expect(alertsFromEvent({ kind: 'RiskResumed', ...at, reason: 'RESUMED: new session' }, contextOf())).toEqual([{ kind: 'WARNING', ...at, message: 'RESUMED: new session', reason: 'risk', data: { resumed: true } }]);
    expect(alertsFromEvent({ kind: 'RegimeChanged', ...at, instrumentId: 'SPX', dimension: 'vol', from: 'calm', to: 'stormy' }, contextOf())).toEqual([
      { kind: 'WARNING', ...at, symbol: 'SPX', message: 'SPX vol regime calm → stormy', reason: 'regime', data: { dimension: 'vol', from: 'calm', to: 'stormy' } },
    ]);
  });

  it('order bookkeeping and notes raise nothing', () => {
    const quiet: EngineEvent[] = [
      { kind: 'OrderRejected', ...at, orderId: 1, reason: 'ORDER_REJECTED: notional' },
      { kind: 'OrderCanceled', ...at, orderId: 1, reason: 'oco' },
      { kind: 'OrderExpired', ...at, orderId: 1 },
      { kind: 'OrderModified', ...at, orderId: 1, qty: 5, limitPrice: undefined, stopPrice: undefined },
      { kind: 'OrderModifyRejected', ...at, orderId: 1, reason: 'filled' },
      { kind: 'StrategyNoted', ...at, text: 'threshold 0.4' },
    ];
    expect(quiet.flatMap((e) => alertsFromEvent(e, contextOf()))).toEqual([]);
  });
});

describe('feed and driver alerts, formatting', () => {
  const at = { timeMs: T, step: 12 };
  it('stale feed and feed warnings are WARNINGs, errors ERRORs, at the last bar', () => {
    expect(staleFeedAlert(90_000, at)).toEqual({ kind: 'WARNING', ...at, message: 'feed: no bar for 90.0 s', reason: 'stale-feed', data: { silentMs: 90_000 } });
    expect(feedWarningAlert('reconnected', at)).toEqual({ kind: 'WARNING', ...at, message: 'feed: reconnected', reason: 'feed' });
    expect(errorAlert('feed', new TypeError('connection reset'), at)).toEqual({ kind: 'ERROR', ...at, message: 'feed: connection reset', reason: 'error', data: { error: 'TypeError' } });
  });

  it('formats one line (newlines flattened) and the JSON form', () => {
    const alert: Alert = { kind: 'EXIT', ...at, symbol: 'SPX', message: 'sold 10\nSPX', reason: 'target' };
    expect(formatAlertLine(alert)).toBe('2024-03-01T15:30:00.000Z EXIT        sold 10 SPX');
    expect(formatAlertLine(alert, true)).toBe('2024-03-01T15:30:00.000Z \u001b[35mEXIT       \u001b[0m sold 10 SPX');
    expect(JSON.parse(JSON.stringify(alertJson({ ...alert, timeMs: Number.NEGATIVE_INFINITY })))).toEqual({
      kind: 'EXIT', time: null, timeMs: null, step: 12, symbol: 'SPX', message: 'sold 10\nSPX', reason: 'target',
    });
  });
});
