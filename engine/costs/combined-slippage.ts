import type { ParameterizedSlippageModel, SlippageModel, SlippageParameters } from './types.js';

/**
 * The sum of several slippage models for the same fill (e.g. half spread + market impact).
 * Returns price units per unit of quantity; with no models it returns 0.
 */
export function combinedSlippage(
  ...models: readonly SlippageModel[]
): ParameterizedSlippageModel<{ models: readonly SlippageModel[] }> {
  const parts = Object.freeze([...models]);
  return Object.freeze({
    params: Object.freeze({ models: parts }),
    slippage(params: SlippageParameters): number {
      let total = 0;
      for (const model of parts) total += model.slippage(params);
      return total;
    },
  });
}
