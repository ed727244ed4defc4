import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { day, loadSp500, relative } from './test-support.js';
import { makeBarSeries, type BarSeries } from '../engine/bars.js';
import { runBacktest, type BacktestResult } from '../engine/backtest.js';
import type { EngineOptions } from '../engine/engine-config.js';
import type { EngineEvent } from '../engine/events.js';
import { channelBreakout } from './channel-breakout.js';
import { findStrategy, STRATEGIES } from './index.js';

type Row = readonly [open: number, high: number, low: number, close: number];

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2024, 0, 1);

/** Daily bars from [open, high, low, close] rows, one UTC day apart (each bar its own session). */
function makeBars(rows: readonly Row[]): BarSeries {
  const n = rows.length;
  const cols = { timeMs: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n) };
  rows.forEach(([o, h, l, c], i) => {
    if (!(l <= Math.min(o, c) && h >= Math.max(o, c))) throw new Error(`bad hand-made bar ${i}: ${o} ${h} ${l} ${c}`);
    cols.timeMs[i] = START_MS + i * DAY_MS;
    cols.open[i] = o;
    cols.high[i] = h;
    cols.low[i] = l;
    cols.close[i] = c;
  });
  return makeBarSeries({ symbol: 'TEST', ...cols });
}

/** Runs on hand-made bars with `lookback: 3` unless overridden and 100 000 capital. */
function run(rows: readonly Row[], params: Record<string, unknown> = {}, options: EngineOptions = {}): BacktestResult {
  return runBacktest({
    data: makeBars(rows),
    strategy: channelBreakout,
    params: { lookback: 3, ...params },
    options: { initialCapital: 100_000, ...options },
  });
}

/** [entry bar, exit bar, side, qty, entry price, exit price, exit tag] per trade. */
const tradeRows = (r: BacktestResult) =>
  r.trades.map((t) => [t.entryStep, t.exitStep, t.side, t.qty, t.entryPrice, t.exitPrice, t.exitTag]);

/** [step, order id, side, type, qty, stop or limit price, tag] per accepted order. */
const accepted = (r: BacktestResult) =>
  r.events.flatMap((e) => (e.kind === 'OrderAccepted' ? [[e.step, e.orderId, e.side, e.type, e.qty, e.stopPrice ?? e.limitPrice, e.tag] as const] : []));

const ofKind = <K extends EngineEvent['kind']>(r: BacktestResult, kind: K) =>
  r.events.filter((e): e is Extract<EngineEvent, { kind: K }> => e.kind === kind);

/**
 * Bars 0–2: channel high 99.99 → buy-stop 100.00; stop-loss 100 × 0.98 = 98.00, take-profit
 * 100 × 1.04 = 104.00; qty = 1 % of 100 000 / (100 − 98) = 500 (cap 100 000 / 100 = 1000).
 */
const PREFIX: readonly Row[] = [
  [98, 99.99, 97, 99],
  [99, 99.5, 98, 99.2],
  [99.2, 99.8, 98.5, 99.5],
];

