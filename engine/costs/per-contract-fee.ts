import type { FeeParameters, ParameterizedFeeModel } from './types.js';
import { clampToMinMax, optionalNonNegative, requireNonNegative } from './validate.js';

/** Options for {@link perContractFee}. */
export interface PerContractFeeOptions {
  /** Account currency per contract (e.g. `0.65` per option contract). */
  readonly perContract: number;
  /** Minimum commission per fill, account currency. */
  readonly min?: number | undefined;
}

/**
 * Commission per contract for futures and options: `perContract × qty`, at least `min` per fill.
 * Returns account currency. For a combo, `qty` counts combo units, so charge per leg contract by
 * scaling `perContract` with the number of legs.
 * @throws RangeError when `perContract` or `min` is negative or not finite.
 */
export function perContractFee(
  options: PerContractFeeOptions,
): ParameterizedFeeModel<{ perContract: number; min: number | undefined }> {
  const perContract = requireNonNegative('perContractFee', 'perContract', options.perContract);
  const min = optionalNonNegative('perContractFee', 'min', options.min);
  const params = Object.freeze({ perContract, min });
  return Object.freeze({
    params,
    fee({ qty }: FeeParameters): number {
      return clampToMinMax(perContract * qty, min, undefined);
    },
  });
}
