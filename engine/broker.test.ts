/**
 * Simulated broker, end to end through `runBacktest` with a scripted strategy on tiny hand-made
 * daily bars (step k = bar k for one series). Capital 100 000 and no costs unless stated.
 * Bars are written `[open, high, low, close]`.
 */
import { describe, expect, it } from 'vitest';
import {
  barsOf,
  eventsOfKind,
  fillOf,
  fillsOf,
  finalStatus,
  flatBars,
  orderEvents,
  runScript,
  seriesOf,
  type BarRow,
  type Script,
} from './test-support.js';
import type { EngineOptions } from './engine-config.js';

const run = (rows: readonly BarRow[], script: Script, options: EngineOptions = {}) => runScript(barsOf('A', rows), script, options);
const flat: BarRow = [100, 100, 100, 100];

describe('market orders', () => {
  it('fill at the next bar open, never on the bar they were placed', () => {
    const { result, id } = run([flat, [102, 104, 101, 103], [105, 106, 104, 105]], {
      0: [{ submit: { side: 'buy', qty: 10 }, as: 'a' }],
    });
    const fill = fillOf(result, id('a'))!;
    expect(fill).toMatchObject({ step: 1, price: 102, qty: 10, slippage: 0, fee: 0 });
    expect(orderEvents(result, id('a')).map((e) => [e.kind, e.step])).toEqual([
      ['OrderAccepted', 0],
      ['OrderFilled', 1],
    ]);
    // Cash 100 000 − 10 × 102 = 98 980; equity at bar 1 = 98 980 + 10 × 103 = 100 010; bar 2: + 10 × 105.
    expect([...seriesOf(result).equity]).toEqual([100_000, 100_010, 100_030]);
  });

  it('an order placed on the last bar never fills', () => {
    const { result, id } = run([flat, flat], { 1: [{ submit: { side: 'buy', qty: 1 }, as: 'a' }] });
    expect(finalStatus(result, id('a'))).toBe('working');
    expect(fillsOf(result)).toEqual([]);
  });

  it('a marketable limit placed on bar t still waits for bar t+1', () => {
    // Limit 1000 is marketable on every bar; bar 0 must not fill it, bar 1 fills at its open 102.
    const { result, id } = run([flat, [102, 104, 101, 103]], {
      0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 1000, qty: 1 }, as: 'a' }],
    });
    expect(fillOf(result, id('a'))).toMatchObject({ step: 1, price: 102 });
  });

  it('an order submitted in init fills at the first bar open (init is before bar 0)', () => {
    const { result, id } = run([[100, 101, 99, 100], [102, 104, 101, 103]], {
      [-1]: [{ submit: { side: 'buy', qty: 10 }, as: 'a' }],
    });
    expect(orderEvents(result, id('a'))[0]).toMatchObject({ kind: 'OrderAccepted', step: -1 });
    expect(fillOf(result, id('a'))).toMatchObject({ step: 0, price: 100 });
  });
});

describe('limit orders', () => {
  // bar 1: open 100, low 96, high 102; bar 2 gaps down to open 94; bar 3 gaps up to open 110.
  const rows: BarRow[] = [flat, [100, 102, 96, 101], [94, 95, 90, 93], [110, 112, 108, 111]];

  it('buy: the low touching the limit fills at the limit', () => {
    const { result, id } = run(rows, { 0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 97, qty: 1 }, as: 'a' }] });
    expect(fillOf(result, id('a'))).toMatchObject({ step: 1, price: 97 });
  });

  it('buy: a gap below the limit fills at the better open', () => {
    const { result, id } = run(rows, { 1: [{ submit: { side: 'buy', type: 'limit', limitPrice: 98, qty: 1 }, as: 'a' }] });
    expect(fillOf(result, id('a'))).toMatchObject({ step: 2, price: 94 });
  });

  it('buy: never touched → stays working', () => {
    const { result, id } = run(rows, { 0: [{ submit: { side: 'buy', type: 'limit', limitPrice: 89, qty: 1 }, as: 'a' }] });
    expect(finalStatus(result, id('a'))).toBe('working');
    expect(orderEvents(result, id('a')).map((e) => e.kind)).toEqual(['OrderAccepted']);
  });

  it('sell: the high touching the limit fills at the limit; a gap above fills at the better open', () => {
    const touch = run(rows, { 0: [{ submit: { side: 'sell', type: 'limit', limitPrice: 101.5, qty: 1 }, as: 'a' }] });
    expect(fillOf(touch.result, touch.id('a'))).toMatchObject({ step: 1, price: 101.5 });
    const gap = run(rows, { 2: [{ submit: { side: 'sell', type: 'limit', limitPrice: 105, qty: 1 }, as: 'a' }] });
    expect(fillOf(gap.result, gap.id('a'))).toMatchObject({ step: 3, price: 110 });
  });

  it('sell: never touched → stays working', () => {
    const { result, id } = run(rows, { 0: [{ submit: { side: 'sell', type: 'limit', limitPrice: 113, qty: 1 }, as: 'a' }] });
    expect(finalStatus(result, id('a'))).toBe('working');
  });
});

