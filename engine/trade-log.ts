import type { Trade } from './trade.js';

const NUMBER_COLUMNS = [
  'qty', 'entryTimeMs', 'exitTimeMs', 'entryPrice', 'exitPrice', 'pnl', 'grossPnl', 'fees', 'slippageCost', 'entryStep', 'exitStep', 'initialRisk',
] as const;
type NumberColumn = (typeof NUMBER_COLUMNS)[number];

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
 * Closed trades as columns (typed arrays plus the tag strings), in closing order. A long run
 * closes hundreds of thousands of trades; keeping them as objects made every close a retained
 * allocation. `Trade` objects are built only when asked for ({@link TradeLog.toArray}), and
 * statistics and the digest read the columns through a reused view ({@link TradeLog.views}).
 */
export class TradeLog {
  length = 0;
  private instrument: Int32Array;
  private long: Uint8Array;
  private readonly numbers: Record<NumberColumn, Float64Array>;
  private readonly entryTags: string[] = [];
  private readonly exitTags: string[] = [];
  private cached: Trade[] | undefined;

  constructor(
    /** Instrument ids by index (the portfolio's instrument order). */
    private readonly instrumentIds: readonly string[],
    capacity = 64,
  ) {
    this.instrument = new Int32Array(capacity);
    this.long = new Uint8Array(capacity);
    const numbers = {} as Record<NumberColumn, Float64Array>;
    for (const name of NUMBER_COLUMNS) numbers[name] = new Float64Array(capacity);
    this.numbers = numbers;
  }

  /** Appends a closed trade; net P&L is gross − fees − slippage cost. */
  push(t: ClosedTradeValues): void {
    if (this.length === this.instrument.length) this.grow();
    const i = this.length++;
    const c = this.numbers;
    this.instrument[i] = t.instrument;
    this.long[i] = t.long ? 1 : 0;
    c.qty[i] = t.qty;
    c.entryTimeMs[i] = t.entryTimeMs;
    c.exitTimeMs[i] = t.exitTimeMs;
    c.entryPrice[i] = t.entryPrice;
    c.exitPrice[i] = t.exitPrice;
    c.pnl[i] = t.grossPnl - t.fees - t.slippageCost;
    c.grossPnl[i] = t.grossPnl;
    c.fees[i] = t.fees;
    c.slippageCost[i] = t.slippageCost;
    c.entryStep[i] = t.entryStep;
    c.exitStep[i] = t.exitStep;
    c.initialRisk[i] = t.initialRisk ?? Number.NaN;
    this.entryTags.push(t.entryTag);
    this.exitTags.push(t.exitTag);
    this.cached = undefined;
  }

  /** Net P&L of trade `i`. */
  pnl(i: number): number {
    return this.numbers.pnl[i]!;
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

  /** @internal the number columns, for {@link TradeView} (replaced when the log grows). */
  get columns(): Readonly<Record<NumberColumn, Float64Array>> {
    return this.numbers;
  }

  /** @internal */
  instrumentIdOf(i: number): string {
    return this.instrumentIds[this.instrument[i]!]!;
  }

  /** @internal */
  isLong(i: number): boolean {
    return this.long[i] === 1;
  }

  /** @internal */
  entryTagOf(i: number): string {
    return this.entryTags[i]!;
  }

  /** @internal */
  exitTagOf(i: number): string {
    return this.exitTags[i]!;
  }

  private grow(): void {
    const n = Math.max(64, this.instrument.length * 2);
    const instrument = new Int32Array(n);
    instrument.set(this.instrument);
    this.instrument = instrument;
    const long = new Uint8Array(n);
    long.set(this.long);
    this.long = long;
    for (const name of NUMBER_COLUMNS) {
      const grown = new Float64Array(n);
      grown.set(this.numbers[name]);
      this.numbers[name] = grown;
    }
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
    return this.log.columns.qty[this.index]!;
  }
  get entryTimeMs(): number {
    return this.log.columns.entryTimeMs[this.index]!;
  }
  get exitTimeMs(): number {
    return this.log.columns.exitTimeMs[this.index]!;
  }
  get entryPrice(): number {
    return this.log.columns.entryPrice[this.index]!;
  }
  get exitPrice(): number {
    return this.log.columns.exitPrice[this.index]!;
  }
  get pnl(): number {
    return this.log.columns.pnl[this.index]!;
  }
  get grossPnl(): number {
    return this.log.columns.grossPnl[this.index]!;
  }
  get fees(): number {
    return this.log.columns.fees[this.index]!;
  }
  get slippageCost(): number {
    return this.log.columns.slippageCost[this.index]!;
  }
  get entryStep(): number {
    return this.log.columns.entryStep[this.index]!;
  }
  get exitStep(): number {
    return this.log.columns.exitStep[this.index]!;
  }
  get entryTag(): string {
    return this.log.entryTagOf(this.index);
  }
  get exitTag(): string {
    return this.log.exitTagOf(this.index);
  }
  get initialRisk(): number | undefined {
    const risk = this.log.columns.initialRisk[this.index]!;
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
