import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annualizeSharpe, deflatedSharpeRatio, expectedMaxSharpe, probabilisticSharpeRatio } from './deflated-sharpe.js';

// Hand-worked case: N = 4 trials, V[SR] = 0.0004 (√V = 0.02), best SR = 0.1 per day, T = 252,
// skew 0, kurtosis 3.
//   Φ⁻¹(1 − 1/4) = Φ⁻¹(0.75) = 0.6744897502
//   Φ⁻¹(1 − 1/(4e)) = Φ⁻¹(0.9080301397) = 1.3287219496
//   (1 − γ)·0.6744897502 = 0.4227843351 × 0.6744897502 = 0.2851637006
//   γ·1.3287219496 = 0.5772156649 × 1.3287219496 = 0.7669591236
//   SR₀ = 0.02 × (0.2851637006 + 0.7669591236) = 0.02 × 1.0521228242 = 0.0210424565
//   variance term 1 − 0·0.1 + (3 − 1)/4 · 0.1² = 1.005, √1.005 = 1.0024968828
//   z = (0.1 − 0.0210424565) · √251 / 1.0024968828 = 0.0789575435 × 15.8429795178 / 1.0024968828
//     = 1.2509227447 / 1.0024968828 = 1.2478071166
//   DSR = Φ(1.2478071166) = 0.8939491491
const SR0 = 0.021042456483786012;

describe('expectedMaxSharpe', () => {
  it('matches the hand-worked value', () => {
    expect(expectedMaxSharpe({ trials: 4, sharpeVariance: 0.0004 })).toBeCloseTo(SR0, 14);
  });

  it('scales with √V and grows with N (reference values of the bracket)', () => {
    expect(expectedMaxSharpe({ trials: 10, sharpeVariance: 1 })).toBeCloseTo(1.57459830134575, 12);
    expect(expectedMaxSharpe({ trials: 100, sharpeVariance: 1 })).toBeCloseTo(2.5306028932016846, 12);
    expect(expectedMaxSharpe({ trials: 1000, sharpeVariance: 4 })).toBeCloseTo(2 * 3.255121513652723, 12);
  });

  it('is 0 for one trial or no dispersion, and rejects bad input', () => {
    expect(expectedMaxSharpe({ trials: 1, sharpeVariance: 1 })).toBe(0);
    expect(expectedMaxSharpe({ trials: 50, sharpeVariance: 0 })).toBe(0);
    expect(() => expectedMaxSharpe({ trials: 0, sharpeVariance: 1 })).toThrow(RangeError);
    expect(() => expectedMaxSharpe({ trials: 2.5, sharpeVariance: 1 })).toThrow(RangeError);
    expect(() => expectedMaxSharpe({ trials: 5, sharpeVariance: -1 })).toThrow(RangeError);
  });
});

describe('probabilisticSharpeRatio', () => {
  it('matches the hand-worked DSR when the benchmark is SR₀', () => {
    const psr = probabilisticSharpeRatio({ sharpe: 0.1, benchmarkSharpe: SR0, observations: 252, skewness: 0, kurtosis: 3 });
    expect(psr).toBeCloseTo(0.8939491490584826, 13);
  });

  it('is 0.5 at the benchmark, penalizes negative skew and fat tails', () => {
    const base = { sharpe: 0.1, benchmarkSharpe: 0, observations: 252, skewness: 0, kurtosis: 3 };
    expect(probabilisticSharpeRatio({ ...base, benchmarkSharpe: 0.1 })).toBe(0.5);
    const normal = probabilisticSharpeRatio(base);
    expect(probabilisticSharpeRatio({ ...base, skewness: -1 })).toBeLessThan(normal);
    expect(probabilisticSharpeRatio({ ...base, kurtosis: 10 })).toBeLessThan(normal);
    expect(() => probabilisticSharpeRatio({ ...base, observations: 1 })).toThrow(RangeError);
  });

  it('increases with the number of observations when SR > SR*', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.3, noNaN: true }), fc.integer({ min: 2, max: 5000 }), fc.integer({ min: 1, max: 5000 }), (sharpe, t, more) => {
        const psr = (observations: number): number =>
          probabilisticSharpeRatio({ sharpe, benchmarkSharpe: 0, observations, skewness: -0.5, kurtosis: 6 });
        expect(psr(t + more)).toBeGreaterThanOrEqual(psr(t));
      }),
    );
  });
});

