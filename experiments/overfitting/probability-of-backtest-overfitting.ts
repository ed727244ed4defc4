import type { RngSeed } from '../../engine/rng.js';
import { binomial, MAX_PARTITIONS, selectCombinations, unrankCombination } from './cscv-combinations.js';
import { BlockSharpeScorer, type HalfScorer, MetricScorer, type PerformanceMetric, type ReturnSeries } from './cscv-scorers.js';

/**
 * Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey,
 * Borwein, López de Prado & Zhu, "The Probability of Backtest Overfitting", 2017).
 */

/** Inputs of `probabilityOfBacktestOverfitting`. */
export interface BacktestOverfittingInput {
  /** One per-period return series per cell (trial), all of the same length T, finite values. */
  readonly returns: readonly ReturnSeries[];
  /** Number of blocks S: even, 2…32 (default 16, i.e. C(16, 8) = 12,870 splits). */
  readonly partitions?: number;
  /**
   * Performance statistic, higher is better; default the per-period Sharpe ratio (mean / sample
   * std, 0 without dispersion) computed from per-block sums in O(S) per cell and split. A custom
   * metric costs O(T) per cell and split: bound it with `maxCombinations` on large grids.
   * NaN scores count as −Infinity (below every number, tied with each other).
   */
  readonly metric?: PerformanceMetric;
  /**
   * Evaluate at most this many splits, drawn uniformly without replacement from `new Rng(seed)`
   * and evaluated in lexicographic order (default: all of them).
   */
  readonly maxCombinations?: number;
  /** Seed of that draw (default 0); ignored when every split is evaluated. */
  readonly seed?: RngSeed;
}

/** What `probabilityOfBacktestOverfitting` returns; one array entry per evaluated split. */
export interface BacktestOverfittingResult {
  /** Share of splits whose in-sample best cell ranks at or below the out-of-sample median (λ ≤ 0). */
  readonly pbo: number;
  /** Number of splits evaluated. */
  readonly combinations: number;
  /** C(S, S/2), the number of splits that exist. */
  readonly totalCombinations: number;
  /** λ = ln(ω̄ / (1 − ω̄)) per split, ω̄ = out-of-sample rank of the in-sample best / (N + 1). */
  readonly logits: Float64Array;
  /** Index of the in-sample best cell per split. */
  readonly selectedCells: Int32Array;
  /** Metric of the selected cell on the in-sample half (degradation pairs, x). */
  readonly inSamplePerformance: Float64Array;
  /** Metric of the selected cell on the out-of-sample half (degradation pairs, y). */
  readonly outOfSamplePerformance: Float64Array;
  /** Share of splits whose selected cell scores below 0 out of sample. */
  readonly outOfSampleLossProbability: number;
  /** S. */
  readonly partitions: number;
  /** N, the number of cells. */
  readonly cells: number;
  /** Rows used, S × rowsPerBlock. */
  readonly observations: number;
  /** Rows per block, ⌊T / S⌋. */
  readonly rowsPerBlock: number;
  /** Oldest rows left out so the blocks are equal, T mod S. */
  readonly droppedRows: number;
}

/** NaN scores become −Infinity so that they rank lowest and compare equal to each other. */
function demoteNaN(scores: Float64Array): void {
  for (let n = 0; n < scores.length; n++) if (Number.isNaN(scores[n]!)) scores[n] = Number.NEGATIVE_INFINITY;
}

function resolve(input: BacktestOverfittingInput): { partitions: number; maxCombinations: number; rows: number } {
  const { returns, partitions = 16, maxCombinations = Number.POSITIVE_INFINITY } = input;
  if (!Number.isInteger(partitions) || partitions < 2 || partitions > MAX_PARTITIONS || partitions % 2 !== 0) {
    throw new RangeError(`probabilityOfBacktestOverfitting: partitions must be an even integer in [2, ${MAX_PARTITIONS}], got ${partitions}`);
  }
  if (!(maxCombinations === Number.POSITIVE_INFINITY || (Number.isInteger(maxCombinations) && maxCombinations >= 1))) {
    throw new RangeError(`probabilityOfBacktestOverfitting: maxCombinations must be an integer ≥ 1, got ${maxCombinations}`);
  }
  if (returns.length < 2) throw new RangeError(`probabilityOfBacktestOverfitting: needs ≥ 2 cells to rank, got ${returns.length}`);
  const rows = returns[0]!.length;
  returns.forEach((series, n) => {
    if (series.length !== rows) {
      throw new RangeError(`probabilityOfBacktestOverfitting: returns[${n}] has ${series.length} rows, returns[0] has ${rows} — align the cells on one calendar`);
    }
    // A plain loop: a callback per value (findIndex) was a tenth of a second on a 3,120-cell grid.
    for (let i = 0; i < series.length; i++) {
      if (!Number.isFinite(series[i]!)) throw new RangeError(`probabilityOfBacktestOverfitting: returns[${n}][${i}] is ${series[i]}`);
    }
  });
  if (rows < partitions) throw new RangeError(`probabilityOfBacktestOverfitting: ${rows} rows cannot fill ${partitions} blocks`);
  return { partitions, maxCombinations, rows };
}