describe('channel-breakout on hand-made bars (lookback 3, 100 000 capital)', () => {
  it('places the bracket once the channel is full: entry, take-profit and stop-loss', () => {
    const r = run(PREFIX);
    expect(accepted(r)).toEqual([
      [2, 1, 'buy', 'stop', 500, 100, 'entry'],
      [2, 2, 'sell', 'limit', 'atFill', 104, 'take-profit'], // dormant; sized to the fill when the entry fills
      [2, 3, 'sell', 'stop', 'atFill', 98, 'stop-loss'],
    ]);
    expect(r.trades).toEqual([]);
  });

  it('breakout: fills at the stop when the bar trades through it, exits at the take-profit', () => {
    const r = run([
      ...PREFIX,
      [99.6, 100.5, 99.4, 100.3], // 3: high 100.5 >= 100 → buy 500 at 100.00; low 99.4 > 98
      [100.5, 102, 100.2, 101.5], // 4: nothing
      [101.5, 104.5, 101, 104], // 5: high 104.5 >= 104 → take-profit at 104.00
    ]);
    expect(tradeRows(r)).toEqual([[3, 5, 'long', 500, 100, 104, 'take-profit']]);
    expect(r.trades[0]!.pnl).toBe(2000);
    expect(r.metrics.finalEquity).toBe(102_000);
    // Flat again on bar 5: a new bracket from channel 3–5 (high 104.5 → 104.51), sized on the new
    // equity: stop-loss 104.51 × 0.98 = 102.4198 → 102.42, 1 % of 102 000 / 2.09 = 488.04 → 488.
    expect(accepted(r).slice(3)).toEqual([
      [5, 4, 'buy', 'stop', 488, 104.51, 'entry'],
      [5, 5, 'sell', 'limit', 'atFill', 108.69, 'take-profit'], // 104.51 × 1.04 = 108.6904
      [5, 6, 'sell', 'stop', 'atFill', 102.42, 'stop-loss'],
    ]);
  });

  it('gap: fills at the open above the stop; exits stay at % of the order price; stop-loss exit', () => {
    const r = run([
      ...PREFIX,
      [100.5, 101, 99.5, 100], // 3: opens above 100 → buy 500 at the open 100.50
      [99, 99.5, 97.5, 98.2], // 4: low 97.5 <= 98 → stop-loss at 98.00 (from the order price, not 100.5)
    ]);
    expect(tradeRows(r)).toEqual([[3, 4, 'long', 500, 100.5, 98, 'stop-loss']]);
    expect(r.trades[0]!.pnl).toBe(-1250);
  });

  it('stop-loss gapped through: fills at the worse open', () => {
    const r = run([...PREFIX, [99.6, 100.5, 99.4, 100.3], [97, 97.5, 96, 96.5]]);
    expect(tradeRows(r)).toEqual([[3, 4, 'long', 500, 100, 97, 'stop-loss']]);
  });

  it('stop-loss on the entry bar itself: the adverse move is assumed to follow an intrabar entry', () => {
    const r = run([...PREFIX, [99.6, 100.5, 97.9, 98.5]]);
    expect(tradeRows(r)).toEqual([[3, 3, 'long', 500, 100, 98, 'stop-loss']]);
    expect(r.trades[0]!.pnl).toBe(-1000); // exactly 1 % of equity: the risk sizing at work
  });

  it('same-bar ambiguity: a bar touching both exits takes the stop-loss (stop-first), or the target when configured', () => {
    const rows: Row[] = [...PREFIX, [99.6, 100.5, 99.4, 100.3], [100, 104.5, 97.5, 101]];
    expect(tradeRows(run(rows))).toEqual([[3, 4, 'long', 500, 100, 98, 'stop-loss']]);
    expect(tradeRows(run(rows, {}, { ambiguity: 'target-first' }))).toEqual([[3, 4, 'long', 500, 100, 104, 'take-profit']]);
  });

  it('a position open at the end stays open, marked at the last close', () => {
    const r = run([...PREFIX, [99.6, 100.5, 99.4, 100.3], [100.5, 102, 100.2, 101.5]]);
    expect(r.metrics.tradesClosed).toBe(0);
    expect(r.metrics.tradesOpen).toBe(1);
    expect([r.trades[0]!.open, r.trades[0]!.exitPrice, r.trades[0]!.pnl]).toEqual([true, 101.5, 750]);
  });

  it('falling channel: modifies the entry (price and qty) and its dormant exits instead of replacing them', () => {
    const r = run([
      [98, 99.99, 97, 99],
      [92, 92.5, 91, 92],
      [92, 92.2, 90, 91], // 2: channel high 99.99 → stop 100.00, 500
      [91, 91.5, 89.5, 90], // 3: 99.99 left the channel → high 92.5
      [90, 90.5, 89, 89.5], // 4: 92.5 left → high 92.2
      [90.6, 92.5, 90.5, 92.4], // 5: fills at the modified stop 92.21
      [92.4, 96, 92, 95.5], // 6: take-profit at the modified 95.90
    ]);
    const modified = ofKind(r, 'OrderModified').map((e) => [e.step, e.orderId, e.qty, e.stopPrice ?? e.limitPrice]);
    expect(modified).toEqual([
      // 92.51: stop-loss 92.51 × 0.98 = 90.6598 → 90.66, take-profit × 1.04 = 96.2104 → 96.21,
      // qty 1000 / 1.85 = 540.5 → 540.
      [3, 1, 540, 92.51],
      [3, 2, undefined, 96.21],
      [3, 3, undefined, 90.66],
      // 92.21: stop-loss 90.3658 → 90.37, take-profit 95.8984 → 95.90, qty 1000 / 1.84 = 543.5 → 543.
      [4, 1, 543, 92.21],
      [4, 2, undefined, 95.9],
      [4, 3, undefined, 90.37],
    ]);
    // One bracket only until the exit (the next one comes after the take-profit on bar 6), no cancels by the strategy.
    expect(accepted(r).filter((a) => a[0] < 6).map((a) => a[1])).toEqual([1, 2, 3]);
    expect(ofKind(r, 'OrderCanceled').filter((e) => e.reason === 'strategy')).toEqual([]);
    expect(tradeRows(r)).toEqual([[5, 6, 'long', 543, 92.21, 95.9, 'take-profit']]);
    expect(r.trades[0]!.pnl).toBeCloseTo(543 * 3.69, 9);
  });

  describe("entry: 'limit' (pullback)", () => {
    // Channel low 100 → buy-limit 100.00, stop-loss 98.00, take-profit 104.00, qty 500.
    const prefix: Row[] = [
      [101, 102, 100, 101.5],
      [101.5, 103, 100.5, 102.5],
      [102.5, 103.5, 101, 103],
    ];

    it('places a buy-limit at the channel low and fills when a bar trades down to it', () => {
      const r = run([...prefix, [102, 102.5, 99.8, 100.5], [100.5, 104.2, 100.2, 104]], { entry: 'limit' });
      expect(accepted(r).slice(0, 3)).toEqual([
        [2, 1, 'buy', 'limit', 500, 100, 'entry'],
        [2, 2, 'sell', 'limit', 'atFill', 104, 'take-profit'],
        [2, 3, 'sell', 'stop', 'atFill', 98, 'stop-loss'],
      ]);
      expect(tradeRows(r)).toEqual([[3, 4, 'long', 500, 100, 104, 'take-profit']]);
    });

    it('fills at the better open on a gap down', () => {
      const r = run([...prefix, [99, 100.2, 98.5, 99.5]], { entry: 'limit' });
      expect(tradeRows(r)).toEqual([[3, undefined, 'long', 500, 99, 99.5, undefined]]);
    });

    it('follows a rising channel low with modify', () => {
      const r = run(
        [
          ...prefix,
          [103, 104, 102, 103.5], // 3: low 100 left → channel low 100.5
          [102.5, 103, 100.2, 101], // 4: low 100.2 <= 100.50 → buy 497 at 100.50
          [101, 104.6, 100.8, 104.5], // 5: take-profit 104.52
        ],
        { entry: 'limit' },
      );
      // 100.50: stop-loss 98.49, take-profit 104.52, qty 1000 / 2.01 = 497.5 → 497.
      expect(ofKind(r, 'OrderModified').map((e) => [e.step, e.orderId, e.qty, e.stopPrice ?? e.limitPrice])).toEqual([
        [3, 1, 497, 100.5],
        [3, 2, undefined, 104.52],
        [3, 3, undefined, 98.49],
      ]);
      expect(tradeRows(r)).toEqual([[4, 5, 'long', 497, 100.5, 104.52, 'take-profit']]);
    });
  });

  describe('sizing by risk', () => {
    const entryQty = (r: BacktestResult) => accepted(r).find((a) => a[6] === 'entry')?.[4];

    it('risks riskPct of equity over the stop distance, in whole units', () => {
      expect(entryQty(run(PREFIX))).toBe(500); // 1 000 / 2.00
      expect(entryQty(run(PREFIX, { riskPct: 0.5 }))).toBe(250); // 500 / 2.00
      expect(entryQty(run(PREFIX, { stopLossPct: 3 }))).toBe(333); // 1 000 / 3.00 = 333.3
      expect(entryQty(run(PREFIX, {}, { initialCapital: 33_333 }))).toBe(166); // 333.33 / 2.00
    });

    it('caps the position at equity (no leverage), net of the commission rate', () => {
      // 5 % risk over a 1 % stop would be 5 000 units = 500 000 at 100.
      expect(entryQty(run(PREFIX, { riskPct: 5, stopLossPct: 1 }))).toBe(1000); // 100 000 / 100
      expect(entryQty(run(PREFIX, { riskPct: 5, stopLossPct: 1 }, { costs: { commissionRate: 0.001 } }))).toBe(999); // 100 000 / 100.1
    });

    it('places no order at all when the size rounds to 0', () => {
      const r = run([...PREFIX, [99.6, 100.5, 99.4, 100.3]], {}, { initialCapital: 150 }); // 1.50 / 2.00 → 0
      expect(r.events).toEqual([]);
      expect(r.trades).toEqual([]);
    });
  });

  it("tif 'day': the entry lives one session and is replaced after the broker reports it expired", () => {
    const r = run(
      [
        ...PREFIX,
        [99.2, 99.7, 99, 99.5], // 3: the day order's session; no touch of 100 → expired at the end of bar 3
        [99.6, 100.5, 99.4, 100.3], // 4: the replacement (placed on 3 at 99.81) fills at its stop
        [100.6, 100.8, 100.2, 100.4], // 5: no exit touched; open at the end
      ],
      { tif: 'day' },
    );
    // Daily bars are whole sessions: the order expires right after bar 3's matching, so onBar(3)
    // already sees it gone and places the replacement.
    expect(ofKind(r, 'OrderExpired').map((e) => [e.step, e.orderId])).toEqual([[3, 1]]);
    expect(accepted(r).filter((a) => a[6] === 'entry').map((a) => [a[0], a[1], a[5]])).toEqual([
      [2, 1, 100],
      // Channel high over bars 1–3 is 99.8 → 99.81; stop-loss 99.81 × 0.98 = 97.8138 → 97.81;
      // 1 000 / 2.00 = 500.
      [3, 4, 99.81],
    ]);
    // Bar 4: open 99.6 < 99.81 <= high 100.5 → fills at 99.81.
    expect(tradeRows(r)).toEqual([[4, undefined, 'long', 500, 99.81, 100.4, undefined]]);
  });

  describe('longOnly: false (mirrored short side)', () => {
    // Short side at bar 2: sell-stop one tick below the channel low 97 → 96.99; stop-loss
    // 96.99 × 1.02 = 98.9298 → 98.93; take-profit 96.99 × 0.96 = 93.1104 → 93.11; 1 000 / 1.94 → 515.

    it('works both sides while flat; the first to fill cancels the other', () => {
      const r = run([...PREFIX, [99.6, 100.5, 99.4, 100.3]], { longOnly: false });
      expect(accepted(r).filter((a) => a[6] === 'entry')).toEqual([
        [2, 1, 'buy', 'stop', 500, 100, 'entry'],
        [2, 4, 'sell', 'stop', 515, 96.99, 'entry'],
      ]);
      expect(ofKind(r, 'OrderCanceled').map((e) => [e.step, e.orderId, e.reason])).toEqual([
        [3, 4, 'strategy'],
        [3, 5, 'parent order 4 canceled'],
        [3, 6, 'parent order 4 canceled'],
      ]);
      expect(tradeRows(r)).toEqual([[3, undefined, 'long', 500, 100, 100.3, undefined]]);
    });

    it('a breakdown fills the sell-stop and the buy-side take-profit closes it', () => {
      const r = run([...PREFIX, [98, 98.5, 96.5, 97], [96.5, 97, 93, 93.5]], { longOnly: false });
      expect(tradeRows(r)).toEqual([[3, 4, 'short', 515, 96.99, 93.11, 'take-profit']]);
      expect(r.trades[0]!.pnl).toBeCloseTo(515 * 3.88, 9);
    });

    it('one bar filling both entries: the fills net out, stale exits are cancelled once flat', () => {
      // Narrow channel 99–99.99: long 100.00 (500, stop-loss 98.00); short 98.99 (stop-loss
      // 100.97, take-profit 95.03, 1 000 / 1.98 = 505).
      const r = run(
        [
          [99.5, 99.99, 99, 99.5],
          [99.5, 99.8, 99.2, 99.6],
          [99.6, 99.9, 99.1, 99.5],
          [99.5, 100.5, 98.9, 99.2], // 3: buys 500 at 100.00, then sells 505 at 98.99 → short 5
          [99, 99.5, 94.9, 95], // 4: long stop-loss has nothing to reduce; short take-profit 95.03
        ],
        { longOnly: false },
      );
      expect(tradeRows(r)).toEqual([
        [3, 3, 'long', 500, 100, 98.99, 'entry'],
        [3, 4, 'short', 5, 98.99, 95.03, 'take-profit'],
      ]);
      expect(ofKind(r, 'OrderCanceled').map((e) => [e.step, e.orderId, e.reason])).toEqual([
        [4, 3, 'reduce-only: no position to reduce'],
        // The long take-profit goes with its OCO partner: it protected the same (gone) position.
        [4, 2, 'oco: order 3 canceled'],
        [4, 6, 'oco: order 5 filled'],
      ]);
    });
  });

  it('rejects bad parameters with the parameter named', () => {
    expect(() => run(PREFIX, { entry: 'market' })).toThrow(/params\.entry/);
    expect(() => run(PREFIX, { lookback: 0 })).toThrow(/params\.lookback/);
    expect(() => run(PREFIX, { longOnly: false, takeProfitPct: 100 })).toThrow(/params\.takeProfitPct/);
    expect(() => run(PREFIX, { longOnly: true, takeProfitPct: 100 })).not.toThrow();
  });

  it('is registered after sma-cross', () => {
    expect([...STRATEGIES.keys()].slice(0, 2)).toEqual(['sma-cross', 'channel-breakout']);
    expect(findStrategy('channel-breakout')).toBe(channelBreakout);
  });
});

