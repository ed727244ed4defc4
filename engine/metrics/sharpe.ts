import { mean, NOISE_FLOOR, sampleStd } from './stats.js';

/**
 * Annualized Sharpe ratio of periodic returns:
 * `mean(r − rf / periodsPerYear) / sampleStd(r) × √periodsPerYear` (sample std, n − 1).
 * @param returns periodic simple returns as fractions (see `dailyReturns`).
 * @param riskFreeRate annual risk-free rate as a fraction (default 0).
 * @param periodsPerYear return periods per year (default 252 trading days).
 * @returns a unitless ratio; 0 when there are fewer than two returns or their std is 0.
 */
export function sharpeRatio(returns: ArrayLike<number>, riskFreeRate = 0, periodsPerYear = 252): number {
  if (returns.length < 2) return 0;
  const std = sampleStd(returns);
  if (!(std > NOISE_FLOOR)) return 0;
  const excess = mean(returns) - riskFreeRate / periodsPerYear;
  return (excess / std) * Math.sqrt(periodsPerYear);
}
