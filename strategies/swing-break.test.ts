/**
 * swing-break on hand-made minute bars (k = 2 unless stated, riskPerTrade 1000, tick 0.05) and a
 * golden run on seeded synthetic intraday data. Bars are stamped at their close; orders placed on
 * step t work from step t + 1. All symbols have a bar at every minute, so step = bar index.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest, type BacktestResult } from '../engine/backtest.js';
import { makeBarSeries, sliceBars, type BarSeries } from '../engine/bars.js';
import type { EngineEvent } from '../engine/events.js';
import type { RiskOptions } from '../engine/risk/risk-config.js';
import { findStrategy, STRATEGIES } from './index.js';
import { intradayBars } from './intraday-synth.js';
import { parseGroups, SESSION_END_TAG, swingBreak, swingBreakWithGroups } from './swing-break.js';

type Row = readonly [open: number, high: number, low: number, close: number, volume: number];

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const DAY1 = Date.UTC(2024, 0, 2);
const DAY2 = Date.UTC(2024, 0, 3);
/** First bar of a session: the 09:15–09:16 minute, stamped 09:16 (556 minutes after UTC midnight). */
const FIRST_MINUTE = 556;

/** Minute bars of one or more sessions: each session's rows from 09:16 on, one minute apart. */
function minuteBars(symbol: string, sessions: readonly (readonly [dayMs: number, rows: readonly Row[]])[]): BarSeries {
  const all = sessions.flatMap(([day, rows]) => rows.map((row, i) => [day + (FIRST_MINUTE + i) * MINUTE_MS, row] as const));
  const column = (f: (row: Row) => number) => Float64Array.from(all, ([, row]) => f(row));
  all.forEach(([, [o, h, l, c]], i) => {
    if (!(l <= Math.min(o, c) && h >= Math.max(o, c))) throw new Error(`bad hand-made bar ${symbol} ${i}: ${o} ${h} ${l} ${c}`);
  });
  return makeBarSeries({
    symbol,
    timeMs: Float64Array.from(all, ([t]) => t),
    open: column((r) => r[0]),
    high: column((r) => r[1]),
    low: column((r) => r[2]),
    close: column((r) => r[3]),
    volume: column((r) => r[4]),
  });
}

const day1 = (symbol: string, rows: readonly Row[]): BarSeries => minuteBars(symbol, [[DAY1, rows]]);

/**
 * Symbol A. Bar 0 anchors the session VWAP near 180 (volume 1000). Swing low 200 at bar 3 (lows
 * 201, 202 | 200 | 201, 203), confirmed at bar 5; highest high since bar 3 = 210 (bar 5): stop
 * distance 10 / 200 = 5 %. VWAP at bar 3 = (180 × 1000 + 100 × (610 + 611 + 605) / 3) / 1300 =
 * 185.28, premium 200 / 185.28 − 1 = 7.94 %. Sell-stop 199.95, qty floor(1000 / (210 − 199.95)) =
 * floor(99.5) = 99, protective stop 210.
 */
const A: readonly Row[] = [
  [180, 181, 179, 180, 1000],
  [201, 205, 201, 204, 100],
  [204, 206, 202, 203, 100],
  [203, 204, 200, 201, 100], // 3: swing low 200
  [201, 208, 201, 207, 100],
  [207, 210, 203, 209, 100], // 5: confirmed → sell-stop 199.95 × 99
];
/** 6: low 199 → the sell-stop fills at 199.95; 7: high 211 → the protective stop fills at 210. */
const A_STOPPED: readonly Row[] = [
  [209, 209, 199, 200, 100],
  [200, 211, 199, 210, 100],
];
/** 6: the entry fills as above; 7–9: the position is held (highs below 210). */
const A_HELD: readonly Row[] = [
  [209, 209, 199, 200, 100],
  [200, 205, 199, 204, 100],
  [204, 206, 202, 205, 100],
  [205, 207, 203, 206, 100],
];

