import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/rng.js';
import { probabilityOfBacktestOverfitting } from './probability-of-backtest-overfitting.js';

/** `cells` series of `rows` iid N(mean, 1) returns; cell n's mean is `means[n] ?? 0`. */
function normalCells(seed: number, cells: number, rows: number, means: readonly number[] = []): Float64Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: cells }, (_, n) => Float64Array.from({ length: rows }, () => (means[n] ?? 0) + rng.normal()));
}

const sharpe = (r: Float64Array): number => {
  let sum = 0;
  for (const x of r) sum += x;
  const mean = sum / r.length;
  let squares = 0;
  for (const x of r) squares += (x - mean) ** 2;
  const std = Math.sqrt(squares / (r.length - 1));
  return std > 1e-14 ? mean / std : 0;
};

describe('probabilityOfBacktestOverfitting — hand-worked CSCV', () => {
  // 3 cells, T = 4, S = 4: one row per block, in-sample = 2 rows, out-of-sample = the other 2.
  // The Sharpe ratio is scale-free, so small integers stand in for returns. For two values a, b:
  // SR = mean / sample std = ((a + b)/2) / (|a − b|/√2); equal values have no dispersion → SR 0.
  //   A = [3, 2, −1, −2]   B = [1, 2, 1, 2]   C = [−1, 1, 2, 3]
  //
  //  in  | IS SR  A      B      C     | pick | OOS SR A   B      C     | OOS rank of pick  | λ
  //  0,1 |  3.536  2.121  0           | A    | −2.121  2.121  3.536    | 1                 | ln(1/3) = −1.0986
  //  0,2 |  0.354  0      0.236       | A    |  0      0      1.414    | A = B: (1+2)/2 = 1.5 | ln(1.5/2.5) = −0.5108
  //  0,3 |  0.141  2.121  0.354       | B    |  0.236  2.121  2.121    | B = C: (2+3)/2 = 2.5 | ln(2.5/1.5) = +0.5108
  //  1,2 |  0.236  2.121  2.121       | B *  |  0.141  2.121  0.354    | 3                 | ln(3/1) = +1.0986
  //  1,3 |  0      0      1.414       | C    |  0.354  0      0.236    | 2 (the median)    | ln(2/2) = 0
  //  2,3 | −2.121  2.121  3.536       | C    |  3.536  2.121  0        | 1                 | ln(1/3) = −1.0986
  // (* B and C tie in-sample: the lower index wins. Rank 1 = worst … N = best, ties share the mean
  // of their positions; λ = ln(ω̄/(1 − ω̄)) = ln(rank / (N + 1 − rank)).)
  // λ ≤ 0 in splits {0,1}, {0,2}, {1,3}, {2,3} → PBO = 4/6; OOS SR < 0 only in {0,1} → loss 1/6.
  const returns = [Float64Array.of(3, 2, -1, -2), Float64Array.of(1, 2, 1, 2), Float64Array.of(-1, 1, 2, 3)];
  const expectedLogits = [Math.log(1 / 3), Math.log(0.6), Math.log(5 / 3), Math.log(3), 0, Math.log(1 / 3)];

  it('reproduces every split', () => {
    const result = probabilityOfBacktestOverfitting({ returns, partitions: 4 });
    expect(result.combinations).toBe(6);
    expect(result.totalCombinations).toBe(6);
    expect(Array.from(result.selectedCells)).toEqual([0, 0, 1, 1, 2, 2]);
    result.logits.forEach((logit, c) => expect(logit).toBeCloseTo(expectedLogits[c]!, 14));
    expect(result.pbo).toBeCloseTo(4 / 6, 15);
    expect(result.inSamplePerformance[0]).toBeCloseTo(2.5 / (1 / Math.SQRT2), 14);
    expect(result.outOfSamplePerformance[0]).toBeCloseTo(-1.5 / (1 / Math.SQRT2), 14);
    expect(result.outOfSampleLossProbability).toBeCloseTo(1 / 6, 15);
    expect(result).toMatchObject({ partitions: 4, cells: 3, observations: 4, rowsPerBlock: 1, droppedRows: 0 });
  });

  it('gives the same splits through a custom metric', () => {
    const result = probabilityOfBacktestOverfitting({ returns, partitions: 4, metric: sharpe });
    result.logits.forEach((logit, c) => expect(logit).toBeCloseTo(expectedLogits[c]!, 14));
  });

  it('drops the oldest rows that do not fill a block', () => {
    const padded = returns.map((r, n) => Float64Array.of(100 * (n + 1), ...r));
    const result = probabilityOfBacktestOverfitting({ returns: padded, partitions: 4 });
    expect(result.droppedRows).toBe(1);
    expect(result.observations).toBe(4);
    result.logits.forEach((logit, c) => expect(logit).toBeCloseTo(expectedLogits[c]!, 14));
  });

  it('counts an all-tied grid as overfit (median rank)', () => {
    const same = [Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 2, 3, 4)];
    const result = probabilityOfBacktestOverfitting({ returns: same, partitions: 4 });
    expect(Array.from(result.selectedCells)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(result.logits)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(result.pbo).toBe(1);
  });
});