/** 126 × (mean + d) then 126 × (mean − d): skew 0, kurtosis 1, SR = mean / (d·√(252/251)). */
function twoPointReturns(mean: number, d: number): Float64Array {
  return Float64Array.from({ length: 252 }, (_, i) => (i < 126 ? mean + d : mean - d));
}

describe('deflatedSharpeRatio', () => {
  it('deflates the best of 4 trials (hand-worked)', () => {
    // mean 0.001, d 0.02 → SR = 0.05·√(251/252) = 0.0499006950; skew 0, kurtosis 1 → variance term 1.
    // trials [SR − 0.04, SR − 0.04, SR − 0.04, SR]: deviations −0.01 (×3), +0.03 → Σ = 0.0012, /3 = 0.0004
    // DSR = Φ((0.0499006950 − 0.0210424565)·√251) = Φ(0.4572004823) = 0.6762365241
    // PSR(0) = Φ(0.0499006950·√251) = Φ(0.7905756894) = 0.7854041811
    const bestSharpe = 0.05 * Math.sqrt(251 / 252);
    const result = deflatedSharpeRatio({
      bestReturns: twoPointReturns(0.001, 0.02),
      trialSharpes: Float64Array.from([bestSharpe - 0.04, bestSharpe - 0.04, bestSharpe - 0.04, bestSharpe]),
    });
    expect(result.bestSharpe).toBeCloseTo(bestSharpe, 13);
    expect(result.sharpeVariance).toBeCloseTo(0.0004, 15);
    expect(result.skewness).toBeCloseTo(0, 10);
    expect(result.kurtosis).toBeCloseTo(1, 12);
    expect(result.observations).toBe(252);
    expect(result.trials).toBe(4);
    expect(result.sr0).toBeCloseTo(SR0, 13);
    expect(result.dsr).toBeCloseTo(0.67623652413599, 10);
    expect(result.psr0).toBeCloseTo(0.785404181080702, 10);
    expect(Object.isFrozen(result)).toBe(true);
  });

  it('decreases as the number of trials grows, the rest held', () => {
    const bestReturns = twoPointReturns(0.002, 0.02);
    const trialSharpes = Float64Array.from([0.02, 0.05, 0.08, 0.1]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), (trials, more) => {
        const at = (n: number): number => deflatedSharpeRatio({ bestReturns, trialSharpes, trials: n }).dsr;
        expect(at(trials + more)).toBeLessThanOrEqual(at(trials));
      }),
    );
  });

  it('equals PSR(0) for a single trial', () => {
    const result = deflatedSharpeRatio({ bestReturns: twoPointReturns(0.001, 0.02), trialSharpes: Float64Array.of(0.05) });
    expect(result.sr0).toBe(0);
    expect(result.dsr).toBe(result.psr0);
  });

  it('rejects input it cannot judge', () => {
    const trialSharpes = Float64Array.of(0.1, 0.2);
    expect(() => deflatedSharpeRatio({ bestReturns: Float64Array.of(0.01), trialSharpes })).toThrow(RangeError);
    expect(() => deflatedSharpeRatio({ bestReturns: new Float64Array(10).fill(0.01), trialSharpes })).toThrow(RangeError);
    const bestReturns = twoPointReturns(0.001, 0.02);
    expect(() => deflatedSharpeRatio({ bestReturns, trialSharpes: new Float64Array(0) })).toThrow(RangeError);
    expect(() => deflatedSharpeRatio({ bestReturns, trialSharpes: Float64Array.of(0.1, Number.NaN) })).toThrow(/trialSharpes\[1\]/);
  });
});

describe('annualizeSharpe', () => {
  it('multiplies by √periodsPerYear', () => {
    expect(annualizeSharpe(0.1)).toBeCloseTo(0.1 * Math.sqrt(252), 14);
    expect(annualizeSharpe(0.1, 12)).toBeCloseTo(0.1 * Math.sqrt(12), 14);
  });
});