/**
 * Symbol B. VWAP anchor 130; swing low 150 at bar 5 (lows 154, 152 | 150 | 151, 153), confirmed
 * at bar 7; highest high since = 159: stop distance 9 / 150 = 6 %. Premium 150 / 137.96 − 1 =
 * 8.7 %. Sell-stop 149.95 × floor(1000 / 9.05) = 110, protective stop 159.
 */
const B: readonly Row[] = [
  [130, 131, 129, 130, 1000],
  [152, 155, 151, 154, 100],
  [154, 156, 153, 155, 100],
  [155, 157, 154, 156, 100],
  [156, 157, 152, 153, 100],
  [153, 154, 150, 151, 100], // 5: swing low 150
  [151, 158, 151, 157, 100],
  [157, 159, 153, 158, 100], // 7: confirmed
];

const NO_RISK: RiskOptions | undefined = undefined;

function run(data: BarSeries | readonly BarSeries[], params: Record<string, unknown> = {}, groups = '', risk = NO_RISK): BacktestResult {
  return runBacktest({
    data,
    strategy: groups === '' ? swingBreak : swingBreakWithGroups(groups),
    params: { k: 2, ...params },
    options: { initialCapital: 1_000_000, ...(risk === undefined ? {} : { risk }) },
  });
}

/** One compact row per order and risk event: [step, kind, order id, …what matters for that kind]. */
function trace(result: BacktestResult): unknown[][] {
  return result.events.flatMap((e: EngineEvent): unknown[][] => {
    switch (e.kind) {
      case 'OrderAccepted':
        return [[e.step, 'accepted', e.orderId, e.instrumentId, e.side, e.type, e.qty, e.stopPrice, e.tag]];
      case 'OrderModified':
        return [[e.step, 'modified', e.orderId, e.qty, e.stopPrice]];
      case 'OrderCanceled':
        return [[e.step, 'canceled', e.orderId, e.reason]];
      case 'OrderFilled':
        return [[e.step, 'filled', e.fill.orderId, e.fill.side, e.fill.qty, e.fill.price]];
      case 'OrderRejected':
        return [[e.step, 'rejected', e.orderId, e.reason]];
      case 'RiskHalted':
        return [[e.step, 'halted', e.reason]];
      case 'RiskResumed':
        return [[e.step, 'resumed', e.reason]];
      default:
        return [[e.step, e.kind]];
    }
  });
}

const tradeRows = (r: BacktestResult) => r.trades.map((t) => [t.entryStep, t.exitStep, t.instrumentId, t.side, t.qty, t.entryPrice, t.exitPrice, t.exitTag]);

describe('swing-break: swing detection (no look-ahead)', () => {
  it('a swing low is confirmed exactly k bars after it, not before', () => {
    expect(trace(run(day1('A', A.slice(0, 5))))).toEqual([]); // bar 4: only one bar after the swing
    expect(trace(run(day1('A', A)))).toEqual([[5, 'accepted', 1, 'A', 'sell', 'stop', 99, 199.95, 'A']]);
    // k = 1: the same swing is known at bar 4 (lows 202 | 200 | 201); stop = high since bar 3 =
    // 208 → qty floor(1000 / 8.05) = 124. At bar 5 the stop becomes 210: a new protective stop,
    // so the order is cancelled and placed again on bar 6 (the entry's recorded stop must be the
    // one placed on the fill).
    expect(trace(run(day1('A', [...A, [209, 209, 204, 205, 100]]), { k: 1 }))).toEqual([
      [4, 'accepted', 1, 'A', 'sell', 'stop', 124, 199.95, 'A'],
      [5, 'canceled', 1, 'strategy'],
      [6, 'accepted', 2, 'A', 'sell', 'stop', 99, 199.95, 'A'],
    ]);
  });

  it('equal lows are not swings, on either side', () => {
    const before = A.map((row, i): Row => (i === 2 ? [204, 206, 200, 203, 100] : row)); // bar 2 low 200 = the swing's
    const after = A.map((row, i): Row => (i === 4 ? [201, 208, 200, 207, 100] : row)); // bar 4 low 200
    expect(trace(run(day1('A', before)))).toEqual([]);
    expect(trace(run(day1('A', after)))).toEqual([]);
  });

  it('detection starts afresh each session: no swing across the night', () => {
    // Bars 0–3 on day 1, bars 4–5 as the first two bars of day 2: not a swing (different sessions).
    const split = minuteBars('A', [[DAY1, A.slice(0, 4)], [DAY2, A.slice(4)]]);
    expect(trace(run(split))).toEqual([]);
    // A whole session on day 2 after a partial day 1: found on day 2's bar 5 (step 4 + 5).
    const second = minuteBars('A', [[DAY1, A.slice(0, 4)], [DAY2, A]]);
    expect(trace(run(second))).toEqual([[9, 'accepted', 1, 'A', 'sell', 'stop', 99, 199.95, 'A']]);
  });
});

