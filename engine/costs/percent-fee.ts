import type { FeeParameters, ParameterizedFeeModel } from './types.js';
import { clampToMinMax, optionalNonNegative, requireMinMax, requireNonNegative } from './validate.js';

/** Options for {@link percentFee}. */
export interface PercentFeeOptions {
  /** Fraction of traded value, e.g. `0.001` for 0.1 % (not bps, not percent). */
  readonly rate: number;
  /** Minimum commission per fill, account currency. */
  readonly min?: number | undefined;
  /** Maximum commission per fill, account currency. */
  readonly max?: number | undefined;
}

/**
 * Commission proportional to traded value: `rate × |price| × qty × multiplier`, clamped per fill
 * to `[min, max]`. Returns account currency. `|price|` keeps the fee non-negative for combos
 * quoted at a credit.
 * @throws RangeError when `rate`, `min` or `max` is negative or not finite, or `min > max`.
 */
export function percentFee(
  options: PercentFeeOptions,
): ParameterizedFeeModel<{ rate: number; min: number | undefined; max: number | undefined }> {
  const rate = requireNonNegative('percentFee', 'rate', options.rate);
  const min = optionalNonNegative('percentFee', 'min', options.min);
  const max = optionalNonNegative('percentFee', 'max', options.max);
  requireMinMax('percentFee', min, max);
  const params = Object.freeze({ rate, min, max });
  return Object.freeze({
    params,
    fee({ instrument, qty, price }: FeeParameters): number {
      return clampToMinMax(rate * Math.abs(price) * qty * instrument.multiplier, min, max);
    },
  });
}
