import { describe, expect, it } from 'vitest';
import { systemQualityNumber } from './sqn.js';

describe('systemQualityNumber', () => {
  it('is √N × mean / sample std', () => {
    // pnl [100, −50, 200, −50]: mean 50; deviations 50, −100, 150, −100
    // squares 2500 + 10000 + 22500 + 10000 = 45000 → /3 = 15000 → std 122.4744…
    // √4 × 50 / 122.4744 = √(2/3) = 0.8164965…
    expect(systemQualityNumber([100, -50, 200, -50])).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });
  it('is 0 for fewer than two trades or identical P&Ls', () => {
    expect(systemQualityNumber([])).toBe(0);
    expect(systemQualityNumber([500])).toBe(0);
    expect(systemQualityNumber([10, 10, 10])).toBe(0);
  });
});