describe('swing-break: candidate filters', () => {
  const placed = (params: Record<string, unknown>, rows: readonly Row[] = A) => trace(run(day1('A', rows), params)).map((e) => e.slice(0, 3));

  it('band [bandLow, bandHigh], inclusive', () => {
    expect(placed({ bandLow: 200 })).toEqual([[5, 'accepted', 1]]);
    expect(placed({ bandLow: 200.05 })).toEqual([]);
    expect(placed({ bandLow: 100, bandHigh: 200 })).toEqual([[5, 'accepted', 1]]);
    expect(placed({ bandLow: 100, bandHigh: 199.95 })).toEqual([]);
  });

  it('premium over the volume-weighted session VWAP at the swing bar', () => {
    expect(placed({ minPremiumPct: 7.9 })).toEqual([[5, 'accepted', 1]]); // 7.94 %
    expect(placed({ minPremiumPct: 8 })).toEqual([]);
    // Bar 0 with volume 100 instead of 1000: VWAP (180 + 203.33 + 203.67 + 201.67) / 4 = 197.17,
    // premium 1.44 % < 4 %.
    const thin = A.map((row, i): Row => (i === 0 ? [180, 181, 179, 180, 100] : row));
    expect(placed({}, thin)).toEqual([]);
  });

  it('stop distance within [minStopPct, maxStopPct], re-evaluated every bar as the high since the swing rises', () => {
    expect(placed({ maxStopPct: 5 })).toEqual([[5, 'accepted', 1]]); // exactly 5 %
    expect(placed({ maxStopPct: 4.95 })).toEqual([]);
    expect(placed({ minStopPct: 5 })).toEqual([[5, 'accepted', 1]]);
    // 5 % < 6 % at bar 5; bar 6 makes a high of 213 → 13 / 200 = 6.5 %: placed then, sized to
    // floor(1000 / (213 − 199.95)) = 76 with the protective stop at 213.
    const rising = [...A, [209, 213, 205, 212, 100] as Row];
    expect(trace(run(day1('A', rising), { minStopPct: 6 }))).toEqual([[6, 'accepted', 1, 'A', 'sell', 'stop', 76, 199.95, 'A']]);
    expect(placed({ maxStopPct: 6 }, rising)).toEqual([[5, 'accepted', 1], [6, 'canceled', 1]]); // 6.5 % > 6 %: no candidate left
  });
});

