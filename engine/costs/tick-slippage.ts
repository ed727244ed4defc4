import type { ParameterizedSlippageModel, SlippageParameters } from './types.js';
import { requireNonNegative } from './validate.js';

/** Options for {@link tickSlippage}. */
export interface TickSlippageOptions {
  /** Adverse move in ticks of the instrument (may be fractional). */
  readonly ticks: number;
}

/**
 * Slippage of a fixed number of ticks: `ticks × instrument.tickSize`, in price units per unit.
 * @throws RangeError when `ticks` is negative or not finite.
 */
export function tickSlippage(options: TickSlippageOptions): ParameterizedSlippageModel<{ ticks: number }> {
  const ticks = requireNonNegative('tickSlippage', 'ticks', options.ticks);
  const params = Object.freeze({ ticks });
  return Object.freeze({
    params,
    slippage({ instrument }: SlippageParameters): number {
      return ticks * instrument.tickSize;
    },
  });
}
