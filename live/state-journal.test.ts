import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBarSeries, sliceBars, type BarSeries } from '../engine/bars.js';
import type { StrategyContext } from '../engine/context.js';
import { defineStrategy, type StrategyDefinition } from '../engine/strategy.js';
import type { BarMessage } from './feed.js';
import { paperStateIdentity } from './state-identity.js';
import { riskManagerOf } from './state-journal.js';
import { openStatefulSession } from './state-session.js';

/**
 * Eight daily bars of SPX at 100; bar 5 gaps up to 105–112 and stays there. Two are history (the
 * warm-up), six come live.
 */
const BARS: BarSeries = (() => {
  const prices = [[100, 101, 99, 100], [100, 101, 99, 100], [100, 101, 99, 100], [100, 101, 99, 100], [100, 101, 99, 100], [105, 112, 104, 111], [111, 112, 110, 111], [111, 112, 110, 111]];
  const column = (f: number) => Float64Array.from(prices, (p) => p[f]!);
  return makeBarSeries({ symbol: 'SPX', timeMs: Float64Array.from(prices, (_, i) => Date.UTC(2024, 0, 1 + i)), open: column(0), high: column(1), low: column(2), close: column(3) });
})();
const messages: BarMessage[] = Array.from({ length: BARS.length }, (_, i) => ({
  symbol: 'SPX', timeMs: BARS.timeMs[i]!, open: BARS.open[i]!, high: BARS.high[i]!, low: BARS.low[i]!, close: BARS.close[i]!,
}));

/**
 * A scripted strategy touching every order path: step 2 places a bracket (buy 10, take profit 110,
 * stop loss 95), a far limit and an entry too big for the risk limit (rejected before it works);
 * step 3 (entry filled) moves the far limit; step 4 cancels it; step 5 (take profit filled, stop
 * cancelled as its OCO sibling) places a day limit that expires unfilled on step 6.
 */
const scripted = defineStrategy({
  name: 'scripted',
  description: 'test script',
  params: {},
  create: () => {
    let far = 0;
    return {
      onBar(ctx: StrategyContext) {
        if (ctx.step === 2) {
          ctx.bracket({ side: 'buy', qty: 10, takeProfit: 110, stopLoss: 95, tag: 'entry' });
          far = ctx.submit({ side: 'buy', type: 'limit', qty: 1, limitPrice: 50, tag: 'far' });
          ctx.submit({ side: 'buy', qty: 100, tag: 'big' });
        }
        if (ctx.step === 3) ctx.modify(far, { limitPrice: 60 });
        if (ctx.step === 4) ctx.cancel(far);
        if (ctx.step === 5) ctx.submit({ side: 'buy', type: 'limit', qty: 10, limitPrice: 50, tif: 'day', tag: 'day' });
      },
    };
  },
}) as unknown as StrategyDefinition;

const options = { risk: { maxNotionalPerOrder: 5000 } };
const history = [sliceBars(BARS, 0, 2)];
const open = (dir: string) => openStatefulSession(dir, paperStateIdentity({ strategy: 'scripted', options }, undefined, history), { history, strategy: scripted, options, keepSeries: false });
const rows = (db: { prepare(sql: string): { all(): unknown[] } }, sql: string) => db.prepare(sql).all();