describe('swing-break: one working entry per group (A and B in group G, targetStopPct 6)', () => {
  // A: candidate from bar 5 at 5 % (|5 − 6| = 1), untouched afterwards until bar 12.
  const aRows: Row[] = [
    ...A,
    [209, 209, 204, 205, 100],
    [205, 207, 203, 206, 100],
    [206, 208, 204, 207, 100],
    [207, 208, 205, 206, 100],
    [206, 207, 204, 205, 100],
    [205, 206, 204, 205, 100],
    [205, 205, 198, 199, 100], // 12: trades below 200 with no order of ours on A → dropped
    [199, 200, 198, 199, 100],
  ];
  const bRows: Row[] = [
    ...B, // 7: B confirmed at 6 % (|6 − 6| = 0): better than A
    [158, 158, 153, 155, 100],
    [155, 156, 151, 152, 100], // 9: swing low 151 (lows 153, 153 | 151 | 152, 153)
    [152, 159, 152, 158, 100], // 10: high 159 again
    [158, 158, 153, 155, 100], // 11: 151 confirmed, stop still 159: 8 / 151 = 5.3 % (|−0.7|), replaces B's 150
    [155, 156, 153, 155, 100],
    [155, 167, 154, 166, 100], // 13: high 167 → 16 / 151 = 10.6 % > 10 %: no candidate in G
  ];

  it('symbol change → cancel, then the new order on the next bar; same stop, new price → modify; no candidate → cancel', () => {
    const r = run([day1('A', aRows), day1('B', bRows)], { targetStopPct: 6 }, 'A:G,B:G');
    expect(trace(r)).toEqual([
      [5, 'accepted', 1, 'A', 'sell', 'stop', 99, 199.95, 'G'],
      [7, 'canceled', 1, 'strategy'],
      [8, 'accepted', 2, 'B', 'sell', 'stop', 110, 149.95, 'G'],
      // 150.95 × floor(1000 / (159 − 150.95)) = 124
      [11, 'modified', 2, 124, 150.95],
      [13, 'canceled', 2, 'strategy'],
    ]);
    expect(r.trades).toEqual([]);
  });

  it('in separate groups both entries work at once', () => {
    const r = run([day1('A', aRows.slice(0, 8)), day1('B', bRows.slice(0, 8))], { targetStopPct: 6 });
    expect(trace(r)).toEqual([
      [5, 'accepted', 1, 'A', 'sell', 'stop', 99, 199.95, 'A'],
      [7, 'accepted', 2, 'B', 'sell', 'stop', 110, 149.95, 'B'],
    ]);
  });
});

describe('swing-break: fill and protective stop', () => {
  it('the buy-stop is accepted on the fill step at the high since the swing; stopped out at −1 R', () => {
    const r = run(day1('A', [...A, ...A_STOPPED]));
    expect(trace(r)).toEqual([
      [5, 'accepted', 1, 'A', 'sell', 'stop', 99, 199.95, 'A'],
      [6, 'filled', 1, 'sell', 99, 199.95],
      [6, 'accepted', 2, 'A', 'buy', 'stop', 99, 210, 'stop-loss'],
      [7, 'filled', 2, 'buy', 99, 210],
    ]);
    expect(tradeRows(r)).toEqual([[6, 7, 'A', 'short', 99, 199.95, 210, 'stop-loss']]);
    const trade = r.trades[0]!;
    // 99 × (210 − 199.95) = 994.95 at risk, all of it lost.
    expect(trade.initialRisk).toBeCloseTo(994.95, 9);
    expect(trade.pnl).toBeCloseTo(-994.95, 9);
    expect(trade.pnl / trade.initialRisk!).toBe(-1);
  });
});