describe('stop orders', () => {
  const rows: BarRow[] = [flat, [100, 102, 96, 101], [94, 95, 90, 93], [110, 112, 108, 111]];

  it('buy: the high touching the stop fills at the stop; a gap above fills at the worse open', () => {
    const touch = run(rows, { 0: [{ submit: { side: 'buy', type: 'stop', stopPrice: 101.5, qty: 1 }, as: 'a' }] });
    expect(fillOf(touch.result, touch.id('a'))).toMatchObject({ step: 1, price: 101.5 });
    const gap = run(rows, { 2: [{ submit: { side: 'buy', type: 'stop', stopPrice: 105, qty: 1 }, as: 'a' }] });
    expect(fillOf(gap.result, gap.id('a'))).toMatchObject({ step: 3, price: 110 });
  });

  it('sell: the low touching the stop fills at the stop; a gap below fills at the worse open', () => {
    const touch = run(rows, { 0: [{ submit: { side: 'sell', type: 'stop', stopPrice: 97, qty: 1 }, as: 'a' }] });
    expect(fillOf(touch.result, touch.id('a'))).toMatchObject({ step: 1, price: 97 });
    const gap = run(rows, { 1: [{ submit: { side: 'sell', type: 'stop', stopPrice: 95, qty: 1 }, as: 'a' }] });
    expect(fillOf(gap.result, gap.id('a'))).toMatchObject({ step: 2, price: 94 });
  });

  it('not reached → stays working', () => {
    const { result, id } = run(rows, { 0: [{ submit: { side: 'buy', type: 'stop', stopPrice: 120, qty: 1 }, as: 'a' }] });
    expect(finalStatus(result, id('a'))).toBe('working');
  });
});

describe('stop-limit orders', () => {
  it('gap through the stop with the open inside the limit → fills at the open', () => {
    // Buy stop 103 limit 106; bar 1 opens 105 (>= stop, <= limit) → 105.
    const { result, id } = run([flat, [105, 107, 104, 106]], {
      0: [{ submit: { side: 'buy', type: 'stopLimit', stopPrice: 103, limitPrice: 106, qty: 1 }, as: 'a' }],
    });
    expect(fillOf(result, id('a'))).toMatchObject({ step: 1, price: 105 });
  });

  it('gap through the stop with the open beyond the limit → rests as a limit (fills later in the bar at the limit, or not)', () => {
    // Buy stop 103 limit 104; bar 1 opens 106 > limit, low 103.5 never reaches 104? It does: 103.5 <= 104 → 104.
    const back = run([flat, [106, 107, 103.5, 105]], {
      0: [{ submit: { side: 'buy', type: 'stopLimit', stopPrice: 103, limitPrice: 104, qty: 1 }, as: 'a' }],
    });
    expect(fillOf(back.result, back.id('a'))).toMatchObject({ step: 1, price: 104 });
    // Same but the low stays at 105 → triggered, unfilled, still working.
    const away = run([flat, [106, 107, 105, 106]], {
      0: [{ submit: { side: 'buy', type: 'stopLimit', stopPrice: 103, limitPrice: 104, qty: 1 }, as: 'a' }],
    });
    expect(finalStatus(away.result, away.id('a'))).toBe('working');
  });

  it('intrabar trigger with the stop inside the limit → fills at the stop', () => {
    // Sell stop 97 limit 95: bar 1 open 100, low 96 → triggered at 97, 97 >= 95 → 97.
    const { result, id } = run([flat, [100, 101, 96, 98]], {
      0: [{ submit: { side: 'sell', type: 'stopLimit', stopPrice: 97, limitPrice: 95, qty: 1 }, as: 'a' }],
    });
    expect(fillOf(result, id('a'))).toMatchObject({ step: 1, price: 97 });
  });

  it('stays triggered across bars and then fills as a plain limit', () => {
    // Buy stop 103 limit 101. Bar 1 (open 100, high 104, low 102): triggered at 103; the limit 101 is below the low → no fill.
    // Bar 2 (open 101.5, high 102, low 100): the stop is not reached again, but the order is triggered, so the
    // limit 101 fills: open 101.5 > 101, low 100 <= 101 → 101.
    const { result, id } = run([flat, [100, 104, 102, 103], [101.5, 102, 100, 100.5]], {
      0: [{ submit: { side: 'buy', type: 'stopLimit', stopPrice: 103, limitPrice: 101, qty: 1 }, as: 'a' }],
    });
    expect(fillOf(result, id('a'))).toMatchObject({ step: 2, price: 101 });
  });

  it('not triggered → a later bar at the limit but below the stop does not fill it', () => {
    // Buy stop 103 limit 101: bar 1 never reaches 103, its low 99 reaches the limit → nothing.
    const { result, id } = run([flat, [100, 102, 99, 100]], {
      0: [{ submit: { side: 'buy', type: 'stopLimit', stopPrice: 103, limitPrice: 101, qty: 1 }, as: 'a' }],
    });
    expect(finalStatus(result, id('a'))).toBe('working');
  });
});

