import { NOISE_FLOOR } from '../../engine/metrics/stats.js';
import { normalCdf, normalQuantile } from './normal.js';
import { returnMoments } from './return-moments.js';

/**
 * Probabilistic and Deflated Sharpe Ratios (Bailey & López de Prado, "The Sharpe Ratio Efficient
 * Frontier", 2012, and "The Deflated Sharpe Ratio", 2014). Every Sharpe ratio here is per period
 * (mean / std of the per-period returns, not annualized): the formulas count observations, so
 * annualize only for display (`annualizeSharpe`).
 */

/** The Euler–Mascheroni constant γ. */
export const EULER_MASCHERONI = 0.5772156649015329;

/** Inputs of `probabilisticSharpeRatio`; Sharpe ratios per period (not annualized). */
export interface ProbabilisticSharpeInput {
  /** Observed Sharpe ratio per period, SR̂. */
  readonly sharpe: number;
  /** The Sharpe ratio per period to beat, SR* (0 for "any skill at all"). */
  readonly benchmarkSharpe: number;
  /** Number of returns T the Sharpe ratio was estimated from (≥ 2). */
  readonly observations: number;
  /** Skewness γ₃ of the returns (0 for a normal). */
  readonly skewness: number;
  /** Raw kurtosis γ₄ of the returns (3 for a normal; not the excess kurtosis). */
  readonly kurtosis: number;
}

/**
 * Probabilistic Sharpe Ratio: the probability that the true Sharpe ratio exceeds `benchmarkSharpe`,
 * given the estimate's sampling error under non-normal returns (Mertens' variance):
 * PSR = Φ( (SR̂ − SR*) · √(T − 1) / √(1 − γ₃·SR̂ + (γ₄ − 1)/4 · SR̂²) ).
 * @returns a probability in [0, 1]; NaN when the variance term is not positive (moments that no
 * distribution has) or an input is NaN.
 * @throws RangeError when `observations` is not an integer ≥ 2.
 */
export function probabilisticSharpeRatio(input: ProbabilisticSharpeInput): number {
  const { sharpe, benchmarkSharpe, observations, skewness, kurtosis } = input;
  if (!Number.isInteger(observations) || observations < 2) {
    throw new RangeError(`probabilisticSharpeRatio: observations must be an integer ≥ 2, got ${observations}`);
  }
  const variance = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (!(variance > 0)) return Number.NaN;
  return normalCdf(((sharpe - benchmarkSharpe) * Math.sqrt(observations - 1)) / Math.sqrt(variance));
}

/** Inputs of `expectedMaxSharpe`. */
export interface ExpectedMaxSharpeInput {
  /** Number of independent trials N (≥ 1). */
  readonly trials: number;
  /** Variance V across the trials' per-period Sharpe ratio estimates. */
  readonly sharpeVariance: number;
}

/**
 * Expected maximum of N independent N(0, V) Sharpe ratio estimates — what the best of N skill-less
 * trials scores by luck alone (False Strategy Theorem):
 * E[max] ≈ √V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))), γ = Euler–Mascheroni.
 * @returns a per-period Sharpe ratio (same units as the Sharpe ratios V was taken over); 0 for one
 * trial (the approximation's Φ⁻¹(0) = −∞ does not apply there; the exact mean of one draw is 0).
 * @throws RangeError when `trials` is not an integer ≥ 1 or `sharpeVariance` is negative or NaN.
 */
export function expectedMaxSharpe(input: ExpectedMaxSharpeInput): number {
  const { trials, sharpeVariance } = input;
  if (!Number.isInteger(trials) || trials < 1) {
    throw new RangeError(`expectedMaxSharpe: trials must be an integer ≥ 1, got ${trials}`);
  }
  if (!(sharpeVariance >= 0)) {
    throw new RangeError(`expectedMaxSharpe: sharpeVariance must be ≥ 0, got ${sharpeVariance}`);
  }
  if (trials === 1) return 0;
  const z = (1 - EULER_MASCHERONI) * normalQuantile(1 - 1 / trials) + EULER_MASCHERONI * normalQuantile(1 - 1 / (trials * Math.E));
  return Math.sqrt(sharpeVariance) * z;
}

