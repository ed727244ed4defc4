import type { Fill } from './fill.js';
import { StepClose } from './step-close.js';
import type { Instrument } from './instrument.js';
import type { Trade } from './trade.js';
import { TradeLog, type ClosedTradeValues } from './trade-log.js';

/** An open lot: one entry fill's remaining quantity (FIFO). */
/** An open lot (FIFO). Objects are reused once closed, so all fields are written on reuse. */
class Lot {
  qty = 0;
  long = true;
  entryPrice = 0;
  entryTimeMs = 0;
  entryStep = 0;
  /** Entry commission per unit still attributable to this lot. */
  feePerUnit = 0;
  /** Entry slippage per unit (price units). */
  slippagePerUnit = 0;
  tag = '';
  /** |entry − protective stop| in price units, NaN when the entry had no stop. */
  riskPerUnit = Number.NaN;
}

/**
 * Cash, positions and the trade ledger. Invariant after every call:
 * `equity() === cash + Σ qty × mark × multiplier` (positions signed, shorts negative).
 * Cash moves by the paid price (market price ± slippage) × qty × multiplier and by fees.
 * Closed trades are FIFO lot round trips.
 */
export class Portfolio {
  /** Account cash in account currency. */
  cash = 0;
  /** Signed position per instrument index (units/contracts). */
  readonly qty: Float64Array;
  /** Last mark price per instrument index (NaN before its first price). */
  readonly mark: Float64Array;
  private readonly multiplier: Float64Array;
  /** Quantities this small (a billionth of a lot) are float residue of fractional lots: zero. */
  private readonly dust: Float64Array;
  private readonly lots: Lot[][];
  /** Closed trades, in the order they closed, as columns. */
  readonly tradeLog: TradeLog;
  private readonly scratch = new StepClose();
  private readonly spareLots: Lot[] = [];
  /** The values of the trade being closed, reused for every close (see `closeLot`). */
  private readonly closing: { -readonly [K in keyof ClosedTradeValues]-?: ClosedTradeValues[K] } = {
    instrument: 0, long: true, qty: 0, entryTimeMs: 0, exitTimeMs: 0, entryPrice: 0, exitPrice: 0, grossPnl: 0, fees: 0,
    slippageCost: 0, entryStep: 0, exitStep: 0, entryTag: '', exitTag: '', initialRisk: Number.NaN,
  };
  /** Total commission paid. */
  feesPaid = 0;
  /** Total slippage and spread cost paid, in account currency. */
  slippagePaid = 0;
  /** Σ |qty × price × multiplier| over all fills. */
  tradedValue = 0;
  /** Number of instruments with a non-zero position. */
  openPositions = 0;

  constructor(
    readonly instruments: readonly Instrument[],
    readonly initialCapital: number,
  ) {
    this.cash = initialCapital;
    const n = instruments.length;
    this.qty = new Float64Array(n);
    this.mark = new Float64Array(n).fill(Number.NaN);
    this.multiplier = Float64Array.from(instruments, (i) => i.multiplier);
    this.dust = Float64Array.from(instruments, (i) => i.lotSize * 1e-9);
    this.lots = instruments.map(() => []);
    this.tradeLog = new TradeLog(instruments.map((i) => i.id));
  }

  /** Account equity: cash plus every position marked at its last mark. */
  equity(): number {
    const out = this.scratch;
    this.equityInto(out);
    return out.equity;
  }

  /**
   * {@link equity} written into `out.equity` — the engine's per-step path: a fractional number
   * returned from a call V8 does not inline is boxed (an allocation); one stored into a field is not.
   */
  equityInto(out: StepClose): void {
    const qty = this.qty;
    let value = this.cash;
    for (let i = 0; i < qty.length; i++) {
      const q = qty[i]!;
      if (q !== 0) value += q * this.mark[i]! * this.multiplier[i]!;
    }
    out.equity = value;
  }

  /** Σ |position value| at the last marks. */
  grossExposure(): number {
    let value = 0;
    const qty = this.qty;
    for (let i = 0; i < qty.length; i++) {
      const q = qty[i]!;
      if (q !== 0) value += Math.abs(q * this.mark[i]! * this.multiplier[i]!);
    }
    return value;
  }

  /** Sets the mark price of instrument `index` (normally the bar's close). */
  markTo(index: number, price: number): void {
    this.mark[index] = price;
  }