describe('brackets', () => {
  const tpsl = (takeProfit: number, stopLoss: number, extra: object = {}): Script => ({
    0: [{ bracket: { side: 'buy', qty: 10, takeProfit, stopLoss, ...extra }, as: 'b' }],
  });

  it('exits are dormant until the entry fills', () => {
    // Entry limit 90 is never reached; bar 1 touches both the TP (111 >= 110) and the SL (94 <= 95): nothing fills.
    const { result, id } = run([flat, [100, 111, 94, 100], [100, 112, 93, 100]], {
      0: [{ bracket: { side: 'buy', type: 'limit', limitPrice: 90, qty: 10, takeProfit: 110, stopLoss: 95 }, as: 'b' }],
    });
    expect(fillsOf(result)).toEqual([]);
    expect(finalStatus(result, id('b.tp'))).toBe('working');
    expect(finalStatus(result, id('b.sl'))).toBe('working');
    const accepted = eventsOfKind(result, 'OrderAccepted');
    expect(accepted.map((e) => [e.orderId, e.tag, e.parentId, e.type, e.side])).toEqual([
      [id('b'), '', undefined, 'limit', 'buy'],
      [id('b.tp'), 'take-profit', id('b'), 'limit', 'sell'],
      [id('b.sl'), 'stop-loss', id('b'), 'stop', 'sell'],
    ]);
  });

  it('entry at the open, TP on a later bar; the SL is cancelled as its OCO sibling', () => {
    // Bar 1: entry fills at the open 100; the bar (103/99) touches neither exit.
    // Bar 2: high 111 >= TP 110 → TP fills at 110. Trade pnl = (110 − 100) × 10 = 100.
    const { result, id } = run([flat, [100, 103, 99, 102], [102, 111, 101, 110]], tpsl(110, 95));
    expect(fillOf(result, id('b'))).toMatchObject({ step: 1, price: 100, qty: 10 });
    expect(fillOf(result, id('b.tp'))).toMatchObject({ step: 2, price: 110, qty: 10, side: 'sell', tag: 'take-profit' });
    expect(orderEvents(result, id('b.sl')).at(-1)).toMatchObject({ kind: 'OrderCanceled', step: 2, reason: `oco: order ${id('b.tp')} filled` });
    expect(result.trades).toHaveLength(1);
    expect(result.trades[0]).toMatchObject({ side: 'long', qty: 10, entryPrice: 100, exitPrice: 110, pnl: 100, exitTag: 'take-profit' });
  });

  it('exits are sized to the filled quantity (equityFraction entry)', () => {
    // Entry: equityFraction 0.5 at open 100 → floor(50 000 / 100) = 500; SL fills 500 on bar 2 (low 94 <= 95).
    const { result, id } = run([flat, [100, 103, 99, 102], [99, 100, 94, 96]], {
      0: [{ bracket: { side: 'buy', equityFraction: 0.5, takeProfit: 110, stopLoss: 95 }, as: 'b' }],
    });
    expect(fillOf(result, id('b'))!.qty).toBe(500);
    expect(fillOf(result, id('b.sl'))).toMatchObject({ step: 2, qty: 500, price: 95 });
    expect(result.trades[0]!.pnl).toBe(-2500); // (95 − 100) × 500
  });

  it('exits are reduce-only: capped to the remaining position', () => {
    // Long 10 from bar 1; the strategy sells 4 at bar 2's open; TP at bar 3 closes the remaining 6 only.
    const { result, id } = run([flat, [100, 103, 99, 102], [102, 104, 101, 103], [104, 111, 103, 110], [110, 110, 110, 110]], {
      ...tpsl(110, 95),
      1: [{ submit: { side: 'sell', qty: 4 }, as: 's' }],
    });
    expect(fillOf(result, id('s'))).toMatchObject({ step: 2, qty: 4, price: 102 });
    expect(fillOf(result, id('b.tp'))).toMatchObject({ step: 3, qty: 6, price: 110 });
    expect(seriesOf(result).equity.at(-1)).toBe(100_000 + 4 * 2 + 6 * 10);
    expect(result.trades.every((t) => !t.open)).toBe(true);
  });

  it('an exit with no position left to reduce is cancelled, never opens a reverse position', () => {
    // Long 10 at bar 1; closed by the strategy at bar 2's open (102); bar 2's low 94 touches the SL 95.
    const { result, id } = run([flat, [100, 103, 99, 102], [102, 104, 94, 100], flat], {
      ...tpsl(110, 95),
      1: [{ closePosition: true }],
    });
    expect(orderEvents(result, id('b.sl')).at(-1)).toMatchObject({
      kind: 'OrderCanceled',
      step: 2,
      reason: 'reduce-only: no position to reduce',
    });
    expect(seriesOf(result).equity.at(-1)).toBe(100_020);
    expect(fillsOf(result).map((f) => f.tag)).toEqual(['', 'close']);
    // Its OCO partner protected the same (gone) position: cancelled with it.
    expect(orderEvents(result, id('b.tp')).at(-1)).toMatchObject({ kind: 'OrderCanceled', step: 2, reason: `oco: order ${id('b.sl')} canceled` });
  });

  it('entry at the open: the exits see the whole entry bar (SL)', () => {
    // Bar 1: market entry at open 100; low 97 <= SL 98 → SL fills at 98 on the same bar.
    const { result, id } = run([flat, [100, 101, 97, 99]], tpsl(110, 98));
    expect(fillOf(result, id('b.sl'))).toMatchObject({ step: 1, price: 98 });
  });

  it('entry at the open: the exits see the whole entry bar (TP)', () => {
    // Bar 1: market entry at open 100; high 103 >= TP 102.5 → TP fills at 102.5 on the same bar.
    const { result, id } = run([flat, [100, 103, 99, 102]], tpsl(102.5, 95));
    expect(fillOf(result, id('b.tp'))).toMatchObject({ step: 1, price: 102.5 });
    expect(result.trades[0]!.pnl).toBe(25);
  });

  it('intrabar entry: the TP cannot fill on the entry bar, the SL can', () => {
    // Entry buy limit 99 fills inside bar 1 (open 100, low 98) at 99.
    const script = (takeProfit: number, stopLoss: number): Script => ({
      0: [{ bracket: { side: 'buy', type: 'limit', limitPrice: 99, qty: 10, takeProfit, stopLoss }, as: 'b' }],
    });
    // TP 102.5 is inside bar 1's range (high 103) but may have traded before the entry → not on bar 1; fills on bar 2.
    const tp = run([flat, [100, 103, 98, 102], [102, 103, 101, 102]], script(102.5, 90));
    expect(fillOf(tp.result, tp.id('b'))).toMatchObject({ step: 1, price: 99 });
    expect(fillOf(tp.result, tp.id('b.tp'))).toMatchObject({ step: 2, price: 102.5 });
    // SL 98.5 above bar 1's low 98 → pessimistically fills on bar 1 at 98.5.
    const sl = run([flat, [100, 103, 98, 102], [102, 103, 101, 102]], script(102.5, 98.5));
    expect(fillOf(sl.result, sl.id('b.sl'))).toMatchObject({ step: 1, price: 98.5 });
    expect(finalStatus(sl.result, sl.id('b.tp'))).toBe('canceled');
  });

  it('intrabar entry beyond the stop: the SL fills at the entry price', () => {
    // Buy stop entry 102 triggers inside bar 1 (open 100, high 103); SL 102.5 is above the entry → fills at 102.
    const { result, id } = run([flat, [100, 103, 98, 102]], {
      0: [{ bracket: { side: 'buy', type: 'stop', stopPrice: 102, qty: 10, takeProfit: 110, stopLoss: 102.5 }, as: 'b' }],
    });
    expect(fillOf(result, id('b'))).toMatchObject({ step: 1, price: 102 });
    expect(fillOf(result, id('b.sl'))).toMatchObject({ step: 1, price: 102 });
  });

  it('a bar touching both TP and SL: stop-first by default, target-first when configured', () => {
    const rows: BarRow[] = [flat, [100, 101, 99, 100], [100, 106, 94, 100]];
    // On a later bar (bar 2: high 106 >= 105, low 94 <= 95).
    const stopFirst = run(rows, tpsl(105, 95));
    expect(fillOf(stopFirst.result, stopFirst.id('b.sl'))).toMatchObject({ step: 2, price: 95 });
    expect(finalStatus(stopFirst.result, stopFirst.id('b.tp'))).toBe('canceled');
    const targetFirst = run(rows, tpsl(105, 95), { ambiguity: 'target-first' });
    expect(fillOf(targetFirst.result, targetFirst.id('b.tp'))).toMatchObject({ step: 2, price: 105 });
    expect(finalStatus(targetFirst.result, targetFirst.id('b.sl'))).toBe('canceled');
    // On the entry bar itself (entry at the open of bar 1 = [100, 106, 94, 100]).
    const entryBar: BarRow[] = [flat, [100, 106, 94, 100]];
    expect(fillOf(run(entryBar, tpsl(105, 95)).result, 3)).toMatchObject({ step: 1, price: 95 });
    expect(fillOf(run(entryBar, tpsl(105, 95), { ambiguity: 'target-first' }).result, 2)).toMatchObject({ step: 1, price: 105 });
  });

  it('a gap through the TP at the open fills the TP at the open even under stop-first', () => {
    // Bar 2 opens 107 above TP 105 and later trades down to 94 (below SL 95): the open decides → TP at 107.
    const { result, id } = run([flat, [100, 101, 99, 100], [107, 108, 94, 96]], tpsl(105, 95));
    expect(fillOf(result, id('b.tp'))).toMatchObject({ step: 2, price: 107 });
    expect(finalStatus(result, id('b.sl'))).toBe('canceled');
  });

  it('a gap through the SL at the open fills the SL at the open even under target-first', () => {
    const { result, id } = run([flat, [100, 101, 99, 100], [93, 106, 92, 100]], tpsl(105, 95), { ambiguity: 'target-first' });
    expect(fillOf(result, id('b.sl'))).toMatchObject({ step: 2, price: 93 });
    expect(finalStatus(result, id('b.tp'))).toBe('canceled');
  });

  it('short bracket: buy-side exits, stop above and target below', () => {
    // Short 10 at bar 1 open 100; bar 2 high 106 >= SL 105 → buy back at 105; pnl = (100 − 105) × 10 = −50.
    const { result, id } = run([flat, [100, 101, 99, 100], [101, 106, 100, 104]], {
      0: [{ bracket: { side: 'sell', qty: 10, takeProfit: 90, stopLoss: 105 }, as: 'b' }],
    });
    expect(fillOf(result, id('b.sl'))).toMatchObject({ step: 2, side: 'buy', price: 105, qty: 10 });
    expect(result.trades[0]).toMatchObject({ side: 'short', pnl: -50 });
  });

  it('cancelling the entry cancels its dormant exits', () => {
    const { result, id } = run([flat, flat, flat], {
      0: [{ bracket: { side: 'buy', type: 'limit', limitPrice: 90, qty: 10, takeProfit: 110, stopLoss: 95 }, as: 'b' }],
      1: [{ cancel: 'b' }],
    });
    const cancels = eventsOfKind(result, 'OrderCanceled').map((e) => [e.orderId, e.step, e.reason]);
    expect(cancels).toEqual([
      [id('b'), 1, 'strategy'],
      [id('b.tp'), 1, `parent order ${id('b')} canceled`],
      [id('b.sl'), 1, `parent order ${id('b')} canceled`],
    ]);
  });

  it('an entry rejected at fill time (buying power) cancels its exits', () => {
    // 2000 × 100 = 200 000 > 1 × 100 000.
    const { result, id } = run([flat, flat], tpsl(110, 95, { qty: 2000 }));
    expect(finalStatus(result, id('b'))).toBe('rejected');
    expect(finalStatus(result, id('b.tp'))).toBe('canceled');
    expect(finalStatus(result, id('b.sl'))).toBe('canceled');
  });

  it('an entry rejected by validation rejects its exits', () => {
    const { result, id } = run([flat, flat], {
      0: [{ bracket: { side: 'buy', type: 'limit', qty: 10, takeProfit: 110, stopLoss: 95 }, as: 'b' }],
    });
    expect(eventsOfKind(result, 'OrderRejected').map((e) => [e.orderId, e.reason])).toEqual([
      [id('b'), 'limit order needs limitPrice > 0, was undefined'],
      [id('b.tp'), `parent order ${id('b')} is not working`],
      [id('b.sl'), `parent order ${id('b')} is not working`],
    ]);
  });

  it('works with lot sizes other than 1 (exits are sized at fill time)', () => {
    // Lot 100: entry 200 at open 100; SL 95 on bar 2 sells the 200.
    const { result, id } = run([flat, [100, 101, 99, 100], [96, 97, 94, 95]], tpsl(110, 95, { qty: 200 }), {
      instruments: { A: { lotSize: 100 } },
    });
    expect(finalStatus(result, id('b.tp'))).toBe('canceled');
    expect(fillOf(result, id('b.sl'))).toMatchObject({ step: 2, qty: 200, price: 95 });
  });
});

