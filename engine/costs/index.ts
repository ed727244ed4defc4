/** Transaction cost models: commissions (fees) and adverse price adjustments (slippage). */
export type {
  FeeModel,
  FeeParameters,
  ParameterizedFeeModel,
  ParameterizedSlippageModel,
  SlippageModel,
  SlippageParameters,
} from './types.js';
export { zeroFee } from './zero-fee.js';
export { percentFee, type PercentFeeOptions } from './percent-fee.js';
export { perShareFee, type PerShareFeeOptions } from './per-share-fee.js';
export { perOrderFee, type PerOrderFeeOptions } from './per-order-fee.js';
export { perContractFee, type PerContractFeeOptions } from './per-contract-fee.js';
export { combinedFee } from './combined-fee.js';
export { clampedFee, type ClampedFeeOptions } from './clamped-fee.js';
export { zeroSlippage } from './zero-slippage.js';
export { bpsSlippage, type BpsSlippageOptions } from './bps-slippage.js';
export { tickSlippage, type TickSlippageOptions } from './tick-slippage.js';
export { halfSpreadSlippage, type HalfSpreadParams, type HalfSpreadSlippageOptions } from './half-spread-slippage.js';
export {
  volumeParticipationSlippage,
  type VolumeParticipationSlippageOptions,
} from './volume-participation-slippage.js';
export { combinedSlippage } from './combined-slippage.js';
export {
  resolveCosts,
  resolveCostSpec,
  type CostSpec,
  type ResolvedCostSpec,
  type ResolvedCosts,
} from './resolve-costs.js';
