import type { StrategyContext } from '../engine/context.js';
import { RollingExtreme } from '../engine/indicators.js';
import type { BracketIds } from '../engine/order-manager.js';
import type { Order } from '../engine/order.js';
import { equityFractionQuantity, fixedRiskQuantity } from '../engine/sizing.js';
import { defineStrategy } from '../engine/strategy.js';

/** Price increment used to round every order price (equity-style 0.01). */
const TICK = 0.01;
const TICKS_PER_UNIT = 100;
/** Tolerance in ticks so a price already on the grid (1478.000000 in the CSV) is not pushed a tick away by float noise. */
const ON_GRID = 1e-6;

const ceilToTick = (price: number): number => Math.ceil(price * TICKS_PER_UNIT - ON_GRID) / TICKS_PER_UNIT;
const floorToTick = (price: number): number => Math.floor(price * TICKS_PER_UNIT + ON_GRID) / TICKS_PER_UNIT;
const nearestTick = (price: number): number => Math.round(price * TICKS_PER_UNIT) / TICKS_PER_UNIT;

/** One side's working bracket (ids as returned by `ctx.bracket`). */
interface Slot {
  readonly side: 'buy' | 'sell';
  ids: BracketIds | undefined;
}

/** Prices and size of the bracket a slot should have working right now. */
interface Plan {
  readonly entryPrice: number;
  readonly takeProfit: number;
  readonly stopLoss: number;
  readonly qty: number;
}

interface Settings {
  readonly entry: string;
  readonly stopLossPct: number;
  readonly takeProfitPct: number;
  readonly riskPct: number;
}

/**
 * The bracket for `side` given the channel: entry price, exits rounded to the nearest tick, and
 * the fixed-risk quantity capped at what equity buys at the entry price. `qty` is 0 when nothing
 * should be working (size rounds to 0, or a price would not be positive).
 */
function planFor(side: 'buy' | 'sell', high: number, low: number, s: Settings, equity: number, commissionRate: number): Plan {
  const long = side === 'buy';
  let entryPrice: number;
  if (s.entry === 'stop') entryPrice = long ? ceilToTick(high) + TICK : floorToTick(low) - TICK;
  else entryPrice = long ? floorToTick(low) : ceilToTick(high);
  entryPrice = nearestTick(entryPrice); // 1478.00 + 0.01 in binary is not 1478.01; snap to the grid value
  const sign = long ? 1 : -1;
  const stopLoss = nearestTick(entryPrice * (1 - (sign * s.stopLossPct) / 100));
  const takeProfit = nearestTick(entryPrice * (1 + (sign * s.takeProfitPct) / 100));
  if (!(entryPrice > 0 && stopLoss > 0 && takeProfit > 0)) return { entryPrice, takeProfit, stopLoss, qty: 0 };
  const cap = equityFractionQuantity({ equity, fraction: 1, price: entryPrice, multiplier: 1, commissionRate, lotSize: 1 });
  const qty = fixedRiskQuantity({
    riskAmount: (equity * s.riskPct) / 100,
    // Both prices are on the grid, so the distance is too; snapping it keeps 1000 / (100 − 98) at
    // 500 instead of 499 when the subtraction leaves binary noise below the true value.
    stopDistance: nearestTick(Math.abs(entryPrice - stopLoss)),
    multiplier: 1,
    lotSize: 1,
    maxLots: cap,
  });
  return { entryPrice, takeProfit, stopLoss, qty };
}

const isWorking = (order: Readonly<Order> | undefined): order is Readonly<Order> => order?.status === 'working';

/**
 * Donchian-channel entries with bracket exits on the primary symbol, one position at a time.
 *
 * Channel: `high` = highest high and `low` = lowest low of the last `lookback` bars, the current
 * bar included; nothing happens until `lookback` bars have been seen. All prices are on a 0.01
 * tick grid.
 *
 * Entry price (long side):
 * - `entry: 'stop'` (breakout): buy-stop at `ceilTick(high) + 0.01`, one tick above the channel
 *   high, rounded up. It fills at the stop when a later bar trades through it, or at the open when
 *   that bar gaps above it.
 * - `entry: 'limit'` (pullback): buy-limit at `floorTick(low)`, the channel low rounded down. It
 *   fills at the limit when a later bar trades down to it, or at the open when that bar gaps below.
 *
 * Exits, from the entry *order's* price P (not the fill price, which differs after a gap), rounded
 * to the nearest tick: stop-loss `P × (1 − stopLossPct/100)`, take-profit
 * `P × (1 + takeProfitPct/100)`. They are the bracket's dormant OCO pair, reduce-only, `gtc`, and
 * work from the entry's fill on (on an intrabar entry bar only the stop-loss can fill — see
 * `engine/fill-rules.ts`; a bar touching both exits takes the engine's ambiguity rule, stop-first
 * by default).
 *
 * Size: `fixedRiskQuantity` of `riskAmount = equity × riskPct/100` over the stop distance
 * `|P − stopLoss|` in whole units (multiplier 1, lot 1), capped at
 * `floor(equity / (P × (1 + commissionRate)))` so the position never exceeds equity (no leverage).
 * `equity` is the account equity at the current close. No order is placed when it sizes to 0.
 * (A stop entry that gaps far above P can still exceed equity; the broker then refuses the fill.)
 *
 * Each bar, after the channel is known:
 * - in a position: nothing, except that the other side's working entry (with `longOnly: false`)
 *   is cancelled — the exits manage the position; a position open at the end stays open;
 * - flat, no entry working: exits left working by an earlier bracket are cancelled, then a new
 *   bracket `ctx.bracket({ type, stopPrice | limitPrice, qty, takeProfit, stopLoss, tif,
 *   tag: 'entry' })` is submitted (when its qty > 0);
 * - flat, entry working: when the plan differs, `ctx.modify` moves the entry's price and qty and
 *   the dormant exits' prices to the new plan (no cancel + replace); when the plan sizes to 0 the
 *   entry is cancelled (its dormant exits with it).
 *
 * `tif` is the entry's time in force. A `day` entry expires when the broker sees a bar of a later
 * session; the next bar's `onBar` then submits a fresh one — on daily bars that is every other bar
 * (placed at t, works on t+1, expires at t+2, replacement works on t+3).
 *
 * `longOnly: false` adds the mirrored short side as a second slot: sell-stop at
 * `floorTick(low) − 0.01` (stop) or sell-limit at `ceilTick(high)` (limit), stop-loss above and
 * take-profit below P by the same percentages, sized the same way. Both brackets work while flat;
 * once one entry has filled, the other entry is cancelled at that bar's close. If one bar fills
 * both entries (a range through both sides of the channel), both fills stand and net out (a
 * residual of the larger size remains); both exit pairs stay working, reduce-only, so an exit on
 * the wrong side is cancelled when it triggers, and exits still working once flat are cancelled.
 */