describe('swing-break with the risk block', () => {
  // Day 1 continues after the first stop-out: swing low 205 at bar 10 confirmed at 12 (stop 215,
  // 99 at 204.95), filled at 13, stopped at 14; swing low 210 at bar 17 confirmed at 19 (stop 221,
  // floor(1000 / 11.05) = 90 at 209.95).
  const day1Rows: Row[] = [
    ...A,
    ...A_STOPPED,
    [210, 212, 206, 211, 100],
    [211, 213, 208, 212, 100],
    [212, 213, 205, 206, 100], // 10: swing low 205
    [206, 214, 206, 213, 100],
    [213, 215, 207, 214, 100], // 12: confirmed → 204.95 × 99, stop 215
    [214, 214, 204, 205, 100], // 13: filled at 204.95
    [205, 216, 204, 215, 100], // 14: stopped at 215 → −2 R for the day
    [215, 218, 211, 217, 100],
    [217, 219, 213, 218, 100],
    [218, 219, 210, 211, 100], // 17: swing low 210
    [211, 220, 211, 219, 100],
    [219, 221, 213, 220, 100], // 19: confirmed → rejected (halted)
    [220, 221, 212, 219, 100], // 20: same order: not sent again
  ];

  it('dailyLossR 2: two −1 R trades halt the session, later entries are rejected, the next session resumes', () => {
    const data = minuteBars('A', [[DAY1, day1Rows], [DAY2, A]]);
    const r = run(data, {}, '', { dailyLossR: 2, riskPerTrade: 1000 });
    expect(trace(r)).toEqual([
      [5, 'accepted', 1, 'A', 'sell', 'stop', 99, 199.95, 'A'],
      [6, 'filled', 1, 'sell', 99, 199.95],
      [6, 'accepted', 2, 'A', 'buy', 'stop', 99, 210, 'stop-loss'],
      [7, 'filled', 2, 'buy', 99, 210],
      [12, 'accepted', 3, 'A', 'sell', 'stop', 99, 204.95, 'A'],
      [13, 'filled', 3, 'sell', 99, 204.95],
      [13, 'accepted', 4, 'A', 'buy', 'stop', 99, 215, 'stop-loss'],
      [14, 'filled', 4, 'buy', 99, 215],
      [14, 'halted', 'HALTED: daily loss 2R >= 2R'],
      [19, 'rejected', 5, 'ORDER_REJECTED: halted (daily loss 2R >= 2R)'],
      [21, 'resumed', 'RESUMED: new session'],
      [26, 'accepted', 6, 'A', 'sell', 'stop', 99, 199.95, 'A'],
    ]);
    expect(r.trades.map((t) => t.pnl / t.initialRisk!)).toEqual([-1, -1]);
  });

  // A fills at 6 and is held until its stop fills at 9; B (same group) is confirmed at 7.
  const aHeldThenStopped: Row[] = [...A, ...A_HELD.slice(0, 3), [205, 211, 204, 210, 100]];
  const bRows: Row[] = [...B, [158, 158, 153, 155, 100], [155, 156, 151, 152, 100]];

  it('maxPositionsPer.group: a second entry in the group is rejected while the first is open, and sent again once it closes', () => {
    const risk: RiskOptions = { maxPositionsPer: { group: 1 }, groups: { A: 'CE', B: 'CE' } };
    const r = run([day1('A', aHeldThenStopped), day1('B', bRows)], {}, 'A:CE,B:CE', risk);
    expect(trace(r)).toEqual([
      [5, 'accepted', 1, 'A', 'sell', 'stop', 99, 199.95, 'CE'],
      [6, 'filled', 1, 'sell', 99, 199.95],
      [6, 'accepted', 2, 'A', 'buy', 'stop', 99, 210, 'stop-loss'],
      [7, 'rejected', 3, 'ORDER_REJECTED: max positions per group 1 reached for CE'],
      // 8: the same order is not re-sent (nothing changed); 9: A is stopped out → sent again.
      [9, 'filled', 2, 'buy', 99, 210],
      [9, 'accepted', 4, 'B', 'sell', 'stop', 110, 149.95, 'CE'],
    ]);
  });

  it('maxOpenPositions: the same with A and B in different groups', () => {
    const r = run([day1('A', aHeldThenStopped), day1('B', bRows)], {}, 'A:CE,B:PE', { maxOpenPositions: 1 });
    expect(trace(r).filter((e) => e[1] === 'rejected' || e[1] === 'accepted')).toEqual([
      [5, 'accepted', 1, 'A', 'sell', 'stop', 99, 199.95, 'CE'],
      [6, 'accepted', 2, 'A', 'buy', 'stop', 99, 210, 'stop-loss'],
      [7, 'rejected', 3, 'ORDER_REJECTED: max positions 1 reached'],
      [9, 'accepted', 4, 'B', 'sell', 'stop', 110, 149.95, 'PE'],
    ]);
  });
});