describe('probabilityOfBacktestOverfitting — properties from the paper', () => {
  it('is near 0.5 for pure noise', () => {
    const result = probabilityOfBacktestOverfitting({ returns: normalCells(11, 100, 1000), partitions: 16 });
    expect(result.combinations).toBe(12870);
    expect(result.droppedRows).toBe(8); // 1000 = 16 × 62 + 8
    expect(result.pbo).toBeGreaterThan(0.35);
    expect(result.pbo).toBeLessThan(0.65);
  });

  it('averages near 0.5 over noise seeds (one sample varies widely: splits share their data)', () => {
    let sum = 0;
    for (let seed = 100; seed < 140; seed++) sum += probabilityOfBacktestOverfitting({ returns: normalCells(seed, 50, 400), partitions: 8 }).pbo;
    expect(sum / 40).toBeGreaterThan(0.4);
    expect(sum / 40).toBeLessThan(0.6);
  });

  it('is near 0 with a planted real edge', () => {
    const means = Array.from({ length: 100 }, (_, n) => (n === 37 ? 0.3 : 0));
    const result = probabilityOfBacktestOverfitting({ returns: normalCells(12, 100, 1000, means), partitions: 16 });
    expect(result.pbo).toBeLessThan(0.1);
    expect(result.selectedCells.filter((n) => n === 37).length / result.combinations).toBeGreaterThan(0.9);
  });

  it('matches the slow path for a custom metric computing the same Sharpe ratio', () => {
    const returns = normalCells(13, 20, 203, [0.05, 0.1]);
    const fast = probabilityOfBacktestOverfitting({ returns, partitions: 8 });
    const slow = probabilityOfBacktestOverfitting({ returns, partitions: 8, metric: sharpe });
    expect(Array.from(slow.selectedCells)).toEqual(Array.from(fast.selectedCells));
    expect(Array.from(slow.logits)).toEqual(Array.from(fast.logits));
    slow.outOfSamplePerformance.forEach((v, c) => expect(v).toBeCloseTo(fast.outOfSamplePerformance[c]!, 12));
  });

  it('reads float32 series in place exactly as their float64 copies (a grid’s returns.f32 rows)', () => {
    const single = normalCells(16, 12, 250, [0.08]).map((r) => Float32Array.from(r));
    const double = single.map((r) => new Float64Array(r));
    for (const metric of [undefined, sharpe]) {
      const a = probabilityOfBacktestOverfitting({ returns: single, partitions: 10, ...(metric === undefined ? {} : { metric }) });
      const b = probabilityOfBacktestOverfitting({ returns: double, partitions: 10, ...(metric === undefined ? {} : { metric }) });
      expect(Array.from(a.logits)).toEqual(Array.from(b.logits));
      expect(Array.from(a.outOfSamplePerformance)).toEqual(Array.from(b.outOfSamplePerformance));
      expect(a.pbo).toBe(b.pbo);
    }
    const bad = single.map((r) => r.slice());
    bad[3]![17] = Number.NaN;
    expect(() => probabilityOfBacktestOverfitting({ returns: bad, partitions: 10 })).toThrow('probabilityOfBacktestOverfitting: returns[3][17] is NaN');
  });

  it('samples splits deterministically with maxCombinations', () => {
    const returns = normalCells(14, 30, 480);
    const full = probabilityOfBacktestOverfitting({ returns, partitions: 16 });
    const a = probabilityOfBacktestOverfitting({ returns, partitions: 16, maxCombinations: 2000, seed: 3 });
    const b = probabilityOfBacktestOverfitting({ returns, partitions: 16, maxCombinations: 2000, seed: 3 });
    expect(a.combinations).toBe(2000);
    expect(a.totalCombinations).toBe(12870);
    expect(Array.from(a.logits)).toEqual(Array.from(b.logits));
    expect(a.pbo).toBe(b.pbo);
    expect(Math.abs(a.pbo - full.pbo)).toBeLessThan(0.05);
  });

  it('rejects input it cannot split', () => {
    const two = normalCells(15, 2, 32);
    expect(() => probabilityOfBacktestOverfitting({ returns: two.slice(0, 1) })).toThrow(RangeError);
    expect(() => probabilityOfBacktestOverfitting({ returns: two, partitions: 7 })).toThrow(/even/);
    expect(() => probabilityOfBacktestOverfitting({ returns: two, partitions: 64 })).toThrow(RangeError);
    expect(() => probabilityOfBacktestOverfitting({ returns: [two[0]!, two[1]!.subarray(1)] })).toThrow(/rows/);
    expect(() => probabilityOfBacktestOverfitting({ returns: two, maxCombinations: 0 })).toThrow(RangeError);
    expect(() => probabilityOfBacktestOverfitting({ returns: normalCells(15, 2, 8) })).toThrow(/blocks/);
    const bad = [two[0]!, Float64Array.from(two[1]!, (v, i) => (i === 5 ? Number.NaN : v))];
    expect(() => probabilityOfBacktestOverfitting({ returns: bad })).toThrow(/returns\[1\]\[5\]/);
  });
});
