import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from './rng.js';

function take(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.uint32());
}

describe('Rng', () => {
  it('pins the first values for seed 42 (changing them breaks every recorded run)', () => {
    const rng = new Rng(42);
    expect(take(rng, 3)).toEqual([1609022411, 1595924457, 2916595514]);
    expect(rng.next()).toBe(0.0012959446758031845);
    expect(rng.int(100)).toBe(36);
    expect(rng.normal()).toBe(-0.3263550384089196);
  });

  it('pins string, negative, large and derived seeds', () => {
    expect(new Rng('hello').uint32()).toBe(1945888225);
    expect(new Rng(-5).uint32()).toBe(2481359639);
    expect(new Rng(2 ** 40).uint32()).toBe(913335187);
    expect(Rng.derive(42, 0).uint32()).toBe(1652914052);
    expect(Rng.derive(42, 1).uint32()).toBe(139152967);
  });

  it('gives the same sequence for the same seed', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string()), (seed) => {
        expect(take(new Rng(seed), 8)).toEqual(take(new Rng(seed), 8));
      }),
    );
  });

  it('gives different sequences for different seeds and derived indices', () => {
    const first = new Set<string>();
    for (let seed = 0; seed < 200; seed++) first.add(take(new Rng(seed), 2).join(','));
    for (let i = 0; i < 200; i++) first.add(take(Rng.derive(7, i), 2).join(','));
    expect(first.size).toBe(400);
    expect(take(new Rng('a'), 4)).not.toEqual(take(new Rng('b'), 4));
  });

  it('derive depends only on (seed, index)', () => {
    const late = Rng.derive('grid', 17);
    for (let i = 0; i < 17; i++) Rng.derive('grid', i);
    expect(take(late, 5)).toEqual(take(Rng.derive('grid', 17), 5));
  });

  it('next() stays in [0, 1) with a mean near 1/2', () => {
    const rng = new Rng(1);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it('int(n) covers [0, n) evenly', () => {
    const rng = new Rng(3);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) {
      const k = rng.int(6);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
  });

  it('normal() has mean ≈ 0 and standard deviation ≈ 1', () => {
    const rng = new Rng('normals');
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
    }
    const mean = sum / n;
    const std = Math.sqrt(sumSq / n - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(std - 1)).toBeLessThan(0.01);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new Rng(1.5)).toThrow(RangeError);
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
    expect(() => Rng.derive(1, -1)).toThrow(RangeError);
  });
});
