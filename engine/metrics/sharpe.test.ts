import { describe, expect, it } from 'vitest';
import { sharpeRatio } from './sharpe.js';

// r = [0.01, −0.01, 0.02, 0]: mean = 0.02 / 4 = 0.005
// deviations 0.005, −0.015, 0.015, −0.005 → squares 25e-6 + 225e-6 + 225e-6 + 25e-6 = 500e-6
// sample variance = 500e-6 / 3 → std = √(1/6000) = 0.012909944…
const returns = Float64Array.from([0.01, -0.01, 0.02, 0]);

describe('sharpeRatio', () => {
  it('is mean / sample std × √252', () => {
    // 0.005 × √6000 × √252 = √(0.15 × 252) = √37.8 = 6.148170459…
    expect(sharpeRatio(returns)).toBeCloseTo(Math.sqrt(37.8), 12);
    expect(sharpeRatio(returns)).toBeCloseTo(6.148170459575759, 12);
  });

  it('subtracts the per-period risk-free rate', () => {
    // rf 2.52 % / 252 = 0.0001 per day → excess mean 0.0049
    expect(sharpeRatio(returns, 0.0252)).toBeCloseTo((0.0049 / Math.sqrt(500e-6 / 3)) * Math.sqrt(252), 12);
  });

  it('annualizes with periodsPerYear', () => {
    // √(0.15 × 12) = √1.8
    expect(sharpeRatio(returns, 0, 12)).toBeCloseTo(Math.sqrt(1.8), 12);
  });

  it('is 0 for fewer than two returns or no dispersion', () => {
    expect(sharpeRatio([])).toBe(0);
    expect(sharpeRatio([0.05])).toBe(0);
    expect(sharpeRatio([0, 0, 0])).toBe(0);
    // a constant 0.1 averages to 0.10000000000000002: float noise, not risk
    expect(sharpeRatio([0.1, 0.1, 0.1])).toBe(0);
  });

  it('is negative for losing series', () => {
    expect(sharpeRatio(returns.map((r) => -r))).toBeCloseTo(-Math.sqrt(37.8), 12);
  });
});