export const channelBreakout = defineStrategy({
  name: 'channel-breakout',
  description: 'Donchian channel breakout (stop) or pullback (limit) entries with stop-loss/take-profit brackets, fixed-risk sized',
  params: {
    lookback: { type: 'int', default: 20, min: 1, max: 10_000, step: 5, description: 'channel length, bars (current bar included)' },
    entry: {
      type: 'enum',
      values: ['stop', 'limit'],
      default: 'stop',
      description: 'stop: buy-stop one tick above the channel high (breakout); limit: buy-limit at the channel low (pullback)',
    },
    stopLossPct: { type: 'number', default: 2, min: 0.01, max: 50, step: 0.5, description: 'stop-loss distance from the entry order price, %' },
    takeProfitPct: { type: 'number', default: 4, min: 0.01, max: 1_000, step: 1, description: 'take-profit distance from the entry order price, %' },
    riskPct: { type: 'number', default: 1, min: 0.01, max: 100, step: 0.25, description: 'equity risked per trade (loss at the stop-loss), %' },
    tif: { type: 'enum', values: ['day', 'gtc'], default: 'gtc', description: 'time in force of the entry order' },
    longOnly: { type: 'boolean', default: true, description: 'only long entries; false adds the mirrored short side' },
  },
  check: (p) =>
    !p.longOnly && p.takeProfitPct >= 100
      ? { path: 'params.takeProfitPct', problem: `must be < 100 when longOnly is false (a short's target must stay above 0), was ${p.takeProfitPct}` }
      : undefined,
  create: (p) => {
    const highs = new RollingExtreme(p.lookback, 'max');
    const lows = new RollingExtreme(p.lookback, 'min');
    const slots: Slot[] = p.longOnly ? [{ side: 'buy', ids: undefined }] : [{ side: 'buy', ids: undefined }, { side: 'sell', ids: undefined }];
    const type = p.entry === 'stop' ? 'stop' : 'limit';
    const tif = p.tif === 'day' ? 'day' : 'gtc';

    const manage = (ctx: StrategyContext, slot: Slot, plan: Plan): void => {
      const ids = slot.ids;
      const entry = ids === undefined ? undefined : ctx.order(ids.entryId);
      if (!isWorking(entry)) {
        if (ids !== undefined) cancelIfWorking(ctx, ids.takeProfitId, ids.stopLossId);
        slot.ids = undefined;
        if (plan.qty <= 0) return;
        slot.ids = ctx.bracket({
          side: slot.side,
          type,
          stopPrice: type === 'stop' ? plan.entryPrice : undefined,
          limitPrice: type === 'limit' ? plan.entryPrice : undefined,
          qty: plan.qty,
          takeProfit: plan.takeProfit,
          stopLoss: plan.stopLoss,
          tif,
          tag: 'entry',
        });
        return;
      }
      if (plan.qty <= 0) {
        ctx.cancel(entry.id);
        return;
      }
      const workingPrice = type === 'stop' ? entry.stopPrice : entry.limitPrice;
      const workingQty = entry.quantity.kind === 'fixed' ? entry.quantity.qty : Number.NaN;
      if (workingPrice === plan.entryPrice && workingQty === plan.qty) return;
      ctx.modify(entry.id, type === 'stop' ? { stopPrice: plan.entryPrice, qty: plan.qty } : { limitPrice: plan.entryPrice, qty: plan.qty });
      if (ids!.takeProfitId !== undefined) ctx.modify(ids!.takeProfitId, { limitPrice: plan.takeProfit });
      if (ids!.stopLossId !== undefined) ctx.modify(ids!.stopLossId, { stopPrice: plan.stopLoss });
    };

    return {
      onBar(ctx: StrategyContext): void {
        const data = ctx.data();
        const high = highs.update(data.high());
        const low = lows.update(data.low());
        if (Number.isNaN(high) || Number.isNaN(low)) return;
        if (ctx.position() !== 0) {
          // One position at a time: the side that did not fill stops working.
          for (const slot of slots) if (slot.ids !== undefined && isWorking(ctx.order(slot.ids.entryId))) ctx.cancel(slot.ids.entryId);
          return;
        }
        const equity = ctx.equity;
        for (const slot of slots) manage(ctx, slot, planFor(slot.side, high, low, p, equity, ctx.commissionRate));
      },
    };
  },
});

function cancelIfWorking(ctx: StrategyContext, ...ids: (number | undefined)[]): void {
  for (const id of ids) if (id !== undefined && isWorking(ctx.order(id))) ctx.cancel(id);
}