describe('OCO', () => {
  it('one order of the group filling cancels the others', () => {
    // Breakout pair: buy stop 105 and sell stop 95; bar 1 high 106 → the buy fills at 105.
    const { result, id } = run([flat, [100, 106, 99, 104], [90, 91, 89, 90]], {
      0: [
        {
          oco: [
            { side: 'buy', type: 'stop', stopPrice: 105, qty: 1 },
            { side: 'sell', type: 'stop', stopPrice: 95, qty: 1 },
          ],
          as: 'o',
        },
      ],
    });
    expect(fillOf(result, id('o.0'))).toMatchObject({ step: 1, price: 105 });
    expect(orderEvents(result, id('o.1')).at(-1)).toMatchObject({ kind: 'OrderCanceled', step: 1, reason: `oco: order ${id('o.0')} filled` });
    expect(fillsOf(result)).toHaveLength(1);
  });

  it('works across symbols: a fill on one symbol cancels the partner on another', () => {
    // A and B bars alternate (A0 B0 A1 B1 …). Placed at step 1 (B0): "buy A or B, whichever fills
    // first". A1 (step 2) fills A; B's order must be cancelled then, before B1 (step 3).
    const a = barsOf('A', [flat, flat, flat]);
    const b = barsOf('B', [flat, flat, flat], { startMs: a.timeMs[0]! + 43_200_000 });
    const { result, id } = runScript([a, b], {
      1: [{ oco: [{ symbol: 'A', side: 'buy', qty: 1 }, { symbol: 'B', side: 'buy', qty: 1 }], as: 'o' }],
    });
    expect(fillsOf(result).map((f) => [f.orderId, f.instrumentId, f.step])).toEqual([[id('o.0'), 'A', 2]]);
    expect(orderEvents(result, id('o.1')).at(-1)).toMatchObject({ kind: 'OrderCanceled', step: 2, reason: `oco: order ${id('o.0')} filled` });
  });

  it('both touched in one bar: stop-type first by default, then the lower id', () => {
    // Limit buy 97 and stop buy 103 in one group; bar 1 (open 100, high 104, low 96) touches both.
    const script: Script = {
      0: [
        {
          oco: [
            { side: 'buy', type: 'limit', limitPrice: 97, qty: 1 },
            { side: 'buy', type: 'stop', stopPrice: 103, qty: 1 },
          ],
          as: 'o',
        },
      ],
    };
    const rows: BarRow[] = [flat, [100, 104, 96, 100]];
    const a = run(rows, script);
    expect(fillsOf(a.result).map((f) => [f.orderId, f.price])).toEqual([[a.id('o.1'), 103]]);
    const b = run(rows, script, { ambiguity: 'target-first' });
    expect(fillsOf(b.result).map((f) => [f.orderId, f.price])).toEqual([[b.id('o.0'), 97]]);
  });
});