describe('StateJournal: the derived tables of a small hand-made run', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'replaylab-journal-')), 'state');
  const { session, store } = open(dir);
  const db = store.db;
  const positionsAfter: unknown[][] = [];
  for (const m of messages) {
    session.accept(m);
    positionsAfter.push(rows(db, 'SELECT symbol, qty, avg_price, mark, unrealized_pnl, initial_risk, step FROM positions'));
  }
  const result = session.finish();
  afterAll(() => store.close());

  it('bars: each live bar once, with the step that took it', () => {
    expect(rows(db, 'SELECT seq, symbol, time, close, volume, extras, step FROM bars')).toEqual(
      [2, 3, 4, 5, 6, 7].map((i, k) => ({ seq: k + 1, symbol: 'SPX', time: new Date(BARS.timeMs[i]!).toISOString(), close: BARS.close[i], volume: null, extras: null, step: i })),
    );
    expect(rows(db, 'SELECT step, live FROM steps')).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((step) => ({ step, live: step >= 2 ? 1 : 0 })));
  });

  it('orders: every order once with its final status, prices, fill and times', () => {
    const orders = rows(db, 'SELECT id, tag, side, type, tif, qty, limit_price, stop_price, parent_id, status, reason, filled_qty, avg_fill_price, created_step, updated_step FROM orders ORDER BY id');
    expect(orders).toEqual([
      { id: 1, tag: 'entry', side: 'buy', type: 'market', tif: 'gtc', qty: 10, limit_price: null, stop_price: null, parent_id: null, status: 'filled', reason: null, filled_qty: 10, avg_fill_price: 100, created_step: 2, updated_step: 3 },
      { id: 2, tag: 'take-profit', side: 'sell', type: 'limit', tif: 'gtc', qty: null, limit_price: 110, stop_price: null, parent_id: 1, status: 'filled', reason: null, filled_qty: 10, avg_fill_price: 110, created_step: 2, updated_step: 5 },
      { id: 3, tag: 'stop-loss', side: 'sell', type: 'stop', tif: 'gtc', qty: null, limit_price: null, stop_price: 95, parent_id: 1, status: 'canceled', reason: 'oco: order 2 filled', filled_qty: 0, avg_fill_price: null, created_step: 2, updated_step: 5 },
      { id: 4, tag: 'far', side: 'buy', type: 'limit', tif: 'gtc', qty: 1, limit_price: 60, stop_price: null, parent_id: null, status: 'canceled', reason: 'strategy', filled_qty: 0, avg_fill_price: null, created_step: 2, updated_step: 4 },
      { id: 5, tag: 'big', side: 'buy', type: 'market', tif: 'gtc', qty: 100, limit_price: null, stop_price: null, parent_id: null, status: 'rejected', reason: 'ORDER_REJECTED: notional 10000 > max 5000', filled_qty: 0, avg_fill_price: null, created_step: 2, updated_step: 2 },
      { id: 6, tag: 'day', side: 'buy', type: 'limit', tif: 'day', qty: 10, limit_price: 50, stop_price: null, parent_id: null, status: 'expired', reason: null, filled_qty: 0, avg_fill_price: null, created_step: 5, updated_step: 6 },
    ]);
  });

  it('fills and events: the engine event log, in order, each fill tied to its OrderFilled event', () => {
    expect(rows(db, 'SELECT seq, order_id, side, qty, price, fee, step FROM fills')).toEqual([
      { seq: 5, order_id: 1, side: 'buy', qty: 10, price: 100, fee: 0, step: 3 },
      { seq: 8, order_id: 2, side: 'sell', qty: 10, price: 110, fee: 0, step: 5 },
    ]);
    const events = rows(db, 'SELECT seq, step, kind, order_id, live FROM events') as { seq: number; step: number; kind: string; order_id: number | null }[];
    expect(events.map((e) => `${e.step}:${e.kind}:${e.order_id ?? ''}`)).toEqual([
      '2:OrderAccepted:1', '2:OrderAccepted:2', '2:OrderAccepted:3', '2:OrderAccepted:4', '2:OrderRejected:5',
      '3:OrderFilled:1', '3:OrderModified:4', '4:OrderCanceled:4', '5:OrderFilled:2', '5:OrderCanceled:3', '5:OrderAccepted:6', '6:OrderExpired:6',
    ]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, k) => k));
    const json = db.prepare("SELECT json FROM events WHERE kind = 'OrderFilled'").pluck().all() as string[];
    expect(JSON.parse(json[1]!)).toMatchObject({ kind: 'OrderFilled', step: 5, fill: { orderId: 2, price: 110, qty: 10, tag: 'take-profit' } });
  });

  it('positions: the open position after each step, none once flat', () => {
    expect(positionsAfter[2]).toEqual([]);
    expect(positionsAfter[3]).toEqual([{ symbol: 'SPX', qty: 10, avg_price: 100, mark: 100, unrealized_pnl: 0, initial_risk: 50, step: 3 }]);
    expect(positionsAfter[4]).toEqual([{ symbol: 'SPX', qty: 10, avg_price: 100, mark: 100, unrealized_pnl: 0, initial_risk: 50, step: 4 }]);
    expect(positionsAfter[5]).toEqual([]);
    expect(positionsAfter[7]).toEqual([]);
  });

  it('risk: the risk manager state of the last step (snapshot JSON), R of the closed trade', () => {
    const risk = db.prepare('SELECT step, halted, reason, daily_r, cumulative_r, snapshot FROM risk').get() as { snapshot: string };
    expect(risk).toMatchObject({ step: 7, halted: 0, reason: null, daily_r: 0, cumulative_r: 2 });
    expect(JSON.parse(risk.snapshot)).toEqual(riskManagerOf(session.engine)!.snapshot());
    expect(JSON.parse(risk.snapshot)).toMatchObject({ version: 1, symbols: ['SPX'], state: { bar: 7, cumulativeR: 2 } });
  });

  it('daily_summary: one row per session with equity, P&L, R and trades closed', () => {
    const days = rows(db, 'SELECT date, live, first_step, last_step, equity, pnl, r, trades FROM daily_summary ORDER BY date');
    expect(days).toHaveLength(8);
    expect(days[0]).toEqual({ date: '2024-01-01', live: 0, first_step: 0, last_step: 0, equity: 100_000, pnl: 0, r: 0, trades: 0 });
    // Day 5: the take profit at 110 closes 10 bought at 100 (risk 10 × 5): +100, R 2; the rest marked to 111 the day before.
    expect(days[5]).toEqual({ date: '2024-01-06', live: 1, first_step: 5, last_step: 5, equity: 100_100, pnl: 100, r: 2, trades: 1 });
    expect(days[7]).toMatchObject({ date: '2024-01-08', live: 1, equity: 100_100, pnl: 0, trades: 0 });
    expect(result.metrics.finalEquity).toBe(100_100);
  });

  it('riskManagerOf reads the engine gate’s risk manager (and finds none without a risk block)', () => {
    expect(riskManagerOf(session.engine)?.cumulativeR).toBe(2);
    const dir2 = join(mkdtempSync(join(tmpdir(), 'replaylab-journal-')), 'state');
    const plain = openStatefulSession(dir2, paperStateIdentity({ strategy: 'scripted' }, undefined, history), { history, strategy: scripted });
    expect(riskManagerOf(plain.session.engine)).toBeUndefined();
    plain.store.close();
  });
});
