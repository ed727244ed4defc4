import { describe, expect, it } from 'vitest';
import { makeBarSeries, type BarSeries } from './bars.js';
import { runBacktest, type BacktestResult } from './backtest.js';
import type { StrategyContext } from './context.js';
import type { EngineOptions } from './engine-config.js';
import type { EngineEvent } from './events.js';
import { defineStrategy } from './strategy.js';
import { ConfigError } from './config-error.js';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2024, 0, 1);

/** Daily bars (each its own session): open = close = the given price, high/low ±1, optional vix. */
function dailyBars(prices: readonly number[], vix?: readonly number[]): BarSeries {
  const time = Float64Array.from(prices, (_, i) => START_MS + i * DAY_MS);
  const p = Float64Array.from(prices);
  return makeBarSeries({
    symbol: 'TEST',
    timeMs: time,
    open: p,
    high: p.map((v) => v + 1),
    low: p.map((v) => v - 1),
    close: Float64Array.from(p),
    ...(vix === undefined ? {} : { extras: { vix: Float64Array.from(vix) } }),
  });
}

/** Buys `qty` at market whenever flat, closes whenever long: an entry attempt every other bar. */
const flipper = defineStrategy({
  name: 'flipper',
  description: 'test: buy when flat, close when long',
  params: { qty: { type: 'int', default: 1, min: 1, max: 1_000_000, description: 'units per entry' } },
  create: (p) => ({
    onBar(ctx: StrategyContext): void {
      if (ctx.position() > 0) ctx.closePosition(undefined, 'exit');
      else ctx.buy({ qty: p.qty, tag: 'entry' });
    },
  }),
});

/** Buys `qty` whenever flat and never sells. */
const holder = defineStrategy({
  name: 'holder',
  description: 'test: buy when flat, hold',
  params: { qty: { type: 'int', default: 1, min: 1, max: 1_000_000, description: 'units per entry' } },
  create: (p) => ({
    onBar(ctx: StrategyContext): void {
      if (ctx.position() === 0) ctx.buy({ qty: p.qty, tag: 'entry' });
    },
  }),
});

function run(bars: BarSeries, options: EngineOptions, qty = 1): BacktestResult {
  return runBacktest({ data: bars, strategy: flipper, params: { qty }, options: { initialCapital: 10_000, ...options } });
}

const of = <K extends EngineEvent['kind']>(events: readonly EngineEvent[], kind: K) =>
  events.filter((e): e is Extract<EngineEvent, { kind: K }> => e.kind === kind);

describe('regime filter on entries', () => {
  // vix 10 = very_low, 25 = high (default buckets 12/16/20/30).
  const bars = dailyBars([100, 100, 100, 100, 100, 100, 100, 100, 100, 100], [10, 10, 10, 25, 25, 25, 10, 10, 10, 10]);
  const result = run(bars, { regimes: { vol: { source: 'column', allow: ['very_low'] } } });

  it('accepts entries only in allowed regimes; exits always run', () => {
    // Flat at steps 0, 2, 4, 5, 6, 8: entries at 4 and 5 (vix 25) are refused; the exit at step 3
    // (vix 25) still runs.
    const rejected = of(result.events, 'OrderRejected');
    expect(rejected.map((e) => [e.step, e.reason])).toEqual([
      [4, 'ORDER_REJECTED: regime vol=high not in [very_low]'],
      [5, 'ORDER_REJECTED: regime vol=high not in [very_low]'],
    ]);
    const fills = of(result.events, 'OrderFilled').map((e) => [e.step, e.fill.side]);
    expect(fills).toEqual([[1, 'buy'], [2, 'sell'], [3, 'buy'], [4, 'sell'], [7, 'buy'], [8, 'sell'], [9, 'buy']]);
  });

  it('records every regime change as an event', () => {
    const changes = of(result.events, 'RegimeChanged').filter((e) => e.dimension === 'vol');
    expect(changes.map((e) => [e.step, e.from, e.to])).toEqual([
      [0, 'unknown', 'very_low'],
      [3, 'very_low', 'high'],
      [6, 'high', 'very_low'],
    ]);
  });

  it('reports per-regime bars and trades (by the regime of the entry fill bar)', () => {
    // Closed trades entered (filled) at steps 1 (vix 10), 3 (vix 25) and 7 (vix 10); the one
    // entered at step 9 is still open.
    const vol = result.regimes!.vol;
    expect(vol.map((r) => [r.regime, r.bars, r.trades])).toEqual([
      ['very_low', 7, 2],
      ['high', 3, 1],
    ]);
  });

  it('leaves the run unchanged when no regime is filtered', () => {
    const plain = run(bars, {});
    const classified = run(bars, { regimes: {} });
    expect(classified.digest).toBe(plain.digest);
    expect(plain.regimes).toBeUndefined();
    expect(classified.regimes).toBeDefined();
  });

  it('names the bad field of a regimes block', () => {
    expect(() => run(bars, { regimes: { vol: ['hi'] } })).toThrow(ConfigError);
    expect(() => run(bars, { regimes: { vol: ['hi'] } })).toThrow('regimes.vol[0]: "hi" is not a vol regime');
    expect(() => run(bars, { regimes: { trend: { allow: ['flat'] } } } as EngineOptions)).toThrow('regimes.trend.allow[0]');
  });
});

