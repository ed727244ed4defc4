import { describe, expect, it } from 'vitest';
import { exposurePct } from './exposure.js';
import { turnover } from './turnover.js';

describe('exposurePct', () => {
  it('is the percent of bars with a position', () => {
    // 2 of 5 bars invested (NaN counts as flat) → 40 %
    expect(exposurePct(Float64Array.from([0, 0.5, 1.2, 0, Number.NaN]))).toBe(40);
    expect(exposurePct(Float64Array.from([1, 1]))).toBe(100);
    expect(exposurePct(new Float64Array(0))).toBe(0);
  });
});

describe('turnover', () => {
  it('is traded value over mean equity', () => {
    // mean equity (100 + 200 + 300) / 3 = 200 → 300 / 200 = 1.5
    expect(turnover(300, Float64Array.from([100, 200, 300]))).toBe(1.5);
    expect(turnover(300, new Float64Array(0))).toBe(0);
    expect(turnover(0, Float64Array.from([100]))).toBe(0);
  });
});