describe('sizing and buying power', () => {
  it('equityFraction is sized at the fill price net of the commission rate', () => {
    // floor(100 000 / (100 × 1.001)) = floor(999.000999) = 999; fee 0.001 × 100 × 999 = 99.9;
    // cash 100 000 − 99 900 − 99.9 = 0.1.
    const { result, id } = run([flat, [100, 101, 99, 100]], { 0: [{ submit: { side: 'buy', equityFraction: 1 }, as: 'a' }] }, {
      costs: { commissionRate: 0.001 },
    });
    const fill = fillOf(result, id('a'))!;
    expect(fill.qty).toBe(999);
    expect(fill.fee).toBeCloseTo(99.9, 10);
    expect(seriesOf(result).equity.at(-1)).toBeCloseTo(0.1 + 999 * 100, 8);
    expect(eventsOfKind(result, 'OrderAccepted')[0]!.qty).toBe('atFill');
  });

  it('equityFraction uses the fill price, not the price when the order was placed', () => {
    // Placed at close 100; fills at bar 1's open 125 → floor(50 000 / 125) = 400.
    const { result, id } = run([flat, [125, 126, 124, 125]], { 0: [{ submit: { side: 'buy', equityFraction: 0.5 }, as: 'a' }] });
    expect(fillOf(result, id('a'))!.qty).toBe(400);
  });

  it('equityFraction short with slippage fits the buying power', () => {
    // Sell all equity at open 100 with 10 bps slippage (0.1 per share).
    // Exposure qty × 100 must stay <= equity after costs 100 000 − 0.1 × qty → qty <= 999.000999 → 999.
    const { result, id } = run([flat, [100, 101, 99, 100]], { 0: [{ submit: { side: 'sell', equityFraction: 1 }, as: 'a' }] }, {
      costs: { slippageBps: 10 },
    });
    expect(finalStatus(result, id('a'))).toBe('filled');
    expect(fillOf(result, id('a'))!.qty).toBe(999);
  });

  it('equityFraction long with leverage and commission fits the buying power', () => {
    // Leverage 2, rate 0.001, open 100: exposure 100 q <= 2 × (100 000 − 0.1 q) → q <= 200 000 / 100.2 = 1996.0…
    const { result, id } = run([flat, [100, 101, 99, 100]], { 0: [{ submit: { side: 'buy', equityFraction: 1 }, as: 'a' }] }, {
      costs: { commissionRate: 0.001 },
      leverage: 2,
    });
    expect(finalStatus(result, id('a'))).toBe('filled');
    expect(fillOf(result, id('a'))!.qty).toBe(1996);
  });

  it('rejects a fill beyond leverage × equity, naming the numbers', () => {
    // 1001 × 100 = 100 100 > 1 × 100 000.
    const cash = run([flat, flat], { 0: [{ submit: { side: 'buy', qty: 1001 }, as: 'a' }] });
    expect(eventsOfKind(cash.result, 'OrderRejected')).toEqual([
      { kind: 'OrderRejected', step: 1, timeMs: seriesOf(cash.result).timeMs[1], orderId: cash.id('a'), reason: 'insufficient buying power: exposure after fill 100100 > 1 × equity 100000' },
    ]);
    expect(seriesOf(cash.result).equity.at(-1)).toBe(100_000);
    // With leverage 2 the same order fits; 2001 does not.
    expect(finalStatus(run([flat, flat], { 0: [{ submit: { side: 'buy', qty: 1001 }, as: 'a' }] }, { leverage: 2 }).result, 1)).toBe('filled');
    const lev = run([flat, flat], { 0: [{ submit: { side: 'sell', qty: 2001 }, as: 'a' }] }, { leverage: 2 });
    expect(eventsOfKind(lev.result, 'OrderRejected')[0]!.reason).toBe('insufficient buying power: exposure after fill 200100 > 2 × equity 100000');
  });

  it('reducing a position is never refused for buying power', () => {
    // Long 1000 at 100 (all equity); price halves; selling 500 reduces exposure → allowed.
    const { result, id } = run([flat, flat, [50, 50, 50, 50], flat], {
      0: [{ submit: { side: 'buy', qty: 1000 } }],
      1: [{ submit: { side: 'sell', qty: 500 }, as: 's' }],
    });
    expect(finalStatus(result, id('s'))).toBe('filled');
  });

  it('closePosition closes the whole position at fill time; flat → refused', () => {
    const { result, id } = run([flat, flat, [101, 101, 101, 101], [102, 102, 102, 102], flat], {
      0: [{ submit: { side: 'buy', qty: 10 } }],
      1: [{ submit: { side: 'buy', qty: 5 } }],
      2: [{ submit: { side: 'sell', closePosition: true }, as: 'c' }],
      3: [{ submit: { side: 'sell', closePosition: true }, as: 'c2' }],
    });
    // Bar 1: +10 at 100; bar 2: +5 at 101; bar 3: close sells 15 at 102.
    expect(fillOf(result, id('c'))).toMatchObject({ step: 3, qty: 15, price: 102 });
    expect(orderEvents(result, id('c2')).at(-1)).toMatchObject({ kind: 'OrderRejected', reason: 'quantity resolves to 0 at fill price 100' });
    // Two closed lots (FIFO): 10 × (102 − 100) + 5 × (102 − 101) = 25.
    expect(result.trades.map((t) => [t.qty, t.pnl])).toEqual([
      [10, 20],
      [5, 5],
    ]);
  });

  it('ctx.closePosition queues a market order tagged close; no-op when flat', () => {
    const { result } = run([flat, flat, [103, 103, 103, 103], flat], {
      0: [{ submit: { side: 'sell', qty: 7 } }, { closePosition: true }],
      1: [{ closePosition: true, tag: 'exit' }],
    });
    // At step 0 the position is still 0 → nothing queued; at step 1 short 7 → buy 7 at 103.
    expect(fillsOf(result).map((f) => [f.side, f.qty, f.price, f.tag])).toEqual([
      ['sell', 7, 100, ''],
      ['buy', 7, 103, 'exit'],
    ]);
  });
});

