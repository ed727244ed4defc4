import { describe, expect, it } from 'vitest';
import { cagrPct, YEAR_MS } from './cagr.js';
import { totalReturnPct } from './total-return.js';

const start = Date.UTC(2020, 0, 1);

describe('cagrPct', () => {
  it('compounds over 365.25-day years', () => {
    // 100 → 121 over two years: 1.21^(1/2) − 1 = 0.1 → 10 %
    expect(cagrPct(100, 121, start, start + 2 * YEAR_MS)).toBeCloseTo(10, 10);
    // 100 → 110.25 over half a year: 1.1025^2 − 1 = 0.21550625 → 21.550625 %
    expect(cagrPct(100, 110.25, start, start + YEAR_MS / 2)).toBeCloseTo(21.550625, 10);
    // 1000 → 900 over 1 year → −10 %
    expect(cagrPct(1000, 900, start, start + 365.25 * 86_400_000)).toBeCloseTo(-10, 10);
  });
  it('is 0 for a zero span and −100 when wiped out', () => {
    expect(cagrPct(100, 150, start, start)).toBe(0);
    expect(cagrPct(100, 0, start, start + YEAR_MS)).toBe(-100);
    expect(cagrPct(100, -20, start, start + YEAR_MS)).toBe(-100);
  });
});

describe('totalReturnPct', () => {
  it('is (final / initial − 1) × 100', () => {
    expect(totalReturnPct(100, 121)).toBeCloseTo(21, 12);
    expect(totalReturnPct(100, 100)).toBe(0);
    expect(totalReturnPct(200, 150)).toBe(-25);
  });
});
