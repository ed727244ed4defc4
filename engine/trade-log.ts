import type { Trade } from './trade.js';
import { Interner } from './interner.js';

/** Field offsets within a row of {@link TradeLog}'s one number buffer. */
const F = {
  instrument: 0, long: 1, qty: 2, entryTimeMs: 3, exitTimeMs: 4, entryPrice: 5, exitPrice: 6,
  pnl: 7, grossPnl: 8, fees: 9, slippageCost: 10, entryStep: 11, exitStep: 12, initialRisk: 13, entryTag: 14, exitTag: 15,
} as const;
Object.freeze(F);
const STRIDE = 16;

/** One closed trade's values, as {@link TradeLog.push} takes them. */
export interface ClosedTradeValues {
  readonly instrument: number;
  readonly long: boolean;
  readonly qty: number;
  readonly entryTimeMs: number;
  readonly exitTimeMs: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly grossPnl: number;
  readonly fees: number;
  readonly slippageCost: number;
  readonly entryStep: number;
  readonly exitStep: number;
  readonly entryTag: string;
  readonly exitTag: string;
  /** Money at risk at entry (NaN or undefined when the entry had no protective stop). */
  readonly initialRisk?: number | undefined;
}

/**
 * Closed trades as rows of numbers in ONE growing `Float64Array` (plus the tag strings), in closing
 * order. A long run closes hundreds of thousands of trades; keeping them as objects made every
 * close a retained allocation, and one buffer instead of a typed array per field keeps the cost of
 * a new (short) run low: each typed-array allocation costs about a microsecond and GC pressure. `Trade` objects are built only when asked for ({@link TradeLog.toArray}), and
 * statistics and the digest read the columns through a reused view ({@link TradeLog.views}).
 */
export class TradeLog {
  length = 0;
  private rows: Float64Array;
  /** Distinct tags, by first use; rows hold their indexes (a run uses a handful of tags). */
  private readonly tags = new Interner();
  /** The last entry and exit tags and their indexes: each repeats from trade to trade. */
  private lastEntryTag = '';
  private lastEntryIndex = -1;
  private lastExitTag = '';
  private lastExitIndex = -1;
  private cached: Trade[] | undefined;

  constructor(
    /** Instrument ids by index (the portfolio's instrument order). */
    private readonly instrumentIds: readonly string[],
    capacity = 16,
  ) {
    this.rows = new Float64Array(Math.max(1, capacity) * STRIDE);
  }

  /** Appends a closed trade; net P&L is gross − fees − slippage cost. */
  push(t: ClosedTradeValues): void {
    if ((this.length + 1) * STRIDE > this.rows.length) this.grow();
    const at = this.length++ * STRIDE;
    const r = this.rows;
    r[at + F.instrument] = t.instrument;
    r[at + F.long] = t.long ? 1 : 0;
    r[at + F.qty] = t.qty;
    r[at + F.entryTimeMs] = t.entryTimeMs;
    r[at + F.exitTimeMs] = t.exitTimeMs;
    r[at + F.entryPrice] = t.entryPrice;
    r[at + F.exitPrice] = t.exitPrice;
    r[at + F.pnl] = t.grossPnl - t.fees - t.slippageCost;
    r[at + F.grossPnl] = t.grossPnl;
    r[at + F.fees] = t.fees;
    r[at + F.slippageCost] = t.slippageCost;
    r[at + F.entryStep] = t.entryStep;
    r[at + F.exitStep] = t.exitStep;
    r[at + F.initialRisk] = t.initialRisk ?? Number.NaN;
    if (t.entryTag !== this.lastEntryTag || this.lastEntryIndex < 0) {
      this.lastEntryTag = t.entryTag;
      this.lastEntryIndex = this.tagIndex(t.entryTag);
    }
    if (t.exitTag !== this.lastExitTag || this.lastExitIndex < 0) {
      this.lastExitTag = t.exitTag;
      this.lastExitIndex = this.tagIndex(t.exitTag);
    }
    r[at + F.entryTag] = this.lastEntryIndex;
    r[at + F.exitTag] = this.lastExitIndex;
    this.cached = undefined;
  }

  /** Net P&L of trade `i`. */
  pnl(i: number): number {
    return this.rows[i * STRIDE + F.pnl]!;
  }

  /** Trade `i` as a new frozen-shape object. */
  at(i: number): Trade {
    const view = new TradeView(this);
    view.index = i;
    return view.toTrade();
  }

  /** Every closed trade as objects (built once, then cached until the next push). */
  toArray(): readonly Trade[] {
    if (this.cached === undefined) {
      const out = new Array<Trade>(this.length);
      for (let i = 0; i < this.length; i++) out[i] = this.at(i);
      this.cached = out;
    }
    return this.cached;
  }