describe('channel-breakout invariants (fast-check, random bars and params, long only)', () => {
  /** A random walk: each bar gaps by `gap` % from the last close, moves `move` %, with wicks. */
  const barsArb = fc
    .array(fc.tuple(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -400, max: 400 }), fc.nat(300), fc.nat(300)), { minLength: 5, maxLength: 60 })
    .map((steps) => {
      let close = 100;
      return steps.map(([gap, move, up, down]): Row => {
        const open = Math.round(close * (1 + gap / 10_000) * 100) / 100;
        close = Math.round(open * (1 + move / 10_000) * 100) / 100;
        const high = Math.round(Math.max(open, close) * (1 + up / 10_000) * 100) / 100;
        const low = Math.round(Math.min(open, close) * (1 - down / 10_000) * 100) / 100;
        return [open, high, low, close];
      });
    });
  const paramsArb = fc.record({
    lookback: fc.integer({ min: 1, max: 8 }),
    entry: fc.constantFrom('stop', 'limit'),
    stopLossPct: fc.double({ min: 0.5, max: 10, noNaN: true }),
    takeProfitPct: fc.double({ min: 0.5, max: 20, noNaN: true }),
    riskPct: fc.double({ min: 0.1, max: 20, noNaN: true }),
    tif: fc.constantFrom('gtc', 'day'),
  });

  it('one long position at a time, entries within equity, and no more than riskPct lost at an ungapped stop-loss', () => {
    let checkedStops = 0;
    fc.assert(
      fc.property(barsArb, paramsArb, fc.constantFrom(0, 0.001), (rows, params, commissionRate) => {
        const r = run(rows, params, { costs: { commissionRate } });
        const equity = r.series!.equity;
        const flatEquityBefore = (step: number) => (step === 0 ? 100_000 : equity[step - 1]!);
        const entries = new Set<number>();
        const price = new Map<number, number>(); // working price per order id
        const qty = new Map<number, number>(); // entry qty per order id
        const entryAtOrderPrice = new Map<number, boolean>(); // by fill step
        for (const e of r.events) {
          if (e.kind === 'OrderAccepted' || e.kind === 'OrderModified') {
            const p = e.stopPrice ?? e.limitPrice;
            if (p !== undefined) price.set(e.orderId, p);
            if (e.kind === 'OrderAccepted' && e.tag === 'entry') entries.add(e.orderId);
            if (!entries.has(e.orderId)) continue;
            if (typeof e.qty === 'number') qty.set(e.orderId, e.qty);
            // Placed or moved while flat: its notional fits the equity (= cash) of that step.
            const notional = qty.get(e.orderId)! * price.get(e.orderId)! * (1 + commissionRate);
            expect(notional).toBeLessThanOrEqual(equity[e.step]! * (1 + 1e-12));
          }
          if (e.kind === 'OrderFilled' && e.fill.tag === 'entry') entryAtOrderPrice.set(e.fill.step, e.fill.price === price.get(e.fill.orderId));
          if (e.kind === 'OrderFilled' && e.fill.tag === 'stop-loss') {
            const trade = r.trades.find((t) => t.exitStep === e.fill.step && t.exitTag === 'stop-loss')!;
            const ungapped = entryAtOrderPrice.get(trade.entryStep) === true && e.fill.price === price.get(e.fill.orderId);
            if (ungapped) {
              checkedStops++;
              expect(-trade.grossPnl).toBeLessThanOrEqual((flatEquityBefore(trade.entryStep) * params.riskPct) / 100 + 1e-6);
            }
          }
        }
        expect(r.trades.every((t) => t.side === 'long')).toBe(true);
        expect(r.trades.filter((t) => t.open).length).toBeLessThanOrEqual(1);
        for (let i = 1; i < r.trades.length; i++) expect(r.trades[i]!.entryStep).toBeGreaterThanOrEqual(r.trades[i - 1]!.exitStep ?? Infinity);
      }),
      { numRuns: 300, seed: 20_240_101 },
    );
    expect(checkedStops).toBeGreaterThan(50); // the risk bound was really exercised
  });
});

