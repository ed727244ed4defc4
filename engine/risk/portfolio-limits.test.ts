import { describe, expect, it } from 'vitest';
import { historicalVar, varRank } from './historical-var.js';
import { pearsonCorrelation } from './pearson.js';
import { entry, feedCloses, manager, position } from './test-support.js';

describe('historicalVar', () => {
  it('is minus the k-th worst scenario, k = ceil((1 − confidence) × n)', () => {
    // values 1000 and −500; scenario P&L: 10 − 10 = 0, −20 − 5 = −25, 30 + 5 = 35, −50 + 20 = −30, 0 (null = no move)
    const rows = [[0.01, 0.02], [-0.02, 0.01], [0.03, -0.01], [-0.05, -0.04], [0, null]];
    expect(historicalVar([1000, -500], rows, 0.8)).toBeCloseTo(30, 10);
    expect(historicalVar([1000, -500], rows, 0.6)).toBeCloseTo(25, 10);
    expect(historicalVar([1000, -500], [[0.01, 0.01]], 0.95)).toBe(0);
    expect(historicalVar([1000], [], 0.95)).toBe(0);
  });

  it('ranks 20 scenarios at 95 % as the worst and 100 at 95 % as the 5th worst', () => {
    expect(varRank(20, 0.95)).toBe(1);
    expect(varRank(100, 0.95)).toBe(5);
    expect(varRank(100, 0.99)).toBe(1);
    expect(varRank(250, 0.99)).toBe(3);
  });
});

describe('pearsonCorrelation', () => {
  it('pairs only rows where both columns have a return', () => {
    const rows = [[1, 2, 1], [2, 4, null], [3, 6, 2], [4, 8, 1], [5, 10, 2]];
    expect(pearsonCorrelation(rows, 0, 1)).toBeCloseTo(1, 12);
    // x 1, 3, 4, 5 vs y 1, 2, 1, 2: means 3.25, 1.5; dx −2.25, −0.25, 0.75, 1.75; dy ∓0.5
    // Σdxdy = 1.125 − 0.125 − 0.375 + 0.875 = 1.5, Σdx² = 8.75, Σdy² = 1 → 1.5 / √8.75 = 0.507093
    expect(pearsonCorrelation(rows, 0, 2)).toBeCloseTo(1.5 / Math.sqrt(8.75), 12);
    expect(pearsonCorrelation(rows, 0, 2)).toBeCloseTo(0.507093, 6);
    expect(pearsonCorrelation([[1, 1], [2, 1], [3, 1]], 0, 1)).toBeUndefined();
    expect(pearsonCorrelation([[1, 1], [2, 2]], 0, 1)).toBeUndefined();
  });
});

// AAA returns +10 %, −10 %, 0, +10 %, −10 %; BBB never moves.
const varCloses = [100, 110, 99, 99, 108.9, 98.01].map((AAA) => ({ AAA, BBB: 50 }));

describe('var (confidence 0.8, lookback 5, maxPct 1) on equity 100 000', () => {
  const options = { var: { confidence: 0.8, lookback: 5, maxPct: 1 } };

  it('allows 100 AAA at 98.01 (worst scenario −10 % × 9801 = −980.1 → 0.98 %)', () => {
    const risk = feedCloses(manager(options), varCloses);
    expect(risk.checkOrder(entry('AAA', 'buy', 100, { price: 98.01 }))).toBeUndefined();
  });

  it('rejects 110 AAA (−10 % × 10 781.1 → 1.08 % > 1 %), and counts what is already held', () => {
    const risk = feedCloses(manager(options), varCloses);
    expect(risk.checkOrder(entry('AAA', 'buy', 110, { price: 98.01 }))).toBe('ORDER_REJECTED: VaR(80%) 1.08% of equity > max 1%');
    // Held 100 AAA (9801) + 10 more (980.1): the same 1.08 %.
    const holding = feedCloses(manager(options), varCloses, [position('AAA', 100, { price: 98.01 })]);
    expect(holding.checkOrder(entry('AAA', 'buy', 10, { price: 98.01 }))).toBe('ORDER_REJECTED: VaR(80%) 1.08% of equity > max 1%');
  });

  it('allows entries that do not raise VaR, even above the limit (hedges)', () => {
    // Held 200 AAA: 19 602 → VaR 1.96 %.
    const risk = feedCloses(manager(options), varCloses, [position('AAA', 200, { price: 98.01 })]);
    expect(risk.checkOrder(entry('AAA', 'sell', 50, { price: 98.01 }))).toBeUndefined();
    expect(risk.checkOrder(entry('BBB', 'buy', 100, { price: 50 }))).toBeUndefined();
  });

  it('is not judged before lookback returns exist', () => {
    const risk = feedCloses(manager(options), varCloses.slice(0, 5));
    expect(risk.checkOrder(entry('AAA', 'buy', 1000, { price: 108.9 }))).toBeUndefined();
  });
});

describe('correlation (max 0.8, lookback 4)', () => {
  // Returns: AAA +.1 −.1 +.1 −.1; BBB the same (ρ 1); CCC the opposite (ρ −1); DDD +.1 −.1 −.1 +.1
  // (Σ products 1 + 1 − 1 − 1 = 0 → ρ 0).
  const AAA = [100, 110, 99, 108.9, 98.01];
  const BBB = [50, 55, 49.5, 54.45, 49.005];
  const CCC = [20, 18, 19.8, 17.82, 19.602];
  const DDD = [10, 11, 9.9, 8.91, 9.801];
  const closes = AAA.map((a, i) => ({ AAA: a, BBB: BBB[i]!, CCC: CCC[i]!, DDD: DDD[i]! }));
  const options = { correlation: { max: 0.8, lookback: 4 } };

  it('rejects a same-direction entry in a symbol correlated 1 with a held one', () => {
    const long = feedCloses(manager(options), closes, [position('AAA', 10)]);
    expect(long.checkOrder(entry('BBB', 'buy', 10))).toBe('ORDER_REJECTED: correlation 1 of BBB with long AAA > max 0.8');
    const short = feedCloses(manager(options), closes, [position('AAA', -10)]);
    expect(short.checkOrder(entry('BBB', 'sell', 10))).toBe('ORDER_REJECTED: correlation 1 of BBB with short AAA > max 0.8');
  });

  it('allows a hedge (opposite direction), an anti-correlated and an uncorrelated symbol, and the same symbol', () => {
    const risk = feedCloses(manager(options), closes, [position('AAA', 10)]);
    expect(risk.checkOrder(entry('BBB', 'sell', 10))).toBeUndefined();
    expect(risk.checkOrder(entry('CCC', 'buy', 10))).toBeUndefined();
    expect(risk.checkOrder(entry('DDD', 'buy', 10))).toBeUndefined();
    expect(risk.checkOrder(entry('AAA', 'buy', 10))).toBeUndefined();
  });
});
