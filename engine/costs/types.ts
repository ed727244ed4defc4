import type { Instrument } from '../instrument.js';

/** What a fee model is told about one fill (LEAN's `OrderFeeParameters`). */
export interface FeeParameters {
  readonly instrument: Instrument;
  readonly side: 'buy' | 'sell';
  /** Quantity filled, > 0, in units/contracts. */
  readonly qty: number;
  /** Fill price per unit, after slippage. */
  readonly price: number;
}

/** Commission for one fill, in account currency; never negative. */
export interface FeeModel {
  /** `params` is a reused object: read it during the call, never keep it. */
  fee(params: FeeParameters): number;
}

/**
 * What a slippage model is told about one fill. The engine passes a reused object whose `bar…`
 * values are getters reading the bar on demand: read the properties (or destructure them); do not
 * copy the object with spread, `Object.keys` or JSON, which see own data properties only.
 */
export interface SlippageParameters {
  readonly instrument: Instrument;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  /** The market fill price before slippage (inside the bar's range). */
  readonly price: number;
  /** The bar the fill happens on. */
  readonly barHigh: number;
  readonly barLow: number;
  /** Bar volume, or NaN when the data has none. */
  readonly barVolume: number;
  /** Value of the data's `spread` column on this bar, or NaN when there is none. */
  readonly barSpread: number;
}

/**
 * Adverse price adjustment per unit (>= 0, in price units): a buy pays `price + slippage`,
 * a sell receives `price - slippage`.
 */
export interface SlippageModel {
  /** `params` is a reused object: read it during the call, never keep it. */
  slippage(params: SlippageParameters): number;
}

/** A fee model that exposes the frozen, validated parameters it was built from (for reports). */
export interface ParameterizedFeeModel<P extends object> extends FeeModel {
  readonly params: Readonly<P>;
}

/** A slippage model that exposes the frozen, validated parameters it was built from. */
export interface ParameterizedSlippageModel<P extends object> extends SlippageModel {
  readonly params: Readonly<P>;
}
