import type { StrategyContext } from '../engine/context.js';
import type { Fill } from '../engine/fill.js';
import type { ParamSchema, ParamsOf } from '../engine/params.js';
import { equityFractionQuantity, fixedRiskQuantity } from '../engine/sizing.js';
import { defineStrategy, type Strategy } from '../engine/strategy.js';
import type { SymbolData } from '../engine/symbol-data.js';

const DAY_MS = 86_400_000;
/** Bps per unit of a rate: a commission rate of 0.0005 is 5 bps a side. */
const BPS = 10_000;
/** The adaptive threshold never rises above this (a threshold of 1 would stop trading for good). */
const MAX_CONFIDENCE = 0.99;
/** Columns the strategy reads, and what a missing one should hold. */
const COLUMNS = [
  ['signal', 'the model output: direction −1/0/+1, or expected return in bps'],
  ['confidence', 'the model confidence, 0..1'],
] as const;

/** One change of the adaptive confidence threshold (see `adaptive`). */
export interface ThresholdChange {
  /** Step of the fill that closed the trade which moved the threshold. */
  readonly step: number;
  /** Time of that step, epoch ms UTC. */
  readonly timeMs: number;
  /** Effective minimum confidence before and after (0..1). */
  readonly from: number;
  readonly to: number;
  /** Win rate of the last `adaptiveWindow` closed trades at that moment, %. */
  readonly winRatePct: number;
}

/** Parameter schema of {@link signalFilter}. */
const PARAMS = {
  signalKind: {
    type: 'enum',
    values: ['direction', 'bps'],
    default: 'direction',
    description: 'direction: the signal column is −1/0/+1; bps: it is the expected return in bps (its size is the edge)',
  },
  minConfidence: { type: 'number', default: 0.6, min: 0, max: 1, step: 0.05, description: 'lowest confidence (0..1) to enter' },
  minEdgeBps: { type: 'number', default: 0, min: 0, max: 10_000, step: 5, description: 'lowest expected edge after round-trip costs to enter, bps' },
  assumedEdgeBps: {
    type: 'number',
    default: 20,
    min: 0,
    max: 10_000,
    step: 5,
    description: 'expected edge of a direction signal before costs, bps (unused for bps signals)',
  },
  costBps: { type: 'number', default: 0, min: 0, max: 10_000, step: 1, description: 'round-trip slippage and spread estimate on top of commission, bps' },
  allowShort: { type: 'boolean', default: false, description: 'also short on a negative signal; false: a negative signal only ends a long' },
  holdBars: { type: 'int', default: 0, min: 0, max: 1_000_000, step: 1, description: 'exit after this many bars in a position; 0 = no time exit' },
  maxTradesPerDay: { type: 'int', default: 0, min: 0, max: 1_000_000, step: 1, description: 'most entries placed per UTC day; 0 = no limit' },
  minBarsBetweenTrades: { type: 'int', default: 0, min: 0, max: 1_000_000, step: 1, description: 'fewest bars from one entry order to the next' },
  riskPct: { type: 'number', default: 1, min: 0.01, max: 100, step: 0.25, description: 'equity lost at the stop-loss per trade, %' },
  stopPct: { type: 'number', default: 2, min: 0.01, max: 50, step: 0.5, description: 'stop-loss distance from the decision bar close, %' },
  adaptive: { type: 'boolean', default: false, description: 'raise the minimum confidence while the recent win rate is below target' },
  adaptiveWindow: { type: 'int', default: 50, min: 1, max: 10_000, step: 5, description: 'closed trades in the rolling win rate' },
  targetWinRatePct: { type: 'number', default: 50, min: 0, max: 100, step: 5, description: 'win rate below which the threshold rises, %' },
  adaptiveStep: { type: 'number', default: 0.02, min: 0.001, max: 1, step: 0.01, description: 'threshold change per closed trade (confidence units)' },
} satisfies ParamSchema;

/** Resolved parameters of {@link signalFilter}. */
type Params = ParamsOf<typeof PARAMS>;

