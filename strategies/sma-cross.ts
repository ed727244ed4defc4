import type { StrategyContext } from '../engine/context.js';
import { RollingMean } from '../engine/indicators.js';
import { defineStrategy, type Strategy } from '../engine/strategy.js';

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
  create: (p) => new SmaCross(p.fast, p.slow, p.longOnly),
});

/** The entry requests (the engine reads a request when it is made and keeps none of it). */
const ALL_IN_UP = Object.freeze({ equityFraction: 1, tag: 'cross-up' });
const ALL_IN_DOWN = Object.freeze({ equityFraction: 1, tag: 'cross-down' });

/**
 * One running `sma-cross`. State lives in fields rather than closure variables: V8 keeps a number
 * field unboxed in place, while every store of a fractional number into a closure variable
 * allocates, and `onBar` runs on every bar.
 */
class SmaCross implements Strategy {
  private readonly fast: RollingMean;
  private readonly slow: RollingMean;
  private previousFast = Number.NaN;
  private previousSlow = Number.NaN;

  constructor(
    fastPeriod: number,
    slowPeriod: number,
    private readonly longOnly: boolean,
  ) {
    this.fast = new RollingMean(fastPeriod);
    this.slow = new RollingMean(slowPeriod);
  }

  onBar(ctx: StrategyContext): void {
    const close = ctx.data().close();
    const f = this.fast.update(close);
    const s = this.slow.update(close);
    // NaN comparisons are false, so nothing happens until both averages have a previous value.
    const crossUp = this.previousFast < this.previousSlow && f > s;
    const crossDown = this.previousFast > this.previousSlow && f < s;
    this.previousFast = f;
    this.previousSlow = s;
    if (crossUp || crossDown) this.act(ctx, crossUp);
  }

  /** On a cross (rare): kept out of `onBar`, which runs every bar and stays small. */
  private act(ctx: StrategyContext, crossUp: boolean): void {
    const position = ctx.position();
    if (crossUp) {
      if (position < 0) ctx.closePosition(undefined, 'cross-up');
      if (position <= 0) ctx.buy(ALL_IN_UP);
    } else {
      if (position > 0) ctx.closePosition(undefined, 'cross-down');
      if (!this.longOnly && position >= 0) ctx.sell(ALL_IN_DOWN);
    }
  }
}