describe('costs', () => {
  // Buy 10 at bar 1 open 100, sell 10 at bar 2 open 110.
  const rows: BarRow[] = [flat, [100, 100, 100, 100], [110, 110, 110, 110]];
  const roundTrip: Script = { 0: [{ submit: { side: 'buy', qty: 10 } }], 1: [{ submit: { side: 'sell', qty: 10 } }] };

  it('percent commission', () => {
    // Fees 0.001 × 100 × 10 = 1 and 0.001 × 110 × 10 = 1.1; cash 100 000 − 1000 − 1 + 1100 − 1.1 = 100 097.9.
    const { result } = run(rows, roundTrip, { costs: { commissionRate: 0.001 } });
    const [buy, sell] = fillsOf(result);
    expect(buy!.fee).toBeCloseTo(1, 12);
    expect(sell!.fee).toBeCloseTo(1.1, 12);
    const trade = result.trades[0]!;
    expect(trade.grossPnl).toBe(100);
    expect(trade.fees).toBeCloseTo(2.1, 12);
    expect(trade.slippageCost).toBe(0);
    expect(trade.pnl).toBeCloseTo(97.9, 10);
    expect(result.metrics.finalEquity).toBeCloseTo(100_097.9, 8);
    expect(result.metrics.feesPaid).toBeCloseTo(2.1, 12);
    // Gross of costs: fees added back.
    expect(result.grossMetrics.finalEquity).toBeCloseTo(100_100, 8);
    expect(result.grossMetrics.feesPaid).toBe(0);
    expect(result.grossMetrics.expectancy).toBe(100);
    expect(result.metrics.expectancy).toBeCloseTo(97.9, 10);
  });

  it('per-share commission with a minimum per fill', () => {
    // 0.01 × 10 = 0.1 → raised to the minimum 1; 0.01 × 300 = 3 stays 3.
    const { result } = run([flat, flat, flat, flat], { 0: [{ submit: { side: 'buy', qty: 10 } }], 1: [{ submit: { side: 'buy', qty: 300 } }] }, {
      costs: { commissionPerShare: 0.01, commissionMin: 1 },
    });
    expect(fillsOf(result).map((f) => f.fee)).toEqual([1, 3]);
    expect(seriesOf(result).equity.at(-1)).toBe(100_000 - 4);
  });

  it('bps slippage: paid price = market ± slippage; fill price stays the market price', () => {
    // Buy: slip 100 × 10 / 1e4 = 0.1 → pays 100.1; sell: 110 × 10 / 1e4 = 0.11 → receives 109.89.
    const { result } = run(rows, roundTrip, { costs: { slippageBps: 10 } });
    const [buy, sell] = fillsOf(result);
    expect(buy).toMatchObject({ price: 100, fee: 0 });
    expect(buy!.slippage).toBeCloseTo(0.1, 12);
    expect(sell!.slippage).toBeCloseTo(0.11, 12);
    const trade = result.trades[0]!;
    expect(trade.grossPnl).toBe(100);
    expect(trade.slippageCost).toBeCloseTo(2.1, 10); // (0.1 + 0.11) × 10
    expect(trade.pnl).toBeCloseTo(97.9, 10);
    expect(result.metrics.slippagePaid).toBeCloseTo(2.1, 10);
    expect(result.metrics.finalEquity).toBeCloseTo(100_097.9, 8);
    expect(result.grossMetrics.finalEquity).toBeCloseTo(100_100, 8);
    // Equity after the buy at bar 1 (close 100): 100 000 − 1001 + 1000 = 99 999.
    expect(seriesOf(result).equity[1]).toBeCloseTo(99_999, 9);
    expect(seriesOf(result).grossEquity[1]).toBeCloseTo(100_000, 9);
  });

  it('percent commission is charged on the slipped price', () => {
    // Buy fee 0.001 × 100.1 × 10 = 1.001; sell fee 0.001 × 109.89 × 10 = 1.0989.
    // pnl = 100 − (1.001 + 1.0989) − 2.1 = 95.8001.
    const { result } = run(rows, roundTrip, { costs: { slippageBps: 10, commissionRate: 0.001 } });
    const [buy, sell] = fillsOf(result);
    expect(buy!.fee).toBeCloseTo(1.001, 12);
    expect(sell!.fee).toBeCloseTo(1.0989, 12);
    expect(result.trades[0]!.pnl).toBeCloseTo(95.8001, 10);
    expect(result.metrics.finalEquity).toBeCloseTo(100_095.8001, 8);
    expect(result.grossMetrics.finalEquity).toBeCloseTo(100_100, 8);
  });

  it('an open trade at the end carries its entry costs', () => {
    // Buy 10 at 100 with fee 1 and slippage 0.1/share; marked at the last close 105.
    const { result } = run([flat, flat, [105, 105, 105, 105]], { 0: [{ submit: { side: 'buy', qty: 10 } }] }, {
      costs: { commissionRate: 0.001, slippageBps: 10 },
    });
    const open = result.trades[0]!;
    expect(open.open).toBe(true);
    expect(open.grossPnl).toBe(50);
    expect(open.fees).toBeCloseTo(1.001, 12);
    expect(open.slippageCost).toBeCloseTo(1, 12);
    expect(open.pnl).toBeCloseTo(50 - 1.001 - 1, 10);
    expect(result.metrics.tradesOpen).toBe(1);
    expect(result.metrics.tradesClosed).toBe(0);
  });

  it('contract multiplier scales cash, fees and pnl', () => {
    // Multiplier 50: buy 2 at 100 → notional 10 000; fee 0.001 × 100 × 2 × 50 = 10; sell 2 at 110: fee 11.
    // grossPnl = 10 × 2 × 50 = 1000; pnl = 1000 − 21 = 979.
    const { result } = run(rows, { 0: [{ submit: { side: 'buy', qty: 2 } }], 1: [{ submit: { side: 'sell', qty: 2 } }] }, {
      costs: { commissionRate: 0.001 },
      instruments: { A: { multiplier: 50 } },
    });
    const [buy, sell] = fillsOf(result);
    expect(buy!.fee).toBeCloseTo(10, 10);
    expect(sell!.fee).toBeCloseTo(11, 10);
    expect(result.trades[0]).toMatchObject({ grossPnl: 1000 });
    expect(result.trades[0]!.pnl).toBeCloseTo(979, 9);
    expect(result.metrics.finalEquity).toBeCloseTo(100_979, 8);
  });
});

