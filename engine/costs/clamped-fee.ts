import type { FeeModel, FeeParameters, ParameterizedFeeModel } from './types.js';
import { clampToMinMax, optionalNonNegative, requireMinMax } from './validate.js';

/** Options for {@link clampedFee}. */
export interface ClampedFeeOptions {
  /** Minimum total commission per fill, account currency. */
  readonly min?: number | undefined;
  /** Maximum total commission per fill, account currency. */
  readonly max?: number | undefined;
}

/**
 * Clamps another model's fee per fill to `[min, max]` (account currency). Used by
 * `resolveCosts` so that `commissionMin`/`commissionMax` bound the *total* commission when several
 * commission kinds are combined.
 * @throws RangeError when `min` or `max` is negative or not finite, or `min > max`.
 */
export function clampedFee(
  inner: FeeModel,
  options: ClampedFeeOptions,
): ParameterizedFeeModel<{ inner: FeeModel; min: number | undefined; max: number | undefined }> {
  const min = optionalNonNegative('clampedFee', 'min', options.min);
  const max = optionalNonNegative('clampedFee', 'max', options.max);
  requireMinMax('clampedFee', min, max);
  const params = Object.freeze({ inner, min, max });
  return Object.freeze({
    params,
    fee(fill: FeeParameters): number {
      return clampToMinMax(inner.fee(fill), min, max);
    },
  });
}
