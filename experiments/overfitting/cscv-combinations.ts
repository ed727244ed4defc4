import { Rng, type RngSeed } from '../../engine/rng.js';

/**
 * The block combinations of combinatorially symmetric cross-validation (CSCV): every way to pick
 * S/2 of S blocks as the in-sample half. Combinations are numbered in lexicographic order of their
 * ascending block lists ({0,1,…,S/2−1} is number 0), so a number names one combination on every
 * machine.
 */

/** Largest partition count S: C(32, 16) ≈ 6.0e8 combinations still fit `Rng.int` for sampling. */
export const MAX_PARTITIONS = 32;

/**
 * Binomial coefficient C(n, k) for 0 ≤ n ≤ 56 (exact in double precision up to there).
 * @returns the number of k-subsets of n items; 0 when k < 0 or k > n.
 */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const m = Math.min(k, n - k);
  let result = 1;
  // Each partial product C(n − m + i, i) is an integer, so the division is exact.
  for (let i = 1; i <= m; i++) result = (result * (n - m + i)) / i;
  return Math.round(result);
}

/**
 * Writes the blocks of combination number `rank` (lexicographic order) of `k` out of `n` blocks
 * into `out[0..k)`, ascending.
 * @param rank an integer in [0, C(n, k)).
 * @param out receives the k block indices.
 */
export function unrankCombination(rank: number, n: number, k: number, out: Int32Array): void {
  let remaining = rank;
  let block = 0;
  for (let i = 0; i < k; i++) {
    // Skip every combination whose i-th block is `block` while the rank lies beyond them.
    for (;;) {
      const withBlock = binomial(n - block - 1, k - i - 1);
      if (remaining < withBlock) break;
      remaining -= withBlock;
      block++;
    }
    out[i] = block;
    block++;
  }
}

/**
 * The combination numbers to evaluate, ascending: all of [0, total) when `total ≤ max`, otherwise
 * `max` distinct numbers drawn uniformly without replacement (Floyd's algorithm) from `new
 * Rng(seed)`. Same (total, max, seed) ⇒ same numbers; sorting makes the result independent of the
 * draw order.
 * @param total the number of combinations C(S, S/2), at most 2^32.
 * @param max the most combinations to keep (an integer ≥ 1, or Infinity).
 * @param seed the sampling seed.
 */
export function selectCombinations(total: number, max: number, seed: RngSeed): Float64Array {
  if (total <= max) {
    const all = new Float64Array(total);
    for (let i = 0; i < total; i++) all[i] = i;
    return all;
  }
  const rng = new Rng(seed);
  const chosen = new Set<number>();
  for (let j = total - max; j < total; j++) {
    const pick = rng.int(j + 1);
    chosen.add(chosen.has(pick) ? j : pick);
  }
  return Float64Array.from(chosen).sort();
}
