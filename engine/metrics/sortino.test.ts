import { describe, expect, it } from 'vitest';
import { downsideDeviation, sortinoRatio } from './sortino.js';

const returns = Float64Array.from([0.01, -0.01, 0.02, 0]);

describe('downsideDeviation', () => {
  it('divides the squared shortfalls by the full count n', () => {
    // min(0, r) = [0, −0.01, 0, 0] → 1e-4 / 4 = 2.5e-5 → √ = 0.005
    expect(downsideDeviation(returns)).toBeCloseTo(0.005, 15);
  });
});

describe('sortinoRatio', () => {
  it('is mean / downside deviation × √252', () => {
    // 0.005 / 0.005 × √252 = 15.874507866…
    expect(sortinoRatio(returns)).toBeCloseTo(Math.sqrt(252), 12);
  });

  it('measures shortfalls below the per-period risk-free rate', () => {
    // target 0.0252 / 252 = 0.0001: shortfalls −0.0101 and −0.0001
    // → (1.0201e-4 + 1e-8) / 4 = 2.5505e-5; excess mean 0.0049
    const expected = (0.0049 / Math.sqrt(2.5505e-5)) * Math.sqrt(252);
    expect(sortinoRatio(returns, 0.0252)).toBeCloseTo(expected, 10);
  });

  it('is null when gains have no downside, 0 when flat or too short', () => {
    expect(sortinoRatio([0.01, 0.02, 0])).toBeNull();
    expect(sortinoRatio([0, 0, 0])).toBe(0);
    expect(sortinoRatio([-0.01])).toBe(0);
  });
});