/** Inputs of `deflatedSharpeRatio`. */
export interface DeflatedSharpeInput {
  /** Per-period returns of the selected (best) cell, as fractions; T = length ≥ 2. */
  readonly bestReturns: Float64Array;
  /** Per-period Sharpe ratio of every trial of the search, the best one included (finite values). */
  readonly trialSharpes: Float64Array;
  /**
   * Effective number of independent trials N (default `trialSharpes.length`). Pass a smaller count
   * when trials are strongly correlated (e.g. clusters of near-identical parameter cells).
   */
  readonly trials?: number;
}

/** What `deflatedSharpeRatio` returns; all Sharpe ratios per period (not annualized). */
export interface DeflatedSharpeResult {
  /** PSR of the best cell against the threshold `sr0`: the probability its skill is not luck. */
  readonly dsr: number;
  /** PSR against 0, without deflation for the number of trials (for comparison). */
  readonly psr0: number;
  /** The deflation threshold: the expected maximum Sharpe ratio of `trials` skill-less trials. */
  readonly sr0: number;
  /** Sharpe ratio of `bestReturns` (mean / sample std). */
  readonly bestSharpe: number;
  /** Number of trials N used for `sr0`. */
  readonly trials: number;
  /** Sample variance (n − 1) of `trialSharpes`; 0 for a single trial. */
  readonly sharpeVariance: number;
  /** Skewness γ₃ of `bestReturns`. */
  readonly skewness: number;
  /** Raw kurtosis γ₄ of `bestReturns` (3 for a normal). */
  readonly kurtosis: number;
  /** Number of returns T of the best cell. */
  readonly observations: number;
}

/**
 * Deflated Sharpe Ratio: the PSR of the best of many trials against the Sharpe ratio that the best
 * of that many skill-less trials is expected to reach, DSR = PSR(SR* = E[max of N]). Read it as the
 * probability that the best cell's true Sharpe ratio is positive after accounting for selection
 * bias, sample length, skewness and fat tails; 0.95 is the usual bar.
 * @returns the frozen statistics, all per period.
 * @throws RangeError when there are fewer than two returns, the returns have no dispersion, there
 * is no trial, or a trial Sharpe ratio is not finite.
 */
export function deflatedSharpeRatio(input: DeflatedSharpeInput): DeflatedSharpeResult {
  const { bestReturns, trialSharpes } = input;
  const moments = returnMoments(bestReturns);
  if (moments.count < 2 || !(moments.std > NOISE_FLOOR)) {
    throw new RangeError(`deflatedSharpeRatio: bestReturns needs ≥ 2 returns with dispersion (got ${moments.count}, std ${moments.std})`);
  }
  const n = trialSharpes.length;
  if (n < 1) throw new RangeError('deflatedSharpeRatio: trialSharpes is empty — pass the Sharpe ratio of every trial');
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const value = trialSharpes[i]!;
    if (!Number.isFinite(value)) throw new RangeError(`deflatedSharpeRatio: trialSharpes[${i}] is ${value}`);
    sum += value;
  }
  const meanSharpe = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (trialSharpes[i]! - meanSharpe) ** 2;
  const sharpeVariance = n > 1 ? squares / (n - 1) : 0;
  const trials = input.trials ?? n;
  const sr0 = expectedMaxSharpe({ trials, sharpeVariance });
  const bestSharpe = moments.mean / moments.std;
  const base = { sharpe: bestSharpe, observations: moments.count, skewness: moments.skewness, kurtosis: moments.kurtosis };
  return Object.freeze({
    dsr: probabilisticSharpeRatio({ ...base, benchmarkSharpe: sr0 }),
    psr0: probabilisticSharpeRatio({ ...base, benchmarkSharpe: 0 }),
    sr0,
    bestSharpe,
    trials,
    sharpeVariance,
    skewness: moments.skewness,
    kurtosis: moments.kurtosis,
    observations: moments.count,
  });
}

/**
 * Annualizes a per-period Sharpe ratio for display: SR · √periodsPerYear (i.i.d. returns).
 * @param perPeriodSharpe a per-period Sharpe ratio.
 * @param periodsPerYear return periods per year (default 252 trading days).
 * @returns the annualized Sharpe ratio.
 */
export function annualizeSharpe(perPeriodSharpe: number, periodsPerYear = 252): number {
  return perPeriodSharpe * Math.sqrt(periodsPerYear);
}
