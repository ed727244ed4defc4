import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../engine/config-error.js';
import { cellCount, cellParams, cellRunSpec, expandCells, forEachCell, gridSize, MAX_CELLS, rangeCount, rangeValue, sweepValues } from './cells.js';
import type { Cell, Experiment } from './experiment.js';
import { parseExperiment } from './experiment-spec.js';
import { runSpec } from './run.js';
import { parseRunSpec } from './run-spec.js';

const here = dirname(fileURLToPath(import.meta.url));
const example = (name: string): Experiment => parseExperiment(JSON.parse(readFileSync(join(here, `${name}.json`), 'utf8')), { file: `${name}.json` });

const DATA = { file: '../data/samples/sp500-2000.csv', symbol: 'SPX' };
const channel = (fields: Record<string, unknown>): Experiment => parseExperiment({ data: DATA, strategy: 'channel-breakout', ...fields });
const swept = (cells: readonly Cell[]) => cells.map((c) => c.swept);

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('ranges', () => {
  it('count from … to by step, `to` included within 1e-9 × step', () => {
    expect(rangeCount(5, 50, 5)).toBe(10);
    expect(rangeCount(20, 200, 20)).toBe(10);
    expect(rangeCount(0.1, 0.3, 0.1)).toBe(3); // (0.3 - 0.1) / 0.1 = 1.9999999999999998
    expect(rangeCount(0, 1, 0.3)).toBe(4); // 0, 0.3, 0.6, 0.9
    expect(rangeCount(7, 7, 1)).toBe(1);
    expect(rangeCount(8, 7, 1)).toBe(0);
  });

  it('values have no float drift (0.1 steps are exactly 0.1, 0.2, …, never 0.30000000000000004)', () => {
    expect(sweepValues({ kind: 'range', from: 0.1, to: 1, step: 0.1 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(sweepValues({ kind: 'range', from: 0, to: 0.7, step: 0.1 })).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(sweepValues({ kind: 'range', from: -0.3, to: 0.3, step: 0.1 })).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
    expect(Object.is(sweepValues({ kind: 'range', from: -0.3, to: 0.3, step: 0.1 })[3], 0)).toBe(true); // not -0
    expect(sweepValues({ kind: 'range', from: 0.5, to: 2.25, step: 0.25 })).toEqual([0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25]);
    expect(sweepValues({ kind: 'range', from: 1.05, to: 1.5, step: 0.15 })).toEqual([1.05, 1.2, 1.35, 1.5]);
    expect(sweepValues({ kind: 'range', from: 1e-7, to: 5e-7, step: 1e-7 })).toEqual([1e-7, 2e-7, 3e-7, 4e-7, 5e-7]);
    expect(rangeValue(0.1, 0.1, 999)).toBe(100);
    expect(rangeValue(0, 0.01, 12345)).toBe(123.45);
  });

  it('every value of a long decimal range equals its decimal literal', () => {
    const values = sweepValues({ kind: 'range', from: 0.01, to: 50, step: 0.01 });
    expect(values).toHaveLength(5000);
    values.forEach((v, k) => expect(v).toBe(Number(((k + 1) / 100).toFixed(2))));
  });

  it('lists keep their order', () => {
    expect(sweepValues({ kind: 'list', values: [30, 10, 20] })).toEqual([30, 10, 20]);
  });
});

describe('expandCells (grid)', () => {
  it('sma-sp500: 10 × 10 = 100 combinations, 90 with fast < slow, first param slowest', () => {
    const e = example('sma-sp500');
    expect(gridSize(e)).toBe(100);
    const cells = expandCells(e);
    expect(cells).toHaveLength(90);
    expect(cellCount(e)).toBe(90);
    expect(cells.map((c) => c.index)).toEqual([...Array(90).keys()]);
    expect(swept(cells.slice(0, 12))).toEqual([
      { fast: 5, slow: 20 }, { fast: 5, slow: 40 }, { fast: 5, slow: 60 }, { fast: 5, slow: 80 }, { fast: 5, slow: 100 },
      { fast: 5, slow: 120 }, { fast: 5, slow: 140 }, { fast: 5, slow: 160 }, { fast: 5, slow: 180 }, { fast: 5, slow: 200 },
      { fast: 10, slow: 20 }, { fast: 10, slow: 40 },
    ]);
    // fast = 20 is the first value with slow = 20 left out, fast = 40 the first without slow = 40.
    expect(swept(cells.filter((c) => c.swept['fast'] === 20)).map((s) => s['slow'])).toEqual([40, 60, 80, 100, 120, 140, 160, 180, 200]);
    expect(swept(cells.filter((c) => c.swept['fast'] === 40)).map((s) => s['slow'])).toEqual([60, 80, 100, 120, 140, 160, 180, 200]);
    expect(cells[89]).toEqual({ index: 89, swept: { fast: 50, slow: 200 } });
    expect(Object.keys(cells[0]!.swept)).toEqual(['fast', 'slow']);
    expect(Object.isFrozen(cells[0])).toBe(true);
    expect(Object.isFrozen(cells[0]!.swept)).toBe(true);
  });

  it('channel-sp500-large: 12 × 10 × 15 × 2 = 3600 combinations, 3120 with takeProfitPct >= stopLossPct', () => {
    const e = example('channel-sp500-large');
    expect(gridSize(e)).toBe(3600);
    const cells = expandCells(e);
    expect(cells).toHaveLength(3120);
    expect(cells[0]).toEqual({ index: 0, swept: { lookback: 10, stopLossPct: 0.5, takeProfitPct: 1, entry: 'stop' } });
    expect(cells[1]).toEqual({ index: 1, swept: { lookback: 10, stopLossPct: 0.5, takeProfitPct: 1, entry: 'limit' } });
    expect(cells[2]).toEqual({ index: 2, swept: { lookback: 10, stopLossPct: 0.5, takeProfitPct: 2, entry: 'stop' } });
    expect(cells[3119]).toEqual({ index: 3119, swept: { lookback: 120, stopLossPct: 5, takeProfitPct: 15, entry: 'limit' } });
    expect(new Set(cells.map((c) => c.swept['stopLossPct']))).toEqual(new Set([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]));
  });

  it('three params: the last varies fastest', () => {
    const e = channel({ sweep: { lookback: [20, 10], stopLossPct: [1, 2], entry: ['stop', 'limit'] } });
    expect(swept(expandCells(e))).toEqual([
      { lookback: 20, stopLossPct: 1, entry: 'stop' }, { lookback: 20, stopLossPct: 1, entry: 'limit' },
      { lookback: 20, stopLossPct: 2, entry: 'stop' }, { lookback: 20, stopLossPct: 2, entry: 'limit' },
      { lookback: 10, stopLossPct: 1, entry: 'stop' }, { lookback: 10, stopLossPct: 1, entry: 'limit' },
      { lookback: 10, stopLossPct: 2, entry: 'stop' }, { lookback: 10, stopLossPct: 2, entry: 'limit' },
    ]);
  });

  it('no sweep: one cell with the fixed params', () => {
    const e = channel({ params: { lookback: 30 } });
    expect(gridSize(e)).toBe(1);
    expect(expandCells(e)).toEqual([{ index: 0, swept: {} }]);
    expect(cellParams(e, expandCells(e)[0]!)).toEqual({ lookback: 30 });
  });

  it('constraints may use fixed and unset params (taking defaults)', () => {
    // riskPct is fixed at 2, takeProfitPct unset (default 4).
    const e = channel({ params: { riskPct: 2 }, sweep: { stopLossPct: [1, 2, 3, 4, 5] }, constraints: ['stopLossPct * riskPct <= takeProfitPct + 2'] });
    expect(swept(expandCells(e)).map((s) => s['stopLossPct'])).toEqual([1, 2, 3]);
  });

  it('forEachCell streams the same cells and returns the count', () => {
    const e = example('sma-sp500');
    const seen: Cell[] = [];
    expect(forEachCell(e, (c) => seen.push(c))).toBe(90);
    expect(seen).toEqual(expandCells(e));
  });

  it(`more than ${MAX_CELLS} combinations is an error suggesting random`, () => {
    const sweep = { lookback: { from: 1, to: 1000, step: 1 }, stopLossPct: { from: 0.01, to: 10.01, step: 0.01 } };
    const message = 'sweep: the grid has 1,001,000 combinations (before constraints), more than 1,000,000 — narrow the sweep, or run a random sample of it with "random": {"count": 10000, "seed": 1}';
    expect(configError(() => channel({ sweep }))).toBe(message);
    // The same guard in expandCells and cellCount, for an experiment built in code.
    const e: Experiment = {
      ...channel({}),
      sweep: { lookback: { kind: 'range', ...sweep.lookback }, stopLossPct: { kind: 'range', ...sweep.stopLossPct } },
    };
    expect(gridSize(e)).toBe(1_001_000);
    expect(configError(() => expandCells(e))).toBe(message);
    expect(configError(() => cellCount(e))).toBe(message);
    // A random sample of it is fine.
    expect(expandCells(channel({ sweep, random: { count: 5, seed: 1 } }))).toHaveLength(5);
  });
});

describe('expandCells (random)', () => {
  const sampled = (seed: number, count: number) => channel({ ...JSON.parse(readFileSync(join(here, 'channel-sp500-large.json'), 'utf8')), random: { count, seed } });

  it('draws distinct cells of the grid, deterministic for a seed, in grid order, indexed 0..count-1', () => {
    const grid = expandCells(example('channel-sp500-large'));
    const position = new Map(grid.map((c) => [JSON.stringify(c.swept), c.index]));
    const a = expandCells(sampled(42, 200));
    expect(a).toHaveLength(200);
    expect(a.map((c) => c.index)).toEqual([...Array(200).keys()]);
    const positions = a.map((c) => position.get(JSON.stringify(c.swept)));
    expect(positions.every((p) => p !== undefined)).toBe(true);
    expect(new Set(positions).size).toBe(200);
    expect([...positions].sort((x, y) => x! - y!)).toEqual(positions);
    expect(expandCells(sampled(42, 200))).toEqual(a);
    expect(swept(expandCells(sampled(43, 200)))).not.toEqual(swept(a));
    expect(cellCount(sampled(42, 200))).toBe(200);
  });

  it('pins the draw: same seed, same cells on every machine', () => {
    expect(swept(expandCells(sampled(1, 3)))).toMatchInlineSnapshot(`
      [
        {
          "entry": "stop",
          "lookback": 10,
          "stopLossPct": 1.5,
          "takeProfitPct": 12,
        },
        {
          "entry": "stop",
          "lookback": 20,
          "stopLossPct": 2.5,
          "takeProfitPct": 11,
        },
        {
          "entry": "limit",
          "lookback": 70,
          "stopLossPct": 2,
          "takeProfitPct": 12,
        },
      ]
    `);
  });

  it('random.seed defaults to the experiment seed', () => {
    const base = JSON.parse(readFileSync(join(here, 'sma-sp500.json'), 'utf8'));
    const viaSeed = parseExperiment({ ...base, seed: 9, random: { count: 10 } });
    const explicit = parseExperiment({ ...base, seed: 1, random: { count: 10, seed: 9 } });
    expect(viaSeed.random).toEqual({ count: 10, seed: 9 });
    expect(expandCells(viaSeed)).toEqual(expandCells(explicit));
  });

  it('a count equal to the grid takes every cell', () => {
    const base = JSON.parse(readFileSync(join(here, 'sma-sp500.json'), 'utf8'));
    expect(expandCells(parseExperiment({ ...base, random: { count: 90, seed: 5 } }))).toEqual(expandCells(example('sma-sp500')));
  });

  it('a grid beyond the cap is sampled by rejection: distinct cells satisfying the constraints, deterministic', () => {
    const spec = {
      sweep: { lookback: { from: 1, to: 2000, step: 1 }, stopLossPct: { from: 0.01, to: 10, step: 0.01 }, takeProfitPct: [1, 2, 5, 10] },
      constraints: ['takeProfitPct >= 2 * stopLossPct', 'lookback > 1000'],
      random: { count: 500, seed: 3 },
    };
    const e = channel(spec);
    expect(gridSize(e)).toBe(2000 * 1000 * 4);
    const cells = expandCells(e);
    expect(cells).toHaveLength(500);
    expect(new Set(cells.map((c) => JSON.stringify(c.swept))).size).toBe(500);
    for (const c of cells) {
      expect(c.swept['takeProfitPct'] as number).toBeGreaterThanOrEqual(2 * (c.swept['stopLossPct'] as number));
      expect(c.swept['lookback'] as number).toBeGreaterThan(1000);
    }
    const ordinal = (c: Cell) => ((c.swept['lookback'] as number) * 1000 + Math.round((c.swept['stopLossPct'] as number) * 100)) * 4 + [1, 2, 5, 10].indexOf(c.swept['takeProfitPct'] as number);
    const ordinals = cells.map(ordinal);
    expect([...ordinals].sort((a, b) => a - b)).toEqual(ordinals);
    expect(expandCells(channel(spec))).toEqual(cells);
  });
});

describe('cellParams and cellRunSpec', () => {
  it('a cell is the run spec of the equivalent single backtest', () => {
    const e = example('sma-sp500-costs');
    const cell = expandCells(e).find((c) => c.swept['fast'] === 10 && c.swept['slow'] === 40)!;
    expect(cellParams(e, cell)).toEqual({ fast: 10, slow: 40 });
    const single = parseRunSpec({
      data: DATA,
      strategy: 'sma-cross',
      params: { fast: 10, slow: 40 },
      capital: 100000,
      costs: { commissionRate: 0.0005, slippageBps: 1, spreadBps: 2 },
      fills: { ambiguity: 'stop-first' },
    });
    expect(cellRunSpec(e, cell)).toEqual(single);
  });

  it('running the cell gives the figures of `replaylab backtest` for sma-cross 10/30 (test/e2e/backtest.test.ts)', async () => {
    const e = parseExperiment({ data: DATA, strategy: 'sma-cross', sweep: { fast: [10, 20], slow: [30] }, capital: 100000 });
    const outcome = await runSpec(cellRunSpec(e, expandCells(e)[0]!), here, { keepSeries: false });
    const single = await runSpec(parseRunSpec({ data: DATA, strategy: 'sma-cross', params: { fast: 10, slow: 30 } }), here, { keepSeries: false });
    expect(outcome.result.metrics.tradesClosed).toBe(87);
    expect(Math.abs(outcome.result.metrics.finalEquity - 164_421.015164) / 164_421.015164).toBeLessThan(1e-9);
    expect(outcome.result.digest).toBe(single.result.digest);
  });
});

describe('properties', () => {
  const NAMES = ['lookback', 'stopLossPct', 'takeProfitPct', 'riskPct'] as const;
  const term: fc.Arbitrary<string> = fc.letrec<{ term: string }>((tie) => ({
    term: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...NAMES),
      fc.integer({ min: 0, max: 40 }).map(String),
      fc.tuple(tie('term'), fc.constantFrom('+', '-', '*', '/'), tie('term')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    ),
  })).term;
  const comparison = fc.tuple(term, fc.constantFrom('<', '<=', '>', '>=', '==', '!='), term).map(([a, op, b]) => `${a} ${op} ${b}`);
  const condition = fc.oneof(comparison, fc.tuple(comparison, fc.constantFrom('&&', '||'), comparison).map(([a, op, b]) => `${a} ${op} ${b}`));
  const sweep = fc.record({
    lookback: fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
    stopLossPct: fc.record({ from: fc.integer({ min: 1, max: 30 }), count: fc.integer({ min: 1, max: 6 }), step: fc.integer({ min: 1, max: 7 }) }),
    takeProfitPct: fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }),
  });
  const DEFAULTS: Record<string, number> = { lookback: 20, stopLossPct: 2, takeProfitPct: 4, riskPct: 1 };

  it('cells are the constraint-satisfying combinations in cartesian order, indexed 0..n-1, the same every time', () => {
    fc.assert(
      fc.property(sweep, fc.array(condition, { maxLength: 2 }), (s, constraints) => {
        const from = s.stopLossPct.from / 10;
        const step = s.stopLossPct.step / 10;
        const to = Number((from + (s.stopLossPct.count - 1) * step).toFixed(1));
        const spec = { sweep: { lookback: s.lookback, stopLossPct: { from, to, step }, takeProfitPct: s.takeProfitPct }, constraints };
        // The oracle evaluates the same text as JavaScript (the grammar is a subset with the same meaning).
        const oracle = constraints.map((text) => new Function(...NAMES, `return (${text});`) as (...args: number[]) => boolean);
        const expected: Record<string, number>[] = [];
        for (const lookback of s.lookback) {
          for (let k = 0; k < s.stopLossPct.count; k++) {
            const stopLossPct = Number((from + k * step).toFixed(1));
            for (const takeProfitPct of s.takeProfitPct) {
              const p: Record<string, number> = { ...DEFAULTS, lookback, stopLossPct, takeProfitPct };
              if (oracle.every((f) => f(...NAMES.map((n) => p[n]!)))) expected.push({ lookback, stopLossPct, takeProfitPct });
            }
          }
        }
        let e: Experiment;
        try {
          e = channel(spec);
        } catch (error) {
          expect(expected).toEqual([]);
          expect((error as ConfigError).path).toBe('constraints');
          return;
        }
        const cells = expandCells(e);
        expect(swept(cells)).toEqual(expected);
        expect(cells.map((c) => c.index)).toEqual(expected.map((_, i) => i));
        expect(expandCells(e)).toEqual(cells);
        expect(cellCount(e)).toBe(cells.length);
        for (const cell of cells) for (const c of e.constraints) expect(c.test(cellParams(e, cell))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('random draws are distinct grid cells in grid order, the same for the same seed', () => {
    const full = expandCells(example('sma-sp500'));
    const order = new Map(full.map((c) => [JSON.stringify(c.swept), c.index]));
    const base = JSON.parse(readFileSync(join(here, 'sma-sp500.json'), 'utf8'));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 90 }), fc.integer({ min: -1e9, max: 1e9 }), (count, seed) => {
        const cells = expandCells(parseExperiment({ ...base, random: { count, seed } }));
        const positions = cells.map((c) => order.get(JSON.stringify(c.swept))!);
        expect(cells.map((c) => c.index)).toEqual([...Array(count).keys()]);
        expect(positions.every((p) => p !== undefined)).toBe(true);
        for (let i = 1; i < positions.length; i++) expect(positions[i]!).toBeGreaterThan(positions[i - 1]!);
        expect(expandCells(parseExperiment({ ...base, random: { count, seed } }))).toEqual(cells);
      }),
      { numRuns: 100 },
    );
  });
});
