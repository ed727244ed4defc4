import { sampleStd } from './stats.js';

/**
 * Annualized volatility in percent: `sampleStd(r) × √periodsPerYear × 100`.
 * @param returns periodic simple returns as fractions.
 * @param periodsPerYear return periods per year (default 252).
 * @returns percent per year; 0 with fewer than two returns.
 */
export function annualizedVolatilityPct(returns: ArrayLike<number>, periodsPerYear = 252): number {
  return sampleStd(returns) * Math.sqrt(periodsPerYear) * 100;
}
