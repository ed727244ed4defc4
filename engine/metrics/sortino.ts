import { mean, NOISE_FLOOR } from './stats.js';

/**
 * Downside deviation: `sqrt(Σ min(0, r − target)² / n)` over all `n` returns (the full count,
 * not only the negative ones, and not n − 1), in the same units as the returns.
 */
export function downsideDeviation(returns: ArrayLike<number>, target = 0): number {
  const n = returns.length;
  if (n === 0) return 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const shortfall = Math.min(0, returns[i]! - target);
    squares += shortfall * shortfall;
  }
  return Math.sqrt(squares / n);
}

/**
 * Annualized Sortino ratio: `mean(r − rf / P) / downsideDeviation(r, rf / P) × √P` with
 * `P = periodsPerYear`.
 * @param returns periodic simple returns as fractions.
 * @param riskFreeRate annual risk-free rate as a fraction (default 0).
 * @param periodsPerYear return periods per year (default 252).
 * @returns a unitless ratio; 0 with fewer than two returns; when no return falls below the
 *   risk-free rate the ratio is unbounded: `null` if the mean excess return is positive
 *   (JSON-safe stand-in for +∞), else 0.
 */
export function sortinoRatio(returns: ArrayLike<number>, riskFreeRate = 0, periodsPerYear = 252): number | null {
  if (returns.length < 2) return 0;
  const target = riskFreeRate / periodsPerYear;
  const excess = mean(returns) - target;
  const downside = downsideDeviation(returns, target);
  if (!(downside > NOISE_FLOOR)) return excess > 0 ? null : 0;
  return (excess / downside) * Math.sqrt(periodsPerYear);
}
