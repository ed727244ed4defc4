import { describe, expect, it } from 'vitest';
import { mean, sampleStd, utcDay } from './stats.js';

describe('stats helpers', () => {
  it('mean and sample std', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([])).toBe(0);
    // deviations ±1.5, ±0.5 → squares 2.25 + 0.25 + 0.25 + 2.25 = 5 → 5 / 3 → √(5/3)
    expect(sampleStd(new Float64Array([1, 2, 3, 4]))).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(sampleStd([7])).toBe(0);
  });
  it('utcDay counts UTC calendar days', () => {
    expect(utcDay(Date.UTC(1970, 0, 2, 23, 59))).toBe(1);
    expect(utcDay(Date.UTC(2024, 0, 1))).toBe(19723);
  });
});
