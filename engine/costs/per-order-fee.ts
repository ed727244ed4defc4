import type { ParameterizedFeeModel } from './types.js';
import { requireNonNegative } from './validate.js';

/** Options for {@link perOrderFee}. */
export interface PerOrderFeeOptions {
  /** Flat commission per fill, account currency. */
  readonly amount: number;
}

/**
 * A flat commission per fill, whatever its size. Returns `amount` in account currency.
 * @throws RangeError when `amount` is negative or not finite.
 */
export function perOrderFee(options: PerOrderFeeOptions): ParameterizedFeeModel<{ amount: number }> {
  const amount = requireNonNegative('perOrderFee', 'amount', options.amount);
  const params = Object.freeze({ amount });
  return Object.freeze({ params, fee: (): number => amount });
}
