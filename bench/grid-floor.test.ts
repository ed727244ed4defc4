import { describe, expect, it } from 'vitest';
import { runCells, gridWorkerContext } from '../experiments/grid-worker.js';
import { checkPass, floorCells } from './grid-floor.js';
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

  it('the synthetic grid shares its bars once and matches the floor', () => {
    const setup = syntheticGridSetup(20_000);
    expect(setup.cellIndexes).toHaveLength(10);
    expect(setup.sharedBytes).toBe(20_000 * 7 * 8);
    expect(setup.bars.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    const results = runCells(gridWorkerContext(setup.workerData), [0, 1, 2]);
    expect(() => checkPass('synthetic', floorCells(setup).slice(0, 3), results, [])).not.toThrow();
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
