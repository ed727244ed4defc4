import { describe, expect, it } from 'vitest';
import { annualizedVolatilityPct } from './volatility.js';

describe('annualizedVolatilityPct', () => {
  it('is sample std × √252 × 100', () => {
    // std of [0.01, −0.01, 0.02, 0] = √(1/6000); × √252 = √0.042 = 0.204939…; × 100
    expect(annualizedVolatilityPct([0.01, -0.01, 0.02, 0])).toBeCloseTo(Math.sqrt(0.042) * 100, 10);
    expect(annualizedVolatilityPct([0.01, -0.01, 0.02, 0])).toBeCloseTo(20.493901531919196, 10);
  });
  it('is 0 for fewer than two returns', () => {
    expect(annualizedVolatilityPct([0.3])).toBe(0);
  });
});
