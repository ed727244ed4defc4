/** The first four moments of a per-period return series, as the Sharpe-ratio statistics use them. */
export interface ReturnMoments {
  /** Number of returns. */
  readonly count: number;
  /** Arithmetic mean per period (a return fraction). */
  readonly mean: number;
  /** Sample standard deviation per period (divides by n − 1). */
  readonly std: number;
  /** Skewness γ₃ = m₃ / m₂^{3/2} from central moments mᵢ = Σ(r − mean)ⁱ / n (0 for a normal). */
  readonly skewness: number;
  /** Raw (non-excess) kurtosis γ₄ = m₄ / m₂² (3 for a normal). */
  readonly kurtosis: number;
}

/**
 * Mean, sample std, skewness and raw kurtosis of `returns` in two left-to-right passes.
 *
 * Skewness and kurtosis are the plain moment ratios with 1/n central moments (scipy's
 * `skew` and `kurtosis(fisher=False)` defaults), the estimators used by Bailey & López de Prado
 * for the probabilistic and deflated Sharpe ratios; no small-sample bias correction.
 * @param returns per-period returns as fractions.
 * @returns the moments; skewness and kurtosis are NaN when the returns have no dispersion or there
 * are fewer than two of them.
 */
export function returnMoments(returns: ArrayLike<number>): ReturnMoments {
  const n = returns.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += returns[i]!;
  const mean = n > 0 ? sum / n : 0;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = returns[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const std = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
  if (n < 2 || !(m2 > 0)) return { count: n, mean, std, skewness: Number.NaN, kurtosis: Number.NaN };
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { count: n, mean, std, skewness: m3 / Math.pow(m2, 1.5), kurtosis: m4 / (m2 * m2) };
}