/** [entry day, exit day, qty, entry price, exit price, exit tag]. */
const tradeSummary = (r: BacktestResult, count: number) =>
  r.trades.slice(0, count).map((t) => [day(t.entryTimeMs), day(t.exitTimeMs), t.qty, t.entryPrice, t.exitPrice, t.exitTag]);

// The final equities below were also reproduced bit for bit by an independent re-implementation
// of these rules and of the engine's fill rules (outside the repo) before pinning.
describe('channel-breakout golden (bundled S&P 500, default params, 100000 cash)', () => {
  const bars = loadSp500();
  const golden = (params: Record<string, unknown>, options: EngineOptions = {}) =>
    runBacktest({ data: bars, strategy: channelBreakout, params, options: { initialCapital: 100_000, ...options } });

  it('stop entries (breakout), no costs', () => {
    const r = golden({});
    expect(r.metrics.tradesClosed).toBe(164);
    expect(r.metrics.tradesOpen).toBe(0); // the last exit (2020-04-17) is on the last bar
    expect(relative(r.metrics.finalEquity, 119_870.655227)).toBeLessThan(1e-9);
    expect(r.metrics.maxDrawdownPct.toFixed(2)).toBe('26.31');
    expect(r.metrics.sharpe.toFixed(4)).toBe('0.2299');
    expect(r.metrics.winRatePct).toBeCloseTo((62 / 164) * 100, 12);
    // Risk at entry and R multiples of the first two trades (bracket stop-losses):
    // trade 1: 35 × (1413.47 − 1385.20) = 989.45 at risk; +35 × 56.54 = 1 978.90 → +2.00 R;
    // trade 2: 34 × (1477.34 − 1447.79) = 1 004.70 at risk, stopped out → −1.00 R.
    expect(r.trades[0]!.initialRisk).toBeCloseTo(989.45, 8);
    expect(r.trades[0]!.pnl / r.trades[0]!.initialRisk!).toBeCloseTo(2, 8);
    expect(r.trades[1]!.initialRisk).toBeCloseTo(1004.7, 8);
    expect(r.trades[1]!.pnl / r.trades[1]!.initialRisk!).toBeCloseTo(-1, 8);
    // Trade 1. The 20-bar channel of 2000-02-16 … 2000-03-15 has its highest high 1413.459961 on
    // 2000-03-10 → buy-stop ceil(1413.46) + 0.01 = 1413.47. Stop-loss 1413.47 × 0.98 = 1385.2006 →
    // 1385.20, take-profit × 1.04 = 1470.0088 → 1470.01; qty = 1 000 / (1413.47 − 1385.20 = 28.27)
    // = 35.4 → 35 (cap 100 000 / 1413.47 = 70). 2000-03-16: open 1392.15 < 1413.47 <= high
    // 1458.47 → bought at the stop; its low 1392.15 stays above 1385.20. 2000-03-17: high 1477.33
    // >= 1470.01 → take-profit; P&L 35 × 56.54 = 1 978.90.
    // Trade 2. Flat at the 2000-03-17 close: channel 2000-02-18 … 2000-03-17, highest high
    // 1477.329956 (that day) → 1477.34; stop-loss 1447.7932 → 1447.79; equity 101 978.90 → risk
    // 1 019.789 / 29.55 = 34.5 → 34. 2000-03-20: high 1470.30, no fill. 2000-03-21: open 1456.63
    // < 1477.34 <= high 1493.92 → bought at the stop, and the same bar's low 1446.06 <= 1447.79
    // → stopped out on the entry bar (the adverse move is assumed to follow an intrabar entry);
    // P&L 34 × −29.55 = −1 004.70.
    expect(tradeSummary(r, 3)).toEqual([
      ['2000-03-16', '2000-03-17', 35, 1413.47, 1470.01, 'take-profit'],
      ['2000-03-21', '2000-03-21', 34, 1477.34, 1447.79, 'stop-loss'],
      ['2000-03-22', '2000-04-04', 33, 1493.94, 1464.06, 'stop-loss'],
    ]);
    expect(r.trades[0]!.pnl).toBeCloseTo(1978.9, 9);
    expect(r.trades[1]!.pnl).toBeCloseTo(-1004.7, 9);
    expect(r.digest).toBe('167342eb3df8781f29b90f78c6837e310b31c8fbbac01add40ab34fc5641fcb3');
  });

  it('stop entries with 0.1% commission per side', () => {
    const r = golden({}, { costs: { commissionRate: 0.001 } });
    expect(r.metrics.tradesClosed).toBe(164);
    expect(r.metrics.tradesOpen).toBe(0);
    expect(relative(r.metrics.finalEquity, 101_598.244986)).toBeLessThan(1e-9);
    expect(r.metrics.feesPaid.toFixed(2)).toBe('13599.73');
    expect(r.metrics.maxDrawdownPct.toFixed(2)).toBe('32.34');
    expect(r.metrics.sharpe.toFixed(4)).toBe('0.0397');
    expect(r.metrics.winRatePct).toBeCloseTo((62 / 164) * 100, 12);
    // Same first trades (risk sizing ignores fees; the equity cap does not bind at 2 % stops).
    expect(tradeSummary(r, 3)).toEqual([
      ['2000-03-16', '2000-03-17', 35, 1413.47, 1470.01, 'take-profit'],
      ['2000-03-21', '2000-03-21', 34, 1477.34, 1447.79, 'stop-loss'],
      ['2000-03-22', '2000-04-04', 33, 1493.94, 1464.06, 'stop-loss'],
    ]);
    // 1 978.90 − 0.1 % × 35 × (1413.47 + 1470.01) = 1 978.90 − 100.9218.
    expect(r.trades[0]!.pnl).toBeCloseTo(1877.9782, 9);
    expect(r.digest).toBe('a0d9a723a1248b4c8f494fadf15e0b17a271316db226638ac8583e7a97d0631c');
  });

  it("limit entries (pullback), no costs", () => {
    const r = golden({ entry: 'limit' });
    expect(r.metrics.tradesClosed).toBe(207);
    expect(r.metrics.tradesOpen).toBe(0);
    expect(relative(r.metrics.finalEquity, 79_171.119644)).toBeLessThan(1e-9);
    expect(r.metrics.maxDrawdownPct.toFixed(2)).toBe('32.99');
    expect(r.metrics.sharpe.toFixed(4)).toBe('-0.2094');
    expect(r.metrics.winRatePct).toBeCloseTo((60 / 207) * 100, 12);
    // Trade 1: channel 2000-01-19 … 2000-02-17, lowest low 1350.140015 (2000-01-31) → buy-limit
    // 1350.14; 2000-02-18 trades down to 1345.32 → bought at the limit; take-profit 1404.1456 →
    // 1404.15 reached on 2000-03-03 (high 1410.88).
    expect(tradeSummary(r, 3)).toEqual([
      ['2000-02-18', '2000-03-03', 37, 1350.14, 1404.15, 'take-profit'],
      ['2000-04-14', '2000-04-14', 36, 1416.41, 1388.08, 'stop-loss'],
      ['2000-05-22', '2000-05-31', 36, 1375.14, 1430.15, 'take-profit'],
    ]);
    expect(r.digest).toBe('27153bf0c22f7fbb8c8a61d1683f5e651d1377b32a2927a99c3259178e1adef6');
  });

  it('limit entries with 0.1% commission per side', () => {
    const r = golden({ entry: 'limit' }, { costs: { commissionRate: 0.001 } });
    expect(r.metrics.tradesClosed).toBe(207);
    expect(r.metrics.tradesOpen).toBe(0);
    expect(relative(r.metrics.finalEquity, 64_956.663731)).toBeLessThan(1e-9);
    expect(r.metrics.maxDrawdownPct.toFixed(2)).toBe('41.65');
    expect(r.metrics.sharpe.toFixed(4)).toBe('-0.4041');
    expect(r.metrics.winRatePct).toBeCloseTo((60 / 207) * 100, 12);
    expect(tradeSummary(r, 3)).toEqual([
      ['2000-02-18', '2000-03-03', 37, 1350.14, 1404.15, 'take-profit'],
      ['2000-04-14', '2000-04-14', 35, 1416.41, 1388.08, 'stop-loss'], // equity after fees buys one less
      ['2000-05-22', '2000-05-31', 36, 1375.14, 1430.15, 'take-profit'],
    ]);
    expect(r.digest).toBe('e176b1c0b8ef39a747e9d4a4602b670e8f415d7170599412a164aeca33c899da');
  });

  it('is deterministic: two runs give the same digest', () => {
    expect(golden({ longOnly: false }).digest).toBe(golden({ longOnly: false }).digest);
  });
});