describe('swing-break: session end (sessionCloseMinute 564 = bar 8)', () => {
  it('cancels the working entry and the protective stop, closes at market, enters nothing more that session', () => {
    const bRows: Row[] = [...B, [158, 158, 153, 155, 100], [155, 155, 149, 150, 100]]; // 9: would have filled B's entry
    const a = minuteBars('A', [[DAY1, [...A, ...A_HELD]], [DAY2, A]]);
    const b = minuteBars('B', [[DAY1, bRows], [DAY2, B.slice(0, 6)]]);
    const r = run([a, b], { sessionCloseMinute: FIRST_MINUTE + 8 });
    expect(trace(r)).toEqual([
      [5, 'accepted', 1, 'A', 'sell', 'stop', 99, 199.95, 'A'],
      [6, 'filled', 1, 'sell', 99, 199.95],
      [6, 'accepted', 2, 'A', 'buy', 'stop', 99, 210, 'stop-loss'],
      [7, 'accepted', 3, 'B', 'sell', 'stop', 110, 149.95, 'B'],
      [8, 'canceled', 3, 'strategy'],
      [8, 'canceled', 2, 'strategy'],
      [8, 'accepted', 4, 'A', 'buy', 'market', 'atFill', undefined, SESSION_END_TAG],
      [9, 'filled', 4, 'buy', 99, 205], // bar 9's open
      // Next session: trading again (A's day-2 swing, confirmed at its bar 5).
      [15, 'accepted', 5, 'A', 'sell', 'stop', 99, 199.95, 'A'],
    ]);
    expect(tradeRows(r)).toEqual([[6, 9, 'A', 'short', 99, 199.95, 205, SESSION_END_TAG]]);
    // −99 × 5.05 = −499.95 against 994.95 at risk: −0.5025 R.
    expect(r.trades[0]!.pnl / r.trades[0]!.initialRisk!).toBeCloseTo(-499.95 / 994.95, 12);
  });

  it('sessionEndFlat: false keeps the position and its stop overnight', () => {
    const a = minuteBars('A', [[DAY1, [...A, ...A_HELD]], [DAY2, A.slice(0, 2)]]);
    const r = run(a, { sessionCloseMinute: FIRST_MINUTE + 8, sessionEndFlat: false });
    expect(trace(r).map((e) => e.slice(0, 3))).toEqual([[5, 'accepted', 1], [6, 'filled', 1], [6, 'accepted', 2]]);
    expect(r.trades[0]!.open).toBe(true);
  });
});

describe('swing-break: parameters and registration', () => {
  it('parses the group mapping and rejects bad ones with the parameter named', () => {
    expect([...parseGroups(' A:CE, B:CE ,C:PE')]).toEqual([['A', 'CE'], ['B', 'CE'], ['C', 'PE']]);
    expect([...parseGroups('')]).toEqual([]);
    expect(() => parseGroups('A:CE,B')).toThrow(/params\.groups: entry 2 "B" must be symbol:group/);
    expect(() => parseGroups('A:CE,A:PE')).toThrow(/params\.groups: symbol A is listed twice/);
    expect(() => run(day1('A', A), {}, 'Z:CE')).toThrow(/params\.groups: names Z, which is not in the data/);
  });

  it('rejects inconsistent parameters and data without volume', () => {
    expect(() => run(day1('A', A), { bandLow: 400 })).toThrow(/params\.bandLow: must be <= bandHigh/);
    expect(() => run(day1('A', A), { minStopPct: 12 })).toThrow(/params\.minStopPct: must be <= maxStopPct/);
    expect(() => run(day1('A', A), { k: 0 })).toThrow(/params\.k/);
    const noVolume = makeBarSeries({ symbol: 'A', timeMs: Float64Array.of(DAY1), open: Float64Array.of(1), high: Float64Array.of(1), low: Float64Array.of(1), close: Float64Array.of(1) });
    expect(() => run(noVolume)).toThrow(/A has no volume/);
  });

  it('is registered after signal-filter', () => {
    expect([...STRATEGIES.keys()].slice(0, 4)).toEqual(['sma-cross', 'channel-breakout', 'signal-filter', 'swing-break']);
    expect(findStrategy('swing-break')).toBe(swingBreak);
  });
});

