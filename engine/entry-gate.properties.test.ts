import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeBarSeries, type BarSeries } from './bars.js';
import { runBacktest } from './backtest.js';
import type { StrategyContext } from './context.js';
import { defineStrategy } from './strategy.js';

const DAY_MS = 86_400_000;
const SYMBOLS = ['A', 'B', 'C'];

/** Daily bars for each symbol from a list of close-to-close moves (in %). */
function series(moves: readonly (readonly number[])[]): BarSeries[] {
  return SYMBOLS.map((symbol, s) => {
    const n = moves.length;
    const close = new Float64Array(n);
    let price = 100;
    for (let i = 0; i < n; i++) close[i] = price = Math.max(1, price * (1 + moves[i]![s]! / 100));
    const open = close.map((c, i) => (i === 0 ? c : close[i - 1]!));
    return makeBarSeries({
      symbol,
      timeMs: Float64Array.from(close, (_, i) => Date.UTC(2024, 0, 1) + i * DAY_MS),
      open,
      high: open.map((o, i) => Math.max(o, close[i]!) + 0.5),
      low: open.map((o, i) => Math.max(0.5, Math.min(o, close[i]!) - 0.5)),
      close,
    });
  });
}

/** Per step, per symbol: 0 nothing, 1 market entry, 2 limit entry below the close, 3 close the position. */
function scripted(actions: readonly (readonly number[])[]) {
  return defineStrategy({
    name: 'scripted',
    description: 'test',
    params: {},
    create: () => ({
      onBar(ctx: StrategyContext): void {
        const row = actions[ctx.step];
        if (row === undefined) return;
        SYMBOLS.forEach((symbol, s) => {
          const a = row[s]!;
          if (a === 1) ctx.buy({ symbol, qty: 1, tag: 'entry' });
          else if (a === 2) ctx.buy({ symbol, qty: 1, type: 'limit', limitPrice: ctx.data(symbol).close() * 0.99, tag: 'entry' });
          else if (a === 3) ctx.closePosition(symbol, 'exit');
        });
      },
    }),
  });
}

const scenario = fc.integer({ min: 5, max: 40 }).chain((n) =>
  fc.record({
    moves: fc.array(fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: n, maxLength: n }),
    actions: fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }), { minLength: n, maxLength: n }),
  }),
);

describe('risk manager in the engine (properties)', () => {
  it('never holds more open positions (lots) than maxOpenPositions, resting limit entries included', () => {
    fc.assert(
      fc.property(scenario, ({ moves, actions }) => {
        const r = runBacktest({ data: series(moves), strategy: scripted(actions), options: { initialCapital: 1_000_000, risk: { maxOpenPositions: 2 } } });
        const lots = new Map<string, number>();
        let open = 0;
        for (const e of r.events) {
          if (e.kind !== 'OrderFilled') continue;
          const f = e.fill;
          if (f.side === 'buy') {
            lots.set(f.instrumentId, (lots.get(f.instrumentId) ?? 0) + 1);
            open++;
          } else {
            open -= lots.get(f.instrumentId) ?? 0;
            lots.set(f.instrumentId, 0);
          }
          expect(open).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('accepts no entry while halted (from RiskHalted to RiskResumed)', () => {
    fc.assert(
      fc.property(scenario, ({ moves, actions }) => {
        const r = runBacktest({ data: series(moves), strategy: scripted(actions), options: { initialCapital: 1_000, risk: { dailyLossPct: 1, maxDrawdownPct: 20 } } });
        let halted = false;
        for (const e of r.events) {
          if (e.kind === 'RiskHalted') halted = true;
          else if (e.kind === 'RiskResumed') halted = false;
          else if (e.kind === 'OrderAccepted' && e.tag === 'entry') expect(halted).toBe(false);
        }
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});
