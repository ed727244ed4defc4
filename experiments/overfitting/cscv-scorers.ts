import { NOISE_FLOOR } from '../../engine/metrics/stats.js';

/**
 * Scorers for CSCV: given the in-sample blocks of one combination, the performance of every cell on
 * the in-sample half and on the out-of-sample half (the complementary blocks).
 */

/** A per-period return series: float64, or float32 as a grid's `returns.f32` stores it (read exactly, no copy). */
export type ReturnSeries = Float64Array | Float32Array;

/** A performance statistic of a per-period return series; higher is better. */
export type PerformanceMetric = (returns: Float64Array) => number;

/** Layout of the rows that CSCV uses: S blocks of `rowsPerBlock` rows starting at row `offset`. */
export interface BlockLayout {
  readonly offset: number;
  readonly partitions: number;
  readonly rowsPerBlock: number;
}

/** Scores every cell on one split; writes cell n's results to `inSample[n]` and `outOfSample[n]`. */
export interface HalfScorer {
  score(inBlocks: Int32Array, inSample: Float64Array, outOfSample: Float64Array): void;
}

const MIN_VARIANCE = NOISE_FLOOR * NOISE_FLOOR;

/** mean / sample std from centred sums; 0 without dispersion, like `sharpeRatio`. */
function sharpeFromSums(centre: number, sum: number, squares: number, count: number): number {
  const variance = (squares - (sum * sum) / count) / (count - 1);
  if (!(variance > MIN_VARIANCE)) return 0;
  return (centre + sum / count) / Math.sqrt(variance);
}

/**
 * The default scorer: per-period Sharpe ratio (mean / sample std, not annualized) from per-block
 * sufficient statistics, O(S) per cell and split instead of O(T).
 *
 * Each cell's returns are centred on the cell's own mean before the block sums Σd and Σd² are
 * taken, so the variance Σd² − (Σd)²/n does not cancel catastrophically when the mean is large
 * against the dispersion. The out-of-sample sums are the cell totals minus the in-sample sums.
 * A class rather than a closure so every instance shares one optimized `score` (V8 deoptimizes a
 * call site that meets a fresh closure on every run).
 */
export class BlockSharpeScorer implements HalfScorer {
  private readonly cells: number;
  private readonly partitions: number;
  private readonly count: number;
  private readonly centres: Float64Array;
  /** Σd and Σd² of cell n, block s at [2(nS + s)] and [2(nS + s) + 1]. */
  private readonly blockSums: Float64Array;
  /** Σd and Σd² of cell n over all used rows at [2n] and [2n + 1]. */
  private readonly totals: Float64Array;

  constructor(returns: readonly ReturnSeries[], layout: BlockLayout) {
    const { offset, partitions, rowsPerBlock } = layout;
    const cells = returns.length;
    this.cells = cells;
    this.partitions = partitions;
    this.count = (partitions / 2) * rowsPerBlock;
    this.centres = new Float64Array(cells);
    this.blockSums = new Float64Array(2 * cells * partitions);
    this.totals = new Float64Array(2 * cells);
    const end = offset + partitions * rowsPerBlock;
    for (let n = 0; n < cells; n++) {
      const series = returns[n]!;
      let total = 0;
      for (let i = offset; i < end; i++) total += series[i]!;
      const centre = total / (end - offset);
      this.centres[n] = centre;
      let cellSum = 0;
      let cellSquares = 0;
      for (let s = 0; s < partitions; s++) {
        let sum = 0;
        let squares = 0;
        const from = offset + s * rowsPerBlock;
        for (let i = from; i < from + rowsPerBlock; i++) {
          const d = series[i]! - centre;
          sum += d;
          squares += d * d;
        }
        this.blockSums[2 * (n * partitions + s)] = sum;
        this.blockSums[2 * (n * partitions + s) + 1] = squares;
        cellSum += sum;
        cellSquares += squares;
      }
      this.totals[2 * n] = cellSum;
      this.totals[2 * n + 1] = cellSquares;
    }
  }

  score(inBlocks: Int32Array, inSample: Float64Array, outOfSample: Float64Array): void {
    const { cells, partitions, count, centres, blockSums, totals } = this;
    const half = inBlocks.length;
    for (let n = 0; n < cells; n++) {
      const base = n * partitions;
      let sum = 0;
      let squares = 0;
      for (let j = 0; j < half; j++) {
        const at = 2 * (base + inBlocks[j]!);
        sum += blockSums[at]!;
        squares += blockSums[at + 1]!;
      }
      const centre = centres[n]!;
      inSample[n] = sharpeFromSums(centre, sum, squares, count);
      outOfSample[n] = sharpeFromSums(centre, totals[2 * n]! - sum, totals[2 * n + 1]! - squares, count);
    }
  }
}

/**
 * A scorer for any `metric`: copies each half's rows (in time order) into a reused buffer and
 * calls the metric on it, O(T) per cell and split. The metric must not keep the buffer.
 */
export class MetricScorer implements HalfScorer {
  private readonly inBuffer: Float64Array;
  private readonly outBuffer: Float64Array;
  private readonly isIn: Uint8Array;

  constructor(
    private readonly returns: readonly ReturnSeries[],
    private readonly layout: BlockLayout,
    private readonly metric: PerformanceMetric,
  ) {
    const halfRows = (layout.partitions / 2) * layout.rowsPerBlock;
    this.inBuffer = new Float64Array(halfRows);
    this.outBuffer = new Float64Array(halfRows);
    this.isIn = new Uint8Array(layout.partitions);
  }

  score(inBlocks: Int32Array, inSample: Float64Array, outOfSample: Float64Array): void {
    const { returns, metric, inBuffer, outBuffer, isIn } = this;
    const { offset, partitions, rowsPerBlock } = this.layout;
    isIn.fill(0);
    for (const block of inBlocks) isIn[block] = 1;
    for (let n = 0; n < returns.length; n++) {
      const series = returns[n]!;
      let inAt = 0;
      let outAt = 0;
      for (let s = 0; s < partitions; s++) {
        const from = offset + s * rowsPerBlock;
        const rows = series.subarray(from, from + rowsPerBlock);
        if (isIn[s] === 1) {
          inBuffer.set(rows, inAt);
          inAt += rowsPerBlock;
        } else {
          outBuffer.set(rows, outAt);
          outAt += rowsPerBlock;
        }
      }
      inSample[n] = metric(inBuffer);
      outOfSample[n] = metric(outBuffer);
    }
  }
}
