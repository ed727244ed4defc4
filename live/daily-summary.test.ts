import { describe, expect, it } from 'vitest';
import { makeBarSeries } from '../engine/bars.js';
import type { StrategyContext } from '../engine/context.js';
import { defineStrategy } from '../engine/strategy.js';
import { DailySummaries } from './daily-summary.js';
import { PaperSession } from './paper-session.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 2, 10);
/** Hourly bars over two days: 10:00, 11:00, 12:00 on Jan 2 and Jan 3; close = open = price. */
const times = [T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 24 * HOUR, T0 + 25 * HOUR, T0 + 26 * HOUR];
const prices = [100, 100, 110, 110, 105, 120];

/** Buys 10 at step 0 (stop 10 under the close: 100 of risk), closes at step 3, buys 10 at step 4 and holds. */
const script = defineStrategy({
  name: 'script', description: 'test', params: {},
  create: () => ({
    onBar(ctx: StrategyContext): void {
      if (ctx.step === 0 || ctx.step === 4) ctx.buy({ qty: 10, protectiveStop: ctx.data().close() - 10 });
      if (ctx.step === 3) ctx.closePosition();
    },
  }),
});

describe('DailySummaries', () => {
  it('summarises each session when the next one starts, and the last one at the end', () => {
    // No warm-up: every bar is live; steps are driven one message at a time.
    const empty = new Float64Array(0);
    const history = makeBarSeries({ symbol: 'X', timeMs: empty, open: empty, high: empty, low: empty, close: empty });
    const session = new PaperSession({ history: [history], warmupBars: 0, strategy: script, keepEvents: false });
    const days = new DailySummaries(session.engine);
    const seen: unknown[] = [];
    for (let i = 0; i < times.length; i++) {
      session.accept({ symbol: 'X', timeMs: times[i]!, open: prices[i]!, high: prices[i]! + 1, low: prices[i]! - 1, close: prices[i]! });
      const ended = days.afterStep();
      if (ended !== undefined) seen.push(ended);
    }
    const last = days.finish();
    // Jan 2: bought 10 at 100 (step 1's open), marked at 110 → equity 100,100; no trade closed.
    // Jan 3: the close ordered at step 3 fills at step 4's open, 105: +50 on 100 of risk = 0.5 R;
    // 10 bought again at step 5's open, 120, marked at 120 → equity 100,050, −50 on the day.
    expect(seen).toEqual([{ date: '2024-01-02', equity: 100_100, pnl: 100, trades: 0, r: 0 }]);
    expect(last).toEqual({ date: '2024-01-03', equity: 100_050, pnl: -50, trades: 1, r: 0.5 });
  });
});