describe('risk manager in the engine', () => {
  it('rejects an entry above the notional limit and lets exits through', () => {
    // qty 10 at 100 = 1,000 notional > 500.
    const r = run(dailyBars([100, 100, 100]), { risk: { maxNotionalPerOrder: 500 } }, 10);
    const rejected = of(r.events, 'OrderRejected');
    expect(rejected).toHaveLength(3);
    expect(rejected[0]!.reason).toMatch(/^ORDER_REJECTED: .*notional/);
    expect(of(r.events, 'OrderFilled')).toHaveLength(0);
  });

  it('halts on the daily loss limit, refuses entries while halted, resumes next session', () => {
    // 90 units bought at 100 (fill at step 1); the strategy's exit fills at step 2's open, 95: the
    // day loses 90 × 5 = 450 of 10,000 = 4.5 % > 2 % → HALTED at step 2, and the strategy's new
    // entry at step 2 is refused. Step 3 is a new session: RESUMED, and the entry goes through.
    const r = run(dailyBars([100, 100, 95, 95, 95, 95]), { risk: { dailyLossPct: 2 } }, 90);
    expect(of(r.events, 'RiskHalted').map((e) => [e.step, e.reason, e.flatten, e.until])).toEqual([[2, 'HALTED: daily loss 4.5% > 2%', true, 'session']]);
    expect(of(r.events, 'RiskResumed').map((e) => [e.step, e.reason])).toEqual([[3, 'RESUMED: new session']]);
    const rejected = of(r.events, 'OrderRejected');
    expect(rejected.map((e) => e.step)).toEqual([2]);
    expect(rejected[0]!.reason).toMatch(/^ORDER_REJECTED: halted \(daily loss 4\.5% > 2%\)/);
    expect(of(r.events, 'OrderFilled').map((e) => [e.step, e.fill.side])).toEqual([
      [1, 'buy'],
      [2, 'sell'],
      [4, 'buy'],
      [5, 'sell'],
    ]);
  });

  it('flattens an open position at the next open when a halt says so', () => {
    // Buy and hold 90 units: bought at 100 (step 1), marked at 95 at step 2 → 4.5 % daily loss →
    // the risk manager closes the position (tag "risk") at step 3's open, 95; at step 3, a new
    // session, the strategy buys again.
    const r = runBacktest({ data: dailyBars([100, 100, 95, 95, 95]), strategy: holder, params: { qty: 90 }, options: { initialCapital: 10_000, risk: { dailyLossPct: 2 } } });
    expect(of(r.events, 'OrderFilled').map((e) => [e.step, e.fill.side, e.fill.price, e.fill.tag])).toEqual([
      [1, 'buy', 100, 'entry'],
      [3, 'sell', 95, 'risk'],
      [4, 'buy', 95, 'entry'],
    ]);
  });

  it('frees the slot of an entry cancelled earlier in the same step (cancel and replace)', () => {
    // A limit entry rests far below the market from step 0; at step 2 the strategy cancels it and
    // places another: with maxOpenPositions 1 the replacement is accepted, a second one is not.
    let first = -1;
    const replacer = defineStrategy({
      name: 'replacer',
      description: 'test',
      params: {},
      create: () => ({
        onBar(ctx: StrategyContext): void {
          if (ctx.step === 0) first = ctx.buy({ qty: 1, type: 'limit', limitPrice: 50, tag: 'entry' });
          if (ctx.step === 2) {
            ctx.cancel(first);
            ctx.buy({ qty: 1, type: 'limit', limitPrice: 60, tag: 'replacement' });
            ctx.buy({ qty: 1, type: 'limit', limitPrice: 55, tag: 'extra' });
          }
        },
      }),
    });
    const r = runBacktest({ data: dailyBars([100, 100, 100, 100]), strategy: replacer, options: { risk: { maxOpenPositions: 1 } } });
    expect(of(r.events, 'OrderAccepted').map((e) => [e.step, e.tag])).toEqual([[0, 'entry'], [2, 'replacement']]);
    expect(of(r.events, 'OrderRejected').map((e) => [e.step, e.reason])).toEqual([[2, 'ORDER_REJECTED: max positions 1 reached']]);
  });
});
