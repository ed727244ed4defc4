import type { FeeModel, FeeParameters, ParameterizedFeeModel } from './types.js';

/**
 * The sum of several fee models for the same fill (e.g. broker commission + exchange fee).
 * Returns account currency; with no models it charges 0.
 */
export function combinedFee(...models: readonly FeeModel[]): ParameterizedFeeModel<{ models: readonly FeeModel[] }> {
  const parts = Object.freeze([...models]);
  return Object.freeze({
    params: Object.freeze({ models: parts }),
    fee(params: FeeParameters): number {
      let total = 0;
      for (const model of parts) total += model.fee(params);
      return total;
    },
  });
}
