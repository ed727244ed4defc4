/** The risk manager: pre-trade limits, circuit breakers and pauses, configured by a `risk` block. */
export {
  resolveRiskOptions,
  type RiskOptions,
  type ResolvedRiskConfig,
  type PositionsPerOptions,
  type VolSpikeOptions,
  type VarOptions,
  type CorrelationOptions,
} from './risk-config.js';
export { RiskManager } from './risk-manager.js';
export type { RiskSnapshot } from './risk-state.js';
export type { RiskAction, RiskBar, RiskPosition, OrderIntent, WorkingEntry } from './risk-types.js';
export { historicalVar } from './historical-var.js';
export { pearsonCorrelation } from './pearson.js';