/**
 * Trades the output of a model on the primary symbol, one position at a time: the data's `signal`
 * column (a direction −1/0/+1, or with `signalKind: 'bps'` an expected return in bps; only its
 * sign sets the direction, NaN counts as 0) and `confidence` column (0..1). The signal of bar t is
 * a forecast for the bars after t; orders placed at its close fill at the open of bar t+1.
 *
 * Entry (while flat, or on a flip) in the signal's direction — short only with `allowShort` —
 * when all hold at bar t:
 * - `confidence ≥` the effective minimum confidence (`minConfidence`, or the adaptive one);
 * - net edge `edge − costs ≥ minEdgeBps`, where `edge` is `|signal|` for bps signals and
 *   `assumedEdgeBps` for direction signals, and `costs = 2 × commissionRate × 10 000 + costBps`
 *   (round-trip commission of the run plus the user's round-trip slippage/spread estimate);
 * - fewer than `maxTradesPerDay` entries placed so far on bar t's UTC day (0 = no limit), and at
 *   least `minBarsBetweenTrades` bars since the last entry was placed;
 * - the size is at least one unit.
 *
 * Size: `fixedRiskQuantity` of `equity × riskPct/100` over the stop distance
 * `close(t) × stopPct/100`, whole units, capped at what equity buys at `close(t)` (no leverage).
 * The order is `ctx.bracket` with a market entry (tag `long`/`short`) and a stop-loss at
 * `close(t) ∓ distance` (not rounded to a tick), so the stop is a real order and the trade
 * carries `initialRisk`. The stop is set from bar t's close: after a gap the risk at the actual
 * fill differs by the gap.
 *
 * Exit (market, next open), checked before entries: the signal flips (tag `flip`; a negative
 * signal also ends a long when shorts are off), goes to 0 (`signal-zero`), or the position has
 * been held `holdBars` bars (`time`; held bars count from the entry's fill bar, so
 * `exitStep − entryStep = holdBars`; 0 = no time exit). On a flip the opposite entry is tried at
 * once (same filters); after a `time` exit the next entry waits for the next bar. The bracket's
 * stop is cancelled with every exit. A position open at the end stays open.
 *
 * `adaptive: true` tracks the net P&L of each closed trade from the fills. Each time a trade
 * closes and at least `adaptiveWindow` trades have closed, the win rate (P&L > 0) over the last
 * `adaptiveWindow` trades is compared with `targetWinRatePct`: below it the effective minimum
 * confidence rises by `adaptiveStep` (at most 0.99), above it it falls back by `adaptiveStep`
 * (never below `minConfidence`), equal leaves it. Every change is appended to the instance's
 * `thresholdChanges`.
 */
export const signalFilter = defineStrategy({
  name: 'signal-filter',
  description: 'Trades a model signal (direction or bps) filtered by confidence and edge after costs; stop-loss brackets, fixed-risk sized',
  params: PARAMS,
  check: (p) => {
    if (p.signalKind === 'direction' && p.assumedEdgeBps - p.costBps < p.minEdgeBps) {
      return {
        path: 'params.assumedEdgeBps',
        problem: `must be >= minEdgeBps + costBps (${p.minEdgeBps + p.costBps}) or direction signals never trade, was ${p.assumedEdgeBps}`,
      };
    }
    if (p.adaptive && p.minConfidence >= MAX_CONFIDENCE) {
      return { path: 'params.minConfidence', problem: `must be < ${MAX_CONFIDENCE} with adaptive: true (the threshold cannot rise above it), was ${p.minConfidence}` };
    }
    return undefined;
  },
  create: (p) => (p.adaptive ? new AdaptiveSignalFilter(p) : new SignalFilter(p)),
});

/**
 * One running `signal-filter`. State lives in number fields (unboxed by V8), not closure
 * variables; `onBar` only reads the signal and decides whether anything happens, the rest is in
 * separate methods.
 */