describe('intradayBars', () => {
  it('minute bars 09:16–15:30 UTC on weekdays, on the tick grid, consistent OHLC, deterministic per seed', () => {
    const [x, y] = intradayBars({ symbols: ['X', 'Y'], sessions: 3, seed: 1, startMs: Date.UTC(2024, 0, 5) }); // a Friday
    expect(x!.length).toBe(3 * 375);
    expect(new Date(x!.timeMs[0]!).toISOString()).toBe('2024-01-05T09:16:00.000Z');
    expect(new Date(x!.timeMs[374]!).toISOString()).toBe('2024-01-05T15:30:00.000Z');
    expect(new Date(x!.timeMs[375]!).toISOString()).toBe('2024-01-08T09:16:00.000Z'); // Monday
    for (const s of [x!, y!]) {
      for (let i = 0; i < s.length; i++) {
        const [o, h, l, c] = [s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!];
        expect(l <= Math.min(o, c) && h >= Math.max(o, c) && l > 0).toBe(true);
        for (const p of [o, h, l, c]) expect(Math.abs(p / 0.05 - Math.round(p / 0.05))).toBeLessThan(1e-6);
        expect(s.volume![i]).toBeGreaterThanOrEqual(1);
      }
    }
    expect(intradayBars({ symbols: ['X', 'Y'], sessions: 3, seed: 1, startMs: Date.UTC(2024, 0, 5) })).toEqual([x, y]);
    // Adding a symbol leaves the others' bars as they were.
    expect(intradayBars({ symbols: ['X'], sessions: 3, seed: 1, startMs: Date.UTC(2024, 0, 5) })[0]).toEqual(x);
    expect(intradayBars({ symbols: ['X'], sessions: 3, seed: 2, startMs: Date.UTC(2024, 0, 5) })[0]!.close).not.toEqual(x!.close);
  });
});