  /**
   * Books a fill against instrument `index`: moves cash, updates the position and closes lots
   * FIFO into trades. The mark moves to the fill price if the instrument had none yet.
   */
  applyFill(index: number, fill: Fill): void {
    const mult = this.multiplier[index]!;
    const buy = fill.side === 'buy';
    const paid = buy ? fill.price + fill.slippage : fill.price - fill.slippage;
    this.cash += (buy ? -1 : 1) * fill.qty * paid * mult - fill.fee;
    this.feesPaid += fill.fee;
    this.slippagePaid += fill.slippage * fill.qty * mult;
    this.tradedValue += Math.abs(fill.qty * fill.price * mult);
    if (Number.isNaN(this.mark[index]!)) this.mark[index] = fill.price;

    let remaining = fill.qty;
    const lots = this.lots[index]!;
    const dust = this.dust[index]!;
    const feePerUnit = fill.qty > 0 ? fill.fee / fill.qty : 0;
    while (remaining > dust && lots.length > 0 && lots[0]!.long !== buy) {
      const lot = lots[0]!;
      // 0.1 + 0.2 − 0.3 ≠ 0 in floats: a fill within dust of the lot closes the whole lot.
      const closeQty = remaining >= lot.qty - dust ? lot.qty : remaining;
      this.closeLot(index, lot, closeQty, fill, feePerUnit, mult);
      lot.qty -= closeQty;
      remaining -= closeQty;
      if (lot.qty <= dust) this.spareLots.push(lots.shift()!);
    }
    if (remaining > dust) {
      // Closed lots are reused: a long run opens hundreds of thousands of them.
      const lot = this.spareLots.pop() ?? new Lot();
      lot.qty = remaining;
      lot.long = buy;
      lot.entryPrice = fill.price;
      lot.entryTimeMs = fill.timeMs;
      lot.entryStep = fill.step;
      lot.feePerUnit = feePerUnit;
      lot.slippagePerUnit = fill.slippage;
      lot.tag = fill.tag;
      lot.riskPerUnit = fill.protectiveStop === undefined ? Number.NaN : Math.abs(fill.price - fill.protectiveStop);
      lots.push(lot);
    }
    const before = this.qty[index]!;
    let after = before + (buy ? fill.qty : -fill.qty);
    if (Math.abs(after) <= dust) after = 0;
    this.qty[index] = after;
    if (before === 0 && after !== 0) this.openPositions++;
    else if (before !== 0 && after === 0) this.openPositions--;
  }

  private closeLot(index: number, lot: Lot, qty: number, fill: Fill, exitFeePerUnit: number, mult: number): void {
    const direction = lot.long ? 1 : -1;
    // One reused values object: the log copies the numbers out during the call (a fresh literal
    // per close cost an object plus a heap box per fractional field).
    const t = this.closing;
    t.instrument = index;
    t.long = lot.long;
    t.qty = qty;
    t.entryTimeMs = lot.entryTimeMs;
    t.exitTimeMs = fill.timeMs;
    t.entryPrice = lot.entryPrice;
    t.exitPrice = fill.price;
    t.grossPnl = (fill.price - lot.entryPrice) * qty * mult * direction;
    t.fees = (lot.feePerUnit + exitFeePerUnit) * qty;
    t.slippageCost = (lot.slippagePerUnit + fill.slippage) * qty * mult;
    t.entryStep = lot.entryStep;
    t.exitStep = fill.step;
    t.entryTag = lot.tag;
    t.exitTag = fill.tag;
    t.initialRisk = lot.riskPerUnit * qty * mult;
    this.tradeLog.push(t);
  }

  /** Closed trades as objects, in closing order (built from {@link Portfolio.tradeLog} on demand). */
  get closedTrades(): readonly Trade[] {
    return this.tradeLog.toArray();
  }

  /**
   * The open lots as trades marked at the current marks (unrealized P&L, entry fees included,
   * no exit fee assumed).
   */
  openTrades(): Trade[] {
    const result: Trade[] = [];
    this.lots.forEach((lots, index) => {
      const instrument = this.instruments[index]!;
      const mult = this.multiplier[index]!;
      const mark = this.mark[index]!;
      for (const lot of lots) {
        const grossPnl = (mark - lot.entryPrice) * lot.qty * mult * (lot.long ? 1 : -1);
        const fees = lot.feePerUnit * lot.qty;
        const slippageCost = lot.slippagePerUnit * lot.qty * mult;
        result.push({
            instrumentId: instrument.id,
            side: lot.long ? 'long' : 'short',
            qty: lot.qty,
            entryTimeMs: lot.entryTimeMs,
            exitTimeMs: undefined,
            entryPrice: lot.entryPrice,
            exitPrice: mark,
            pnl: grossPnl - fees - slippageCost,
            grossPnl,
            fees,
            slippageCost,
            entryStep: lot.entryStep,
            exitStep: undefined,
            entryTag: lot.tag,
            exitTag: undefined,
            open: true,
            initialRisk: Number.isNaN(lot.riskPerUnit) ? undefined : lot.riskPerUnit * lot.qty * mult,
        });
      }
    });
    return result;
  }

  /** Volume-weighted entry price of the open lots of instrument `index` (NaN when flat). */
  averagePrice(index: number): number {
    let qty = 0;
    let value = 0;
    for (const lot of this.lots[index]!) {
      qty += lot.qty;
      value += lot.qty * lot.entryPrice;
    }
    return qty > 0 ? value / qty : Number.NaN;
  }

  /** Realized net P&L so far (Σ closed trades' pnl). */
  realizedPnl(): number {
    let total = 0;
    for (let i = 0; i < this.tradeLog.length; i++) total += this.tradeLog.pnl(i);
    return total;
  }
}