export class SignalFilter implements Strategy {
  /** Changes of the effective minimum confidence, in order (empty unless `adaptive`). */
  readonly thresholdChanges: ThresholdChange[] = [];
  /** Effective minimum confidence now (0..1). */
  protected minConfidenceNow = 0;
  protected readonly params: Params;
  private readonly bps: boolean;
  private readonly holdBars: number;
  /** Round-trip costs in bps (set in `init`, from the run's commission rate). */
  private costsBps = 0;
  /** Bar index of the last entry order (decision bar). */
  private entryIndex = Number.NEGATIVE_INFINITY;
  /** UTC day number of `entriesToday`. */
  private day = Number.NaN;
  private entriesToday = 0;
  /** Stop-loss order of the current bracket, -1 when none. */
  private stopId = -1;

  constructor(params: Params) {
    this.params = params;
    this.bps = params.signalKind === 'bps';
    this.holdBars = params.holdBars;
    this.minConfidenceNow = params.minConfidence;
  }

  /** Effective minimum confidence now (0..1). */
  get confidenceThreshold(): number {
    return this.minConfidenceNow;
  }

  init(ctx: StrategyContext): void {
    const data = ctx.data();
    for (const [column, meaning] of COLUMNS) if (!data.has(column)) throw missingColumn(data, column, meaning);
    this.costsBps = 2 * ctx.commissionRate * BPS + this.params.costBps;
  }

  onBar(ctx: StrategyContext): void {
    const data = ctx.data();
    if (!data.updated) return; // another symbol's bar: nothing new to decide on
    const signal = data.value('signal');
    const direction = signal > 0 ? 1 : signal < 0 ? -1 : 0;
    const position = ctx.position();
    if (position === 0) {
      if (direction !== 0) this.enter(ctx, data, direction, signal);
      return;
    }
    const held = position > 0 ? 1 : -1;
    if (direction === held && (this.holdBars === 0 || data.index - this.entryIndex < this.holdBars)) return;
    this.exit(ctx, data, direction, held, signal);
  }

  /** Closes the position (flip, zero signal or time) and, on a flip, tries the opposite entry. */
  private exit(ctx: StrategyContext, data: SymbolData, direction: number, held: number, signal: number): void {
    this.cancelStop(ctx);
    const flip = direction === -held;
    ctx.closePosition(undefined, flip ? 'flip' : direction === 0 ? 'signal-zero' : 'time');
    if (flip) this.enter(ctx, data, direction, signal);
  }

  /** Places the bracket when every filter passes (see {@link signalFilter}). */
  private enter(ctx: StrategyContext, data: SymbolData, direction: number, signal: number): void {
    const p = this.params;
    if (direction < 0 && !p.allowShort) return;
    if (!(data.value('confidence') >= this.minConfidenceNow)) return;
    const edgeBps = this.bps ? Math.abs(signal) : p.assumedEdgeBps;
    if (!(edgeBps - this.costsBps >= p.minEdgeBps)) return;
    const index = data.index;
    if (index - this.entryIndex < p.minBarsBetweenTrades) return;
    const day = Math.floor(data.timeMs() / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.entriesToday = 0;
    }
    if (p.maxTradesPerDay > 0 && this.entriesToday >= p.maxTradesPerDay) return;
    const reference = data.close();
    const distance = (reference * p.stopPct) / 100;
    const equity = ctx.equity;
    const cap = equityFractionQuantity({ equity, fraction: 1, price: reference, multiplier: 1, commissionRate: ctx.commissionRate, lotSize: 1 });
    const qty = fixedRiskQuantity({ riskAmount: (equity * p.riskPct) / 100, stopDistance: distance, multiplier: 1, lotSize: 1, maxLots: cap });
    if (qty <= 0) return;
    this.cancelStop(ctx); // a stop left by a refused entry must not guard the next position
    const long = direction > 0;
    const ids = ctx.bracket({ side: long ? 'buy' : 'sell', qty, stopLoss: long ? reference - distance : reference + distance, tag: long ? 'long' : 'short' });
    this.stopId = ids.stopLossId ?? -1;
    this.entryIndex = index;
    this.entriesToday++;
  }

