import type { FeeParameters, ParameterizedFeeModel } from './types.js';
import { clampToMinMax, optionalNonNegative, requireMinMax, requireNonNegative } from './validate.js';

/** Options for {@link perShareFee}. */
export interface PerShareFeeOptions {
  /** Account currency per unit of quantity (e.g. `0.005` per share). */
  readonly perShare: number;
  /** Minimum commission per fill, account currency (e.g. `1`). */
  readonly min?: number | undefined;
  /** Maximum commission per fill, account currency. */
  readonly max?: number | undefined;
}

/**
 * Commission per unit of quantity: `perShare × qty`, clamped per fill to `[min, max]`.
 * Returns account currency.
 * @throws RangeError when `perShare`, `min` or `max` is negative or not finite, or `min > max`.
 */
export function perShareFee(
  options: PerShareFeeOptions,
): ParameterizedFeeModel<{ perShare: number; min: number | undefined; max: number | undefined }> {
  const perShare = requireNonNegative('perShareFee', 'perShare', options.perShare);
  const min = optionalNonNegative('perShareFee', 'min', options.min);
  const max = optionalNonNegative('perShareFee', 'max', options.max);
  requireMinMax('perShareFee', min, max);
  const params = Object.freeze({ perShare, min, max });
  return Object.freeze({
    params,
    fee({ qty }: FeeParameters): number {
      return clampToMinMax(perShare * qty, min, max);
    },
  });
}