  /**
   * Iterates the trades through ONE reused view object (no allocation per trade): read its fields
   * inside the loop; never keep it. A plain iterator, not a generator: it costs a few nanoseconds
   * per trade where a generator costs about a hundred.
   */
  views(): Iterable<Trade> {
    return { [Symbol.iterator]: () => new ViewIterator(this) };
  }

  /** Step at which trade `i` was entered. */
  entryStepOf(i: number): number {
    return this.rows[i * STRIDE + F.entryStep]!;
  }

  /** Step at which trade `i` was closed. */
  exitStepOf(i: number): number {
    return this.rows[i * STRIDE + F.exitStep]!;
  }

  /** Money at risk at entry of trade `i` (NaN when its entry had no protective stop). */
  initialRiskOf(i: number): number {
    return this.rows[i * STRIDE + F.initialRisk]!;
  }

  /** @internal the number at offset `field` (one of `F`) of trade `i`, for {@link TradeView}. */
  read(i: number, field: number): number {
    return this.rows[i * STRIDE + field]!;
  }

  /** @internal */
  instrumentIdOf(i: number): string {
    return this.instrumentIds[this.rows[i * STRIDE + F.instrument]!]!;
  }

  /** @internal */
  isLong(i: number): boolean {
    return this.rows[i * STRIDE + F.long] === 1;
  }

  /** @internal */
  entryTagOf(i: number): string {
    return this.tags.name(this.rows[i * STRIDE + F.entryTag]!);
  }

  /** @internal */
  exitTagOf(i: number): string {
    return this.tags.name(this.rows[i * STRIDE + F.exitTag]!);
  }

  /** Index of `tag` in {@link tags}, adding it when new. */
  private tagIndex(tag: string): number {
    return this.tags.id(tag);
  }

  private grow(): void {
    const grown = new Float64Array(Math.max(16 * STRIDE, this.rows.length * 2));
    grown.set(this.rows);
    this.rows = grown;
  }
}

/** A reusable window onto one row of a {@link TradeLog}, shaped as a closed `Trade`. */
/** Steps one reused {@link TradeView} over the log; the same result object every step. */
class ViewIterator implements Iterator<Trade> {
  private readonly view: TradeView;
  private readonly result: { done: boolean; value: Trade };

  constructor(private readonly log: TradeLog) {
    this.view = new TradeView(log);
    this.view.index = -1;
    this.result = { done: false, value: this.view };
  }

  next(): IteratorResult<Trade> {
    const i = ++this.view.index;
    if (i >= this.log.length) this.result.done = true;
    return this.result as IteratorResult<Trade>;
  }
}

class TradeView implements Trade {
  index = 0;
  readonly open = false;

  constructor(private readonly log: TradeLog) {}

  get instrumentId(): string {
    return this.log.instrumentIdOf(this.index);
  }
  get side(): 'long' | 'short' {
    return this.log.isLong(this.index) ? 'long' : 'short';
  }
  get qty(): number {
    return this.log.read(this.index, F.qty);
  }
  get entryTimeMs(): number {
    return this.log.read(this.index, F.entryTimeMs);
  }
  get exitTimeMs(): number {
    return this.log.read(this.index, F.exitTimeMs);
  }
  get entryPrice(): number {
    return this.log.read(this.index, F.entryPrice);
  }
  get exitPrice(): number {
    return this.log.read(this.index, F.exitPrice);
  }
  get pnl(): number {
    return this.log.read(this.index, F.pnl);
  }
  get grossPnl(): number {
    return this.log.read(this.index, F.grossPnl);
  }
  get fees(): number {
    return this.log.read(this.index, F.fees);
  }
  get slippageCost(): number {
    return this.log.read(this.index, F.slippageCost);
  }
  get entryStep(): number {
    return this.log.read(this.index, F.entryStep);
  }
  get exitStep(): number {
    return this.log.read(this.index, F.exitStep);
  }
  get entryTag(): string {
    return this.log.entryTagOf(this.index);
  }
  get exitTag(): string {
    return this.log.exitTagOf(this.index);
  }
  get initialRisk(): number | undefined {
    const risk = this.log.read(this.index, F.initialRisk);
    return Number.isNaN(risk) ? undefined : risk;
  }

  /** A plain, independent `Trade` object of the current row. */
  toTrade(): Trade {
    return {
      instrumentId: this.instrumentId,
      side: this.side,
      qty: this.qty,
      entryTimeMs: this.entryTimeMs,
      exitTimeMs: this.exitTimeMs,
      entryPrice: this.entryPrice,
      exitPrice: this.exitPrice,
      pnl: this.pnl,
      grossPnl: this.grossPnl,
      fees: this.fees,
      slippageCost: this.slippageCost,
      entryStep: this.entryStep,
      exitStep: this.exitStep,
      entryTag: this.entryTag,
      exitTag: this.exitTag,
      open: false,
      initialRisk: this.initialRisk,
    };
  }
}
