import { describe, expect, it } from 'vitest';
import { binomial, selectCombinations, unrankCombination } from './cscv-combinations.js';

function blocksOf(rank: number, n: number, k: number): number[] {
  const out = new Int32Array(k);
  unrankCombination(rank, n, k, out);
  return Array.from(out);
}

describe('binomial', () => {
  it('counts subsets', () => {
    expect(binomial(4, 2)).toBe(6);
    expect(binomial(16, 8)).toBe(12870);
    expect(binomial(32, 16)).toBe(601080390);
    expect(binomial(5, 0)).toBe(1);
    expect(binomial(3, 4)).toBe(0);
  });
});

describe('unrankCombination', () => {
  it('numbers combinations in lexicographic order', () => {
    expect([0, 1, 2, 3, 4, 5].map((r) => blocksOf(r, 4, 2))).toEqual([[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
  });

  it('lists every combination once, and number C − 1 − i is the complement of number i', () => {
    const n = 10;
    const k = 5;
    const total = binomial(n, k);
    const seen = new Set<string>();
    for (let r = 0; r < total; r++) {
      const blocks = blocksOf(r, n, k);
      seen.add(blocks.join(','));
      const complement = Array.from({ length: n }, (_, b) => b).filter((b) => !blocks.includes(b));
      expect(blocksOf(total - 1 - r, n, k)).toEqual(complement);
    }
    expect(seen.size).toBe(total);
  });
});

describe('selectCombinations', () => {
  it('keeps all when they fit', () => {
    expect(Array.from(selectCombinations(6, 10, 0))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('draws distinct sorted numbers, the same for the same seed', () => {
    const a = selectCombinations(12870, 500, 7);
    expect(a.length).toBe(500);
    expect(new Set(a).size).toBe(500);
    for (let i = 1; i < a.length; i++) expect(a[i]!).toBeGreaterThan(a[i - 1]!);
    expect(a[a.length - 1]!).toBeLessThan(12870);
    expect(Array.from(selectCombinations(12870, 500, 7))).toEqual(Array.from(a));
    expect(Array.from(selectCombinations(12870, 500, 8))).not.toEqual(Array.from(a));
  });
});
