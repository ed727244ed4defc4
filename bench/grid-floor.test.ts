import { describe, expect, it } from 'vitest';
import { runCells, gridWorkerContext } from '../experiments/grid-worker.js';
import { checkPass, floorCells, floorCellsFull } from './grid-floor.js';
import { gridSetup, sp500GridSetup, syntheticGridExperiment, syntheticGridSetup } from './grid-setup.js';
import { interleaveAsync } from './grid-timing.js';

const REPO = new URL('..', import.meta.url).pathname;

describe('the grid bench compares equal work', () => {
  it('every cell of the bundled 90-cell grid computes what the floor computes', async () => {
    const { setup } = await sp500GridSetup(REPO);
    expect(setup.cellIndexes).toHaveLength(90);
    const results = runCells(gridWorkerContext(setup.workerData), setup.cellIndexes.map((_, p) => p));
    const digests: (string | undefined)[] = [];
    expect(() => checkPass('sp500', floorCells(setup), results, digests)).not.toThrow();
    expect(digests.every((d) => typeof d === 'string')).toBe(true);
    // A second pass must give the same digests; a changed one is caught.
    expect(() => checkPass('sp500 again', floorCells(setup), results, digests)).not.toThrow();
    const tampered = results.map((r, i) => (i === 3 ? { ...r, digest: 'x' } : r));
    expect(() => checkPass('tampered', floorCells(setup), tampered, digests)).toThrow(/cell 3 digest/);
  });

  it('the same-output floor gives every cell the worker\'s digest, metric columns and daily returns', async () => {
    const { setup } = await sp500GridSetup(REPO);
    const results = runCells(gridWorkerContext(setup.workerData), setup.cellIndexes.map((_, p) => p));
    const expected = floorCellsFull(setup);
    results.forEach((r) => {
      const want = expected[r.position]!;
      expect(r.digest).toBe(want.digest);
      expect(r.metrics).toEqual(want.metrics);
      expect(r.returns).toEqual(want.returns);
    });
    expect(() => checkPass('sp500 full', expected, results, [])).not.toThrow();
    const tampered = results.map((r, i) => (i === 5 ? { ...r, metrics: { ...r.metrics, sortino: (r.metrics.sortino ?? 0) + 1e-12 } } : r));
    expect(() => checkPass('tampered', expected, tampered, [])).toThrow(/cell 5 metrics differ.*sortino/);
    const shifted = results.map((r, i) => (i === 7 ? { ...r, returns: r.returns.map((x, d) => (d === 100 ? x + 1e-3 : x)) } : r));
    expect(() => checkPass('returns', expected, shifted, [])).toThrow(/cell 7 daily returns differ/);
    const otherDigest = results.map((r, i) => (i === 2 ? { ...r, digest: 'y' } : r));
    expect(() => checkPass('digest', expected, otherDigest, [])).toThrow(/cell 2 digest y differs from the same-output floor/);
  });

  it('the synthetic grid shares its bars once and matches the floor', () => {
    const setup = syntheticGridSetup(20_000);
    expect(setup.cellIndexes).toHaveLength(10);
    expect(setup.sharedBytes).toBe(20_000 * 7 * 8);
    expect(setup.bars.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    const results = runCells(gridWorkerContext(setup.workerData), [0, 1, 2]);
    expect(() => checkPass('synthetic', floorCells(setup).slice(0, 3), results, [])).not.toThrow();
    expect(() => checkPass('synthetic full', floorCellsFull(setup).slice(0, 3), results, [])).not.toThrow();
    const wrong = results.map((r) => ({ ...r, metrics: { ...r.metrics, tradesClosed: (r.metrics.tradesClosed ?? 0) + 1 } }));
    expect(() => checkPass('wrong', floorCells(setup).slice(0, 3), wrong, [])).toThrow(/disagrees with the floor/);
  });

  it('refuses a grid the floor does not model', () => {
    const experiment = { ...syntheticGridExperiment(), options: { costs: { commissionRate: 0.001 } } };
    expect(() => gridSetup('costly', experiment, syntheticGridSetup(100).bars)).toThrow(/cost-free/);
  });
});

describe('interleaveAsync', () => {
  it('rotates the case order each round and keeps every section', async () => {
    const order: string[] = [];
    const make = (name: string) => ({
      name,
      run: async () => {
        order.push(name);
        return [{ name: `${name}-s`, units: 10, seconds: 0.5 }];
      },
    });
    const timings = await interleaveAsync([make('a'), make('b'), make('c')], { rounds: 3, warmup: 1 });
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    expect(timings.get('b-s')?.seconds).toHaveLength(3);
    expect(timings.get('b-s')?.medianPerSecond).toBe(20);
  });
});