  private cancelStop(ctx: StrategyContext): void {
    if (this.stopId >= 0 && ctx.order(this.stopId)?.status === 'working') ctx.cancel(this.stopId);
    this.stopId = -1;
  }
}

/**
 * `signal-filter` with `adaptive: true`: adds `onFill` (only this variant has it, so a plain run
 * lets the engine skip building fill events) to book each trade's net P&L and move the threshold.
 */
class AdaptiveSignalFilter extends SignalFilter {
  /** Outcomes of the last `adaptiveWindow` closed trades (1 = win), a ring. */
  private readonly outcomes: Uint8Array;
  private next = 0;
  private closedTrades = 0;
  private wins = 0;
  /** Steps of `adaptiveStep` the threshold stands above `minConfidence`. */
  private level = 0;
  /** Signed position and net cash flow of the trade in progress, from this strategy's fills. */
  private openQty = 0;
  private tradeCash = 0;

  constructor(params: Params) {
    super(params);
    this.outcomes = new Uint8Array(params.adaptiveWindow);
  }

  onFill(ctx: StrategyContext, fill: Fill): void {
    const buy = fill.side === 'buy';
    const paid = buy ? fill.price + fill.slippage : fill.price - fill.slippage;
    const before = this.openQty;
    const after = before + (buy ? fill.qty : -fill.qty);
    // A fill through zero (never placed by this strategy, but possible) closes one trade and opens another.
    const closing = before !== 0 && Math.sign(after) !== Math.sign(before) ? Math.abs(before) : 0;
    if (closing > 0) {
      const share = closing / fill.qty;
      this.tradeCash += (buy ? -closing : closing) * paid - share * fill.fee;
      this.closeTrade(ctx, this.tradeCash);
      this.tradeCash = 0;
      const rest = fill.qty - closing;
      if (rest > 0) this.tradeCash = (buy ? -rest : rest) * paid - (1 - share) * fill.fee;
    } else this.tradeCash += (buy ? -fill.qty : fill.qty) * paid - fill.fee;
    this.openQty = after;
  }

  /** Records one closed trade's outcome and moves the threshold when the window says so. */
  private closeTrade(ctx: StrategyContext, pnl: number): void {
    const window = this.outcomes.length;
    const win = pnl > 0 ? 1 : 0;
    if (this.closedTrades >= window) this.wins -= this.outcomes[this.next]!;
    this.outcomes[this.next] = win;
    this.wins += win;
    this.next = this.next + 1 === window ? 0 : this.next + 1;
    this.closedTrades++;
    if (this.closedTrades < window) return;
    const winRatePct = (this.wins / window) * 100;
    const { minConfidence, targetWinRatePct, adaptiveStep } = this.params;
    // Steps above the base, not a running sum: back at level 0 the threshold is exactly `minConfidence`.
    const from = this.minConfidenceNow;
    if (winRatePct < targetWinRatePct && from < MAX_CONFIDENCE) this.level++;
    else if (winRatePct > targetWinRatePct && this.level > 0) this.level--;
    else return;
    const to = Math.min(MAX_CONFIDENCE, minConfidence + this.level * adaptiveStep);
    this.minConfidenceNow = to;
    this.thresholdChanges.push(Object.freeze({ step: ctx.step, timeMs: ctx.timeMs, from, to, winRatePct }));
    ctx.note(`minConfidence ${from} -> ${to} (win rate ${winRatePct.toFixed(1)}% over the last ${this.params.adaptiveWindow} trades, target ${this.params.targetWinRatePct}%)`);
  }
}

/** The init-time error for a missing column: names it, lists the columns present, says what to add. */
function missingColumn(data: SymbolData, column: string, meaning: string): RangeError {
  let present = '';
  try {
    data.value(column); // throws, listing the columns the data has (SymbolData has no list of its own)
  } catch (error) {
    present = error instanceof Error ? error.message : String(error);
  }
  return new RangeError(`signal-filter needs a "${column}" column (${meaning}): ${present} — add the column to the data`);
}
