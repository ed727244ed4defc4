import type { StrategyContext } from '../engine/context.js';
import { RollingMean } from '../engine/indicators.js';
import { defineStrategy } from '../engine/strategy.js';

/**
 * Moving-average crossover on the primary symbol's closes.
 *
 * `fast` and `slow` are simple moving averages of close including the current bar. A cross up at
 * bar t is `fast[t-1] < slow[t-1] && fast[t] > slow[t]`; a cross down is the mirror. On a cross up
 * while flat: buy with all available equity at the next open, sized
 * `floor(cash / (open × (1 + commissionRate)))`. On a cross down while long: sell everything at
 * the next open. With `longOnly: false` a cross down also opens a short of all equity (and a cross
 * up closes it first). A position open at the end stays open, marked at the last close.
 */
export const smaCross = defineStrategy({
  name: 'sma-cross',
  description: 'Long (or long/short) on simple-moving-average crossovers of close; all equity at the next open',
  params: {
    fast: { type: 'int', default: 10, min: 1, max: 10_000, step: 5, description: 'fast SMA period, bars' },
    slow: { type: 'int', default: 30, min: 2, max: 10_000, step: 10, description: 'slow SMA period, bars' },
    longOnly: { type: 'boolean', default: true, description: 'only long positions; false also trades short on cross down' },
  },
  check: (p) => (p.fast < p.slow ? undefined : { path: 'params.fast', problem: `must be < slow (${p.slow}), was ${p.fast}` }),
  create: (p) => {
    const fast = new RollingMean(p.fast);
    const slow = new RollingMean(p.slow);
    let previousFast = Number.NaN;
    let previousSlow = Number.NaN;
    // On a cross (rare): out of onBar, which runs every bar and is kept small.
    const act = (ctx: StrategyContext, crossUp: boolean): void => {
      const position = ctx.position();
      if (crossUp) {
        if (position < 0) ctx.closePosition(undefined, 'cross-up');
        if (position <= 0) ctx.buy({ equityFraction: 1, tag: 'cross-up' });
      } else {
        if (position > 0) ctx.closePosition(undefined, 'cross-down');
        if (!p.longOnly && position >= 0) ctx.sell({ equityFraction: 1, tag: 'cross-down' });
      }
    };
    return {
      onBar(ctx: StrategyContext): void {
        const close = ctx.data().close();
        const f = fast.update(close);
        const s = slow.update(close);
        // NaN comparisons are false, so nothing happens until both averages have a previous value.
        const crossUp = previousFast < previousSlow && f > s;
        const crossDown = previousFast > previousSlow && f < s;
        previousFast = f;
        previousSlow = s;
        if (crossUp || crossDown) act(ctx, crossUp);
      },
    };
  },
});