describe('multi-symbol matching', () => {
  it('orders only match on their own symbol’s bars', () => {
    // A: days 0, 1, 2 at 00:00; B: days 0, 1, 2 at 12:00 with different prices. Timeline: A0 B0 A1 B1 A2 B2.
    const a = barsOf('A', [flat, [101, 101, 101, 101], [102, 102, 102, 102]]);
    const b = barsOf('B', [[50, 50, 50, 50], [51, 52, 49, 51], [53, 53, 53, 53]], { startMs: a.timeMs[0]! + 43_200_000 });
    const { result, id } = runScript([a, b], {
      0: [
        { submit: { symbol: 'B', side: 'buy', qty: 10 }, as: 'b' },
        { submit: { symbol: 'A', side: 'buy', qty: 10 }, as: 'a' },
        { submit: { symbol: 'B', side: 'sell', type: 'limit', limitPrice: 100, qty: 1 }, as: 'never' },
      ],
    });
    // B's order placed at step 0 (A0) fills at step 1 (B0's open 50), A's at step 2 (A1's open 101).
    expect(fillOf(result, id('b'))).toMatchObject({ step: 1, price: 50, instrumentId: 'B' });
    expect(fillOf(result, id('a'))).toMatchObject({ step: 2, price: 101, instrumentId: 'A' });
    // A sell limit 100 on B would fill on any A bar (A trades at 100–102) but B never reaches 100.
    expect(finalStatus(result, id('never'))).toBe('working');
    // Final equity: cash 100 000 − 500 − 1010 + positions 10 × 53 + 10 × 102.
    expect(seriesOf(result).equity.at(-1)).toBe(100_000 - 500 - 1010 + 530 + 1020);
  });

  it('at a shared timestamp the first symbol’s fills come first', () => {
    const a = flatBars('A', 3, 100);
    const b = flatBars('B', 3, 20);
    const { result } = runScript([a, b], {
      0: [{ submit: { symbol: 'B', side: 'buy', qty: 1 } }, { submit: { symbol: 'A', side: 'buy', qty: 1 } }],
    });
    expect(fillsOf(result).map((f) => [f.instrumentId, f.step])).toEqual([
      ['A', 1],
      ['B', 1],
    ]);
  });
});
