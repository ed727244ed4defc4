import { describe, expect, it } from 'vitest';
import { returnMoments } from './return-moments.js';

describe('returnMoments', () => {
  it('computes mean, sample std, skewness and raw kurtosis', () => {
    // r = [1, 2, 3, 10]: mean 4, deviations −3, −2, −1, 6
    // Σd² = 9 + 4 + 1 + 36 = 50 → sample std √(50/3); m₂ = 12.5
    // Σd³ = −27 − 8 − 1 + 216 = 180 → m₃ = 45; skew = 45 / 12.5^1.5 = 1.0182337649086284
    // Σd⁴ = 81 + 16 + 1 + 1296 = 1394 → m₄ = 348.5; kurtosis = 348.5 / 156.25 = 2.2304
    const m = returnMoments([1, 2, 3, 10]);
    expect(m.count).toBe(4);
    expect(m.mean).toBe(4);
    expect(m.std).toBeCloseTo(Math.sqrt(50 / 3), 14);
    expect(m.skewness).toBeCloseTo(1.0182337649086284, 14);
    expect(m.kurtosis).toBeCloseTo(2.2304, 14);
  });

  it('gives a two-point series skew 0 and kurtosis 1', () => {
    const m = returnMoments([0.03, -0.01, 0.03, -0.01]);
    expect(m.skewness).toBeCloseTo(0, 12);
    expect(m.kurtosis).toBeCloseTo(1, 12);
  });

  it('has NaN shape moments without dispersion', () => {
    expect(returnMoments([0.01, 0.01]).skewness).toBeNaN();
    expect(returnMoments([0.01]).kurtosis).toBeNaN();
    expect(returnMoments([]).std).toBe(0);
  });
});
