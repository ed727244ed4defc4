/**
 * Tradable instruments. A discriminated union on `kind` so that options and multi-leg combos
 * (later) slot in beside equities and futures without changing positions or the broker:
 * every instrument has an `id`, a contract `multiplier`, a `tickSize` and a `lotSize`.
 */
export type Instrument = EquityInstrument | FutureInstrument | OptionInstrument | ComboInstrument;

interface InstrumentBase {
  /** Unique id, also the symbol of the bar stream that prices it (for equities and futures). */
  readonly id: string;
  /** Currency units per 1.0 of price per unit of quantity (1 for shares, 50 for ES, 100 for options). */
  readonly multiplier: number;
  /** Minimum price increment. */
  readonly tickSize: number;
  /** Quantities are whole multiples of this. */
  readonly lotSize: number;
  /** Last tradable moment, epoch ms UTC; positions still open then are settled. */
  readonly expiryMs?: number | undefined;
}

export interface EquityInstrument extends InstrumentBase {
  readonly kind: 'equity';
}

export interface FutureInstrument extends InstrumentBase {
  readonly kind: 'future';
}

/** A single option contract on an underlying bar stream. */
export interface OptionInstrument extends InstrumentBase {
  readonly kind: 'option';
  readonly underlying: string;
  readonly right: 'call' | 'put';
  readonly strike: number;
  readonly expiryMs: number;
}

/** One leg of a combo: `ratio` contracts of `instrument` per combo unit (negative = short). */
export interface ComboLeg {
  readonly instrument: OptionInstrument | EquityInstrument | FutureInstrument;
  readonly ratio: number;
}

/** A multi-leg position traded and held as one unit (vertical, iron condor, straddle …). */
export interface ComboInstrument extends InstrumentBase {
  readonly kind: 'combo';
  readonly legs: readonly ComboLeg[];
}

/** Options for {@link equity}. */
export interface EquitySpec {
  readonly multiplier?: number;
  readonly tickSize?: number;
  readonly lotSize?: number;
}

/** An equity-like instrument (multiplier 1, tick 0.01, lot 1 unless given). */
export function equity(id: string, spec: EquitySpec = {}): EquityInstrument {
  return Object.freeze({
    kind: 'equity',
    id,
    multiplier: spec.multiplier ?? 1,
    tickSize: spec.tickSize ?? 0.01,
    lotSize: spec.lotSize ?? 1,
  });
}
