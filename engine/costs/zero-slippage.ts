import type { SlippageModel } from './types.js';

/** A slippage model that never moves the price (0 price units per unit of quantity). */
export function zeroSlippage(): SlippageModel {
  return Object.freeze({ slippage: (): number => 0 });
}
