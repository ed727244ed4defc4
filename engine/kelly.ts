import { kellyFraction } from './sizing.js';

/** Options of {@link RollingKelly}. */
export interface RollingKellyOptions {
  /** Closed trades needed in the window before the fraction is anything but 0. Default 10 (at most `window`). */
  readonly minTrades?: number;
  /**
   * Multiplier on the full Kelly fraction before the cap: 0.5 = half-Kelly (the usual practice: most
   * of the growth for far less drawdown). Default 1.
   */
  readonly scale?: number;
}

/**
 * Kelly fraction over the last `window` closed trades, updated in O(1) per trade: a ring buffer
 * of trade P&Ls with running counts and sums of wins and losses.
 *
 * From the trades in the window: `winRate = wins / trades` (a trade with P&L exactly 0 counts as
 * a trade but not a win, which errs small), `payoff = average win / |average loss|` (infinite with
 * no losses, so Kelly is the win rate), and the fraction is
 * `kellyFraction({ winRate, payoff, cap })` from `sizing.ts`: in `[0, cap]`, 0 with no wins.
 *
 * The running sums are compensated (Neumaier), so removing a large P&L does not swallow the small
 * ones beside it, and rebuilt from the buffer each time it wraps around (amortised O(1)), so
 * rounding error cannot build up over a long run.
 */
export class RollingKelly {
  private readonly pnl: Float64Array;
  private readonly minTrades: number;
  private readonly scale: number;
  /** Next slot to write; the oldest trade once the buffer is full. */
  private head = 0;
  private count = 0;
  private wins = 0;
  private losses = 0;
  private readonly winSum = new CompensatedSum();
  /** Sum of losing P&Ls (<= 0). */
  private readonly lossSum = new CompensatedSum();

  /**
   * @param window closed trades to look back over, integer >= 1.
   * @param cap largest fraction returned, >= 0 — a ceiling, not a multiplier: `cap: 0.5` returns
   *   full Kelly up to 0.5; for half-Kelly scale the result by 0.5 yourself.
   * @throws RangeError on a bad `window`, `cap` or `minTrades` (naming the field).
   */
  constructor(
    window: number,
    private readonly cap: number,
    options: RollingKellyOptions = {},
  ) {
    if (!(Number.isInteger(window) && window >= 1)) throw new RangeError(`RollingKelly: window must be an integer >= 1, got ${window}`);
    if (!(cap >= 0 && Number.isFinite(cap))) throw new RangeError(`RollingKelly: cap must be a finite number >= 0, got ${cap}`);
    const minTrades = options.minTrades ?? Math.min(10, window);
    if (!(Number.isInteger(minTrades) && minTrades >= 1 && minTrades <= window)) {
      throw new RangeError(`RollingKelly: minTrades must be an integer in [1, window = ${window}], got ${minTrades}`);
    }
    const scale = options.scale ?? 1;
    if (!(scale > 0 && scale <= 1)) throw new RangeError(`RollingKelly: scale must be in (0, 1], got ${scale}`);
    this.scale = scale;
    this.pnl = new Float64Array(window);
    this.minTrades = minTrades;
  }

  /**
   * Adds one closed trade's P&L (account currency, net or gross as the caller chooses); the
   * oldest trade leaves the window once it is full.
   * @throws RangeError when `pnl` is not finite.
   */
  addTrade(pnl: number): void {
    if (!Number.isFinite(pnl)) throw new RangeError(`RollingKelly.addTrade: pnl must be finite, got ${pnl}`);
    const buffer = this.pnl;
    if (this.count === buffer.length) this.remove(buffer[this.head]!);
    else this.count++;
    buffer[this.head] = pnl;
    this.add(pnl);
    this.head++;
    if (this.head === buffer.length) {
      this.head = 0;
      if (this.count === buffer.length) this.rebuild();
    }
  }

  /** Closed trades currently in the window (<= `window`). */
  get trades(): number {
    return this.count;
  }

  /**
   * Fraction of equity to risk, in `[0, cap]`; 0 while fewer than `minTrades` trades are in the
   * window, when none of them won, or when all of them broke even.
   */
  fraction(): number {
    if (this.count < this.minTrades || this.wins === 0) return 0;
    const winRate = this.wins / this.count;
    const avgWin = this.winSum.value() / this.wins;
    const avgLoss = this.losses === 0 ? 0 : -this.lossSum.value() / this.losses;
    // Sums of add-and-remove can still round to 0 when tiny P&Ls sit next to huge ones: a win sum
    // that is not > 0 has nothing to win, a loss sum that is not > 0 nothing to lose.
    if (!(avgWin > 0)) return 0;
    const payoff = avgLoss > 0 ? avgWin / avgLoss : Number.POSITIVE_INFINITY;
    return Math.min(this.cap, this.scale * kellyFraction({ winRate, payoff, cap: 1 }));
  }

  private add(pnl: number): void {
    if (pnl > 0) {
      this.wins++;
      this.winSum.add(pnl);
    } else if (pnl < 0) {
      this.losses++;
      this.lossSum.add(pnl);
    }
  }

  private remove(pnl: number): void {
    if (pnl > 0) {
      this.wins--;
      this.winSum.add(-pnl);
    } else if (pnl < 0) {
      this.losses--;
      this.lossSum.add(-pnl);
    }
  }

  private rebuild(): void {
    this.wins = 0;
    this.losses = 0;
    this.winSum.reset();
    this.lossSum.reset();
    for (let k = 0; k < this.pnl.length; k++) this.add(this.pnl[k]!);
  }
}

/** A running sum with Neumaier compensation: the low-order bits lost by each addition are kept in `carry`. */
class CompensatedSum {
  private sum = 0;
  private carry = 0;

  add(x: number): void {
    const t = this.sum + x;
    this.carry += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  value(): number {
    return this.sum + this.carry;
  }

  reset(): void {
    this.sum = 0;
    this.carry = 0;
  }
}