describe('swing-break golden (intradayBars seed 7, minuteVol 0.006: 3 symbols, 2 groups, 5 sessions; full risk block)', () => {
  const data = intradayBars({ symbols: ['CE1', 'CE2', 'PE1'], sessions: 5, seed: 7, startPrices: [180, 220, 200], minuteVol: 0.006 });
  const groups = { CE1: 'CE', CE2: 'CE', PE1: 'PE' };
  const risk: RiskOptions = { maxOpenPositions: 2, maxPositionsPer: { group: 1 }, groups, dailyLossR: 5, dailyProfitR: 5, riskPerTrade: 1000 };
  const golden = () =>
    runBacktest({ data, strategy: swingBreakWithGroups('CE1:CE,CE2:CE,PE1:PE'), params: {}, options: { initialCapital: 1_000_000, risk } });
  const r = golden();
  const minuteOf = (ms: number) => Math.floor((ms % DAY_MS) / MINUTE_MS);

  it('takes the groups from the `groups` parameter as well (same run), and names a bad mapping', () => {
    const viaParam = runBacktest({ data, strategy: swingBreak, params: { groups: 'CE1:CE,CE2:CE,PE1:PE' }, options: { initialCapital: 1_000_000, risk } });
    expect(viaParam.digest).toBe(r.digest);
    expect(() => runBacktest({ data, strategy: swingBreak, params: { groups: 'CE1' }, options: { risk } })).toThrow('params.groups');
  });

  it('pins trades, final equity and digest', () => {
    expect(r.metrics.tradesClosed).toBe(13);
    expect(r.metrics.tradesOpen).toBe(0);
    expect(Math.abs(r.metrics.finalEquity - 998_790.5)).toBeLessThan(1e-6);
    expect(r.trades.filter((t) => t.exitTag === 'stop-loss').length).toBe(9);
    expect(r.trades.filter((t) => t.exitTag === SESSION_END_TAG).length).toBe(4);
    // [entry, exit (UTC), symbol, qty, entry price, exit price, exit tag] of the first three.
    expect(r.trades.slice(0, 3).map((t) => [new Date(t.entryTimeMs).toISOString().slice(5, 16), new Date(t.exitTimeMs!).toISOString().slice(5, 16), t.instrumentId, t.qty, t.entryPrice, t.exitPrice, t.exitTag])).toEqual([
      ['01-02T13:39', '01-02T13:45', 'CE1', 285, 163.2, 166.7, 'stop-loss'],
      ['01-02T14:14', '01-02T14:56', 'CE1', 204, 162.2, 167.1, 'stop-loss'],
      ['01-02T15:09', '01-02T15:14', 'CE1', 246, 163.8, 167.85, 'stop-loss'],
    ]);
    // The risk block at work: a session halted on its profit (+6.54 R, flat already: the
    // session-end close filled on the same bar), entries refused at the position limits.
    expect(trace(r).filter((e) => e[1] === 'halted' || e[1] === 'resumed' || e[1] === 'rejected')).toEqual([
      [1101, 'rejected', 20, 'ORDER_REJECTED: max positions per group 1 reached for CE'],
      [1124, 'halted', 'HALTED: daily profit 6.54R > 5R'],
      [1125, 'resumed', 'RESUMED: new session'],
      [1443, 'rejected', 44, 'ORDER_REJECTED: max positions 2 reached'],
    ]);
    expect(r.digest).toBe('fb396bba9d6b1bd83b1feff6778f27d9434a2e6787eb46cf26bce2cfb7fda382');
  });

  it('invariants: shorts with their stop recorded, −1 R at the stop, flat by each session end, the position limits held', () => {
    for (const t of r.trades) {
      expect(t.side).toBe('short');
      // Fixed-R sizing; no gaps inside a session, so the risk at the fill is at most 1 R.
      expect(t.initialRisk!).toBeGreaterThan(0);
      expect(t.initialRisk!).toBeLessThanOrEqual(1000);
      if (t.exitTag === 'stop-loss') expect(t.pnl / t.initialRisk!).toBeCloseTo(-1, 9);
      expect(Math.floor(t.exitTimeMs! / DAY_MS)).toBe(Math.floor(t.entryTimeMs / DAY_MS));
      expect(minuteOf(t.exitTimeMs!)).toBeLessThanOrEqual(930);
    }
    // Open lots per step: at most 2 in all and 1 per group.
    for (let step = 0; step < 1875; step++) {
      const open = r.trades.filter((t) => t.entryStep <= step && step < t.exitStep!);
      expect(open.length).toBeLessThanOrEqual(2);
      expect(new Set(open.map((t) => groups[t.instrumentId as keyof typeof groups])).size).toBe(open.length);
    }
    expect(golden().digest).toBe(r.digest);
  });

  it('no look-ahead: the run on the first n bars makes exactly the decisions of the full run up to bar n', () => {
    const full = trace(r);
    for (const n of [400, 1101, 1443, 1700]) {
      const cut = runBacktest({ data: data.map((s) => sliceBars(s, 0, n)), strategy: swingBreakWithGroups('CE1:CE,CE2:CE,PE1:PE'), params: {}, options: { initialCapital: 1_000_000, risk } });
      expect(trace(cut)).toEqual(full.filter((e) => (e[0] as number) < n));
    }
  });
});