/**
 * Probability of Backtest Overfitting (PBO) of choosing the best of N cells, by CSCV.
 *
 * The T rows are cut into S contiguous blocks of ⌊T/S⌋ rows; the T mod S oldest rows are dropped so
 * all blocks are equal and the most recent data is kept. For every split of the blocks into an
 * in-sample half (S/2 blocks) and its complement, the cell with the best in-sample metric is
 * selected and ranked out of sample: rank 1 = worst … N = best, ties sharing the mean of their
 * positions (R's `rank`, ties "average"), ω̄ = rank / (N + 1), λ = ln(ω̄ / (1 − ω̄)). The in-sample
 * best is the lowest cell index among equal scores. PBO = share of splits with λ ≤ 0, i.e. rank ≤
 * (N + 1)/2: an exact median rank counts as overfit. Pure noise gives PBO ≈ 0.5, a real edge ≈ 0.
 *
 * With `maxCombinations` below C(S, S/2), that many distinct splits are drawn uniformly from
 * `new Rng(seed)` and evaluated in lexicographic order — same input and seed, same result.
 * Cost: O(N·T) once plus O(N·S) per split for the default metric (N·C(S, S/2)·S overall), and
 * 28 bytes of result per split — cap S > 20 with `maxCombinations` (C(24, 12) ≈ 2.7 million).
 * @returns the frozen result, metrics per period as the metric computes them.
 * @throws RangeError on fewer than 2 cells, unequal lengths, non-finite returns, fewer rows than
 * blocks, or an invalid `partitions` / `maxCombinations`.
 */
export function probabilityOfBacktestOverfitting(input: BacktestOverfittingInput): BacktestOverfittingResult {
  const { partitions, maxCombinations, rows } = resolve(input);
  const { returns, metric } = input;
  const cells = returns.length;
  const half = partitions / 2;
  const rowsPerBlock = Math.floor(rows / partitions);
  const droppedRows = rows - partitions * rowsPerBlock;
  const layout = { offset: droppedRows, partitions, rowsPerBlock };
  const scorer: HalfScorer = metric === undefined ? new BlockSharpeScorer(returns, layout) : new MetricScorer(returns, layout, metric);
  const totalCombinations = binomial(partitions, half);
  // Split c is number c unless a sample was drawn (no index list for a full enumeration).
  const numbers = totalCombinations > maxCombinations ? selectCombinations(totalCombinations, maxCombinations, input.seed ?? 0) : null;
  const combinations = numbers === null ? totalCombinations : numbers.length;
  const logits = new Float64Array(combinations);
  const selectedCells = new Int32Array(combinations);
  const inSamplePerformance = new Float64Array(combinations);
  const outOfSamplePerformance = new Float64Array(combinations);
  const inBlocks = new Int32Array(half);
  const inSample = new Float64Array(cells);
  const outOfSample = new Float64Array(cells);
  let overfit = 0;
  let losses = 0;
  for (let c = 0; c < combinations; c++) {
    unrankCombination(numbers === null ? c : numbers[c]!, partitions, half, inBlocks);
    scorer.score(inBlocks, inSample, outOfSample);
    if (metric !== undefined) {
      demoteNaN(inSample);
      demoteNaN(outOfSample);
    }
    let best = 0;
    for (let n = 1; n < cells; n++) if (inSample[n]! > inSample[best]!) best = n;
    const chosen = outOfSample[best]!;
    let below = 0;
    let tied = 0;
    for (let n = 0; n < cells; n++) {
      const score = outOfSample[n]!;
      if (score < chosen) below++;
      else if (score === chosen) tied++;
    }
    const rank = below + (tied + 1) / 2;
    logits[c] = Math.log(rank / (cells + 1 - rank));
    if (2 * rank <= cells + 1) overfit++;
    if (chosen < 0) losses++;
    selectedCells[c] = best;
    inSamplePerformance[c] = inSample[best]!;
    outOfSamplePerformance[c] = chosen;
  }
  return Object.freeze({
    pbo: overfit / combinations,
    combinations,
    totalCombinations,
    logits,
    selectedCells,
    inSamplePerformance,
    outOfSamplePerformance,
    outOfSampleLossProbability: losses / combinations,
    partitions,
    cells,
    observations: partitions * rowsPerBlock,
    rowsPerBlock,
    droppedRows,
  });
}
