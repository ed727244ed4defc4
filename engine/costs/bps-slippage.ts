import type { ParameterizedSlippageModel, SlippageParameters } from './types.js';
import { requireNonNegative } from './validate.js';

/** Options for {@link bpsSlippage}. */
export interface BpsSlippageOptions {
  /** Adverse move in basis points of the fill price (1 bp = 0.01 %). */
  readonly bps: number;
}

/**
 * Slippage proportional to price: `|price| × bps / 10 000`, in price units per unit of quantity.
 * @throws RangeError when `bps` is negative or not finite.
 */
export function bpsSlippage(options: BpsSlippageOptions): ParameterizedSlippageModel<{ bps: number }> {
  const bps = requireNonNegative('bpsSlippage', 'bps', options.bps);
  const params = Object.freeze({ bps });
  return Object.freeze({
    params,
    slippage({ price }: SlippageParameters): number {
      return (Math.abs(price) * bps) / 10_000;
    },
  });
}
