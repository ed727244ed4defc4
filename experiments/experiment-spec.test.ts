import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRATEGIES } from '../strategies/index.js';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../engine/config-error.js';
import { expandCells } from './cells.js';
import { EXPERIMENT_FIELDS, parseExperiment, parseWindowLength, RANKING_METRICS } from './experiment-spec.js';
import { parseRunSpec, RUN_SPEC_FIELDS } from './run-spec.js';

const here = dirname(fileURLToPath(import.meta.url));
const readExample = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(here, `${name}.json`), 'utf8'));
/** The sma-sp500 example: fast 5..50 step 5 × slow 20..200 step 20, fast < slow. */
const base = readExample('sma-sp500');
const DATA = { file: '../data/samples/sp500-2000.csv', symbol: 'SPX' };
const channel = { data: DATA, strategy: 'channel-breakout' };

/** The message of the ConfigError thrown by parsing `json`. */
function failure(json: unknown): string {
  try {
    parseExperiment(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

const METRICS = RANKING_METRICS.join(', ');

describe('parseExperiment: valid experiments', () => {
  it('the sma-sp500 example, with every default filled', () => {
    const e = parseExperiment(base, { file: 'experiments/sma-sp500.json' });
    expect(e).toEqual({
      name: 'sma-sp500',
      description: base['description'],
      data: [{ file: '../data/samples/sp500-2000.csv', symbol: 'SPX', from: undefined, to: undefined, repair: undefined }],
      strategy: 'sma-cross',
      fixedParams: {},
      sweep: { fast: { kind: 'range', from: 5, to: 50, step: 5 }, slow: { kind: 'range', from: 20, to: 200, step: 20 } },
      random: undefined,
      constraints: [expect.objectContaining({ text: 'fast < slow' })],
      options: { costs: {}, initialCapital: 100000 },
      ranking: { kind: 'metric', metric: 'sharpe', order: 'desc' },
      filters: {},
      walkForward: undefined,
      pboPartitions: 16,
      top: 10,
      seed: 1,
    });
    expect(Object.isFrozen(e)).toBe(true);
    expect(Object.isFrozen(e.sweep)).toBe(true);
    expect(Object.isFrozen(e.sweep['fast'])).toBe(true);
    expect(Object.isFrozen(e.constraints)).toBe(true);
  });

  it('the minimal experiment: data and strategy; name from the file stem, else "experiment"', () => {
    const e = parseExperiment({ data: DATA, strategy: 'sma-cross' }, { file: '/tmp/runs/My-idea.v2.json' });
    expect(e.name).toBe('My-idea.v2');
    expect(e.description).toBe('');
    expect(e.sweep).toEqual({});
    expect(e.constraints).toEqual([]);
    expect(e.seed).toBe(0);
    expect(e.top).toBe(10);
    expect(parseExperiment({ data: DATA, strategy: 'sma-cross' }).name).toBe('experiment');
  });

  it('accepts exactly the run-spec fields, checked the same way, and turns them into the same options', () => {
    const run = { data: [DATA], strategy: 'sma-cross', params: { fast: 10, slow: 30 }, capital: 5e4, costs: { commissionRate: 0.001, spreadBps: 2 }, fills: { ambiguity: 'target-first' }, leverage: 2, riskFreeRate: 0.02, sessionOffsetMs: 3600000, instruments: { SPX: { tickSize: 0.25 } } };
    const e = parseExperiment(run);
    const spec = parseRunSpec(run);
    expect(e.options).toEqual(spec.options);
    expect(e.data).toEqual(spec.data);
    expect(e.fixedParams).toEqual(spec.params);
    for (const field of RUN_SPEC_FIELDS) expect(EXPERIMENT_FIELDS).toContain(field);
  });

  it('fixed and listed values are converted like `--param` values ("10" → 10)', () => {
    const e = parseExperiment({ data: DATA, strategy: 'sma-cross', params: { slow: '200' }, sweep: { fast: ['10', 20], longOnly: ['true', false] } });
    expect(e.fixedParams).toEqual({ slow: 200 });
    expect(e.sweep['fast']).toEqual({ kind: 'list', values: [10, 20] });
    expect(e.sweep['longOnly']).toEqual({ kind: 'list', values: [true, false] });
  });

  it('keeps the sweep in spec order', () => {
    const e = parseExperiment({ ...channel, sweep: { takeProfitPct: [4, 8], entry: ['limit', 'stop'], lookback: { from: 10, to: 30, step: 10 } } });
    expect(Object.keys(e.sweep)).toEqual(['takeProfitPct', 'entry', 'lookback']);
  });

  it('random, ranking by score, filters, walk-forward, overfitting, top', () => {
    const e = parseExperiment({
      ...base,
      random: { count: 20 },
      ranking: { score: { totalReturnPct: 0.25, sharpe: 8, winRatePct: 0.6 } },
      filters: { minTrades: 10, minWinRatePct: 40, minReturnPct: -5, minSharpe: 0.2, maxDrawdownPct: 35 },
      walkForward: { mode: 'anchored', train: 756, test: '1y', step: '12m' },
      overfitting: { partitions: 8 },
      top: 3,
    });
    expect(e.random).toEqual({ count: 20, seed: 1 });
    expect(e.ranking).toEqual({ kind: 'score', weights: { totalReturnPct: 0.25, sharpe: 8, winRatePct: 0.6 } });
    expect(e.filters).toEqual({ minTrades: 10, minWinRatePct: 40, minReturnPct: -5, minSharpe: 0.2, maxDrawdownPct: 35 });
    expect(e.walkForward).toEqual({ mode: 'anchored', train: 756, test: '1y', step: '12m' });
    expect(e.pboPartitions).toBe(8);
    expect(e.top).toBe(3);
    expect(parseExperiment({ ...base, ranking: { metric: 'maxDrawdownPct', order: 'asc' } }).ranking).toEqual({ kind: 'metric', metric: 'maxDrawdownPct', order: 'asc' });
    expect(parseExperiment({ ...base, ranking: { metric: 'calmar' } }).ranking).toEqual({ kind: 'metric', metric: 'calmar', order: 'desc' });
  });

  it('every example experiment parses', () => {
    for (const name of ['sma-sp500', 'sma-sp500-costs', 'channel-sp500-large']) expect(parseExperiment(readExample(name)).name).toBe(name);
  });

  it('ranking metrics are the engine Metrics fields that differ between cells', () => {
    expect(RANKING_METRICS).toContain('sharpe');
    expect(RANKING_METRICS).toContain('totalReturnPct');
    expect(RANKING_METRICS).toContain('winRatePct');
    expect(RANKING_METRICS).not.toContain('bars');
    expect(RANKING_METRICS).toHaveLength(24);
  });
});

describe('parseWindowLength', () => {
  it('bars or Nd / Nw / Nm / Ny', () => {
    expect(parseWindowLength(756)).toEqual({ unit: 'bars', count: 756 });
    expect(parseWindowLength('3y')).toEqual({ unit: 'years', count: 3 });
    expect(parseWindowLength('6m')).toEqual({ unit: 'months', count: 6 });
    expect(parseWindowLength('12w')).toEqual({ unit: 'weeks', count: 12 });
    expect(parseWindowLength('90d')).toEqual({ unit: 'days', count: 90 });
    for (const bad of [0, -1, 2.5, '0y', '3', 'y', '3Y', '3 y', '03y', '1q', '', null, undefined]) expect(parseWindowLength(bad)).toBeUndefined();
  });
});

describe('parseExperiment: every error names the path and the fix', () => {
  const sweep = (fields: Record<string, unknown>) => ({ ...base, sweep: { ...(base['sweep'] as object), ...fields } });
  const cases: [string, unknown, string][] = [
    // Shape and run-spec fields (shared with run specs).
    ['root', [], '(root): must be an object, was []'],
    ['unknown field', { ...base, sweeps: {} }, `sweeps: unknown field — allowed: ${EXPERIMENT_FIELDS.filter((f) => f !== '$schema').join(', ')}`],
    ['no strategy', { data: DATA }, 'strategy: must be a strategy name (see replaylab strategies), was missing'],
    ['unknown strategy', { ...base, strategy: 'sma' }, `strategy: unknown strategy "sma" — available: ${[...STRATEGIES.keys()].join(', ')}`],
    ['no data', { strategy: 'sma-cross' }, 'data: is required: a file path, {"file": ...}, or a list of them'],
    ['bad date', { ...base, data: { file: 'x.csv', from: '2005' } }, 'data.from: must be an ISO date like 2005-01-31, was "2005"'],
    ['bad cost', { ...base, costs: { commissionRate: 'x' } }, 'costs.commissionRate: must be a number >= 0, was "x"'],
    ['conflicting costs', { ...base, costs: { spreadBps: 2, spread: 0.01 } }, 'costs: give at most one of spreadBps, spread or spreadFromColumn'],
    ['bad capital', { ...base, capital: 0 }, 'capital: must be a number > 0, was 0'],
    ['bad fills', { ...base, fills: { ambiguity: 'target' } }, 'fills.ambiguity: must be "stop-first" or "target-first", was "target"'],
    ['unknown fixed param', { ...base, params: { fsat: 5 } }, 'params.fsat: unknown parameter — known parameters: fast, slow, longOnly'],
    ['bad fixed param', { ...base, params: { longOnly: 'maybe' } }, 'params.longOnly: must be true or false, was "maybe"'],
    ['name', { ...base, name: 'my idea' }, 'name: must be a name of letters, digits, ".", "_" and "-" starting with a letter or digit (it names result folders), was "my idea"'],
    ['description', { ...base, description: 5 }, 'description: must be a string, was 5'],
    // Sweep.
    ['sweep shape', { ...base, sweep: [1] }, 'sweep: must be an object, was [1]'],
    ['unknown swept param', sweep({ fsat: [1] }), 'sweep.fsat: unknown parameter of sma-cross — known: fast, slow, longOnly'],
    ['fixed and swept', { ...base, params: { fast: 10 } }, 'sweep.fast: is also fixed in params.fast — a parameter is either fixed or swept; remove one of them'],
    ['scalar sweep', sweep({ fast: 5 }), 'sweep.fast: must be a list of values like [5, 10, 20] or a range like {"from": 5, "to": 50, "step": 5}, was 5'],
    ['empty list', sweep({ fast: [] }), 'sweep.fast: must list at least one value'],
    ['listed value out of range', sweep({ fast: [5, 10, 20, 0] }), 'sweep.fast[3]: must be >= 1, was 0'],
    ['listed value of the wrong type', sweep({ fast: [5, 'x'] }), 'sweep.fast[1]: must be a whole number, was "x"'],
    ['listed value not an int', sweep({ fast: [5, 7.5] }), 'sweep.fast[1]: must be a whole number, was 7.5'],
    ['repeated value', sweep({ fast: [5, 10, '5'] }), 'sweep.fast[2]: repeats sweep.fast[0] (5) — list each value once'],
    ['step 0', sweep({ slow: { from: 20, to: 200, step: 0 } }), 'sweep.slow.step: must be > 0, was 0'],
    ['negative step', sweep({ slow: { from: 20, to: 200, step: -20 } }), 'sweep.slow.step: must be > 0, was -20'],
    ['missing step', sweep({ slow: { from: 20, to: 200 } }), 'sweep.slow.step: must be a number, was missing'],
    ['range field', sweep({ slow: { from: 20, to: 200, by: 20 } }), 'sweep.slow.by: unknown field — allowed: from, to, step'],
    ['from out of range', sweep({ fast: { from: 0, to: 50, step: 5 } }), 'sweep.fast.from: must be >= 1, was 0'],
    ['from not an int', sweep({ fast: { from: 2.5, to: 50, step: 5 } }), 'sweep.fast.from: must be a whole number, was 2.5'],
    ['step not an int', sweep({ fast: { from: 5, to: 50, step: 2.5 } }), 'sweep.fast.step: must be a whole number (fast is an int parameter), was 2.5'],
    ['to below from', sweep({ fast: { from: 50, to: 5, step: 5 } }), 'sweep.fast.to: must be >= from (50), was 5'],
    ['to out of range', sweep({ slow: { from: 2000, to: 20000, step: 2000 } }), 'sweep.slow.to: must be <= 10000, was 20000'],
    ['last value out of range', sweep({ slow: { from: 9990, to: 10005, step: 7 } }), 'sweep.slow.to: must be <= 10000, was 10004 (the last value of the range)'],
    ['range of a boolean', sweep({ longOnly: { from: 0, to: 1, step: 1 } }), 'sweep.longOnly: a {from, to, step} range needs a numeric parameter, but longOnly is a boolean — list the values instead: [true, false]'],
    ['range of an enum', { ...channel, sweep: { entry: { from: 0, to: 1, step: 1 } } }, 'sweep.entry: a {from, to, step} range needs a numeric parameter, but entry is an enum — list the values instead: ["stop","limit"]'],
    ['huge range', { ...channel, sweep: { stopLossPct: { from: 0.01, to: 50, step: 0.00001 } } }, 'sweep.stopLossPct: the range has 4,999,001 values, more than 1,000,000 — raise step or narrow from … to'],
    ['huge grid', { ...channel, sweep: { lookback: { from: 1, to: 1000, step: 1 }, takeProfitPct: { from: 1, to: 1000, step: 0.5 } } }, 'sweep: the grid has 1,999,000 combinations (before constraints), more than 1,000,000 — narrow the sweep, or run a random sample of it with "random": {"count": 10000, "seed": 1}'],
    // Constraints.
    ['constraints shape', { ...base, constraints: 'fast < slow' }, 'constraints: must be a list of strings like ["fast < slow"], was "fast < slow"'],
    ['constraint type', { ...base, constraints: [5] }, 'constraints[0]: must be a condition like "fast < slow", was 5'],
    ['blank constraint', { ...base, constraints: ['fast < slow', ' '] }, 'constraints[1]: must be a condition like "fast < slow", was " "'],
    ['unknown name', { ...base, constraints: ['fast < slow', 'slwo >= 2 * fast'] }, 'constraints[1]: "slwo >= 2 * fast": unknown parameter slwo at column 1 — known: fast, slow, longOnly'],
    ['syntax', { ...base, constraints: ['fast << slow'] }, 'constraints[0]: "fast << slow": expected a number, a parameter name or "(", found "<" at column 7'],
    ['boolean in a constraint', { ...base, constraints: ['longOnly == 1'] }, 'constraints[0]: "longOnly == 1": longOnly at column 1 is a boolean parameter — constraints compare numeric parameters only'],
    ['empty grid', { ...base, constraints: ['fast > 100'] }, 'constraints: no cell of the 100-combination grid satisfies "fast > 100" — the grid is empty; loosen the constraints or widen the sweep'],
    ['empty grid, two constraints', { ...base, constraints: ['fast < slow', 'slow < fast'] }, 'constraints: no cell of the 100-combination grid satisfies all of "fast < slow", "slow < fast" — the grid is empty; loosen the constraints or widen the sweep'],
    ['cell rejected by the strategy', { ...base, constraints: [] }, 'constraints: the cell fast=20, slow=20 is rejected by sma-cross (params.fast: must be < slow (20), was 20) — add a constraint that leaves such cells out'],
    ['fixed params rejected by the strategy', { data: DATA, strategy: 'sma-cross', params: { fast: 30, slow: 10 } }, 'params.fast: must be < slow (10), was 30'],
    // Random and seeds.
    ['random shape', { ...base, random: 10 }, 'random: must be an object, was 10'],
    ['random field', { ...base, random: { count: 5, n: 1 } }, 'random.n: unknown field — allowed: count, seed'],
    ['random count 0', { ...base, random: { count: 0 } }, 'random.count: must be a whole number >= 1, was 0'],
    ['random count missing', { ...base, random: { seed: 1 } }, 'random.count: must be a whole number >= 1, was missing'],
    ['random count above the cap', { ...base, random: { count: 2000000 } }, 'random.count: must be <= 1000000, was 2000000'],
    ['random count above the grid', { ...base, random: { count: 91 } }, 'random.count: must be <= the number of cells in the grid (90 after constraints), was 91 — lower it, or drop "random" to run the whole grid'],
    ['random count above an unconstrained grid', { ...channel, sweep: { lookback: [10, 20] }, random: { count: 3 } }, 'random.count: must be <= the number of cells in the grid (2), was 3 — lower it, or drop "random" to run the whole grid'],
    ['random seed', { ...base, random: { count: 5, seed: 1.5 } }, 'random.seed: must be a whole number, was 1.5'],
    ['seed', { ...base, seed: 'x' }, 'seed: must be a whole number, was "x"'],
    // Ranking.
    ['ranking shape', { ...base, ranking: 'sharpe' }, 'ranking: must be an object, was "sharpe"'],
    ['ranking empty', { ...base, ranking: {} }, 'ranking: must be {"metric": "sharpe", "order": "desc"} or {"score": {"sharpe": 8, "totalReturnPct": 0.25}}'],
    ['ranking field', { ...base, ranking: { metric: 'sharpe', direction: 'desc' } }, 'ranking.direction: unknown field — allowed: metric, order, score'],
    ['unknown metric', { ...base, ranking: { metric: 'sharp' } }, `ranking.metric: unknown metric "sharp" — known: ${METRICS}`],
    ['constant metric', { ...base, ranking: { metric: 'bars' } }, `ranking.metric: bars cannot rank cells: it is the same for every cell — use one of: ${METRICS}`],
    ['optional metric', { ...base, ranking: { metric: 'avgWinPct' } }, `ranking.metric: avgWinPct cannot rank cells: it is absent when no trade won and is not kept in grid results — use one of: ${METRICS}`],
    ['order', { ...base, ranking: { metric: 'sharpe', order: 'up' } }, 'ranking.order: must be "desc" (higher is better) or "asc" (lower is better), was "up"'],
    ['metric and score', { ...base, ranking: { metric: 'sharpe', score: { sharpe: 1 } } }, 'ranking: give either "metric" (with "order") or "score", not both'],
    ['empty score', { ...base, ranking: { score: {} } }, 'ranking.score: must weight at least one metric, e.g. {"sharpe": 1}'],
    ['score weight', { ...base, ranking: { score: { sharpe: '8' } } }, 'ranking.score.sharpe: must be a number, was "8"'],
    ['score metric', { ...base, ranking: { score: { sharpe: 8, returns: 1 } } }, `ranking.score.returns: unknown metric "returns" — known: ${METRICS}`],
    // Filters.
    ['filters field', { ...base, filters: { minTrade: 5 } }, 'filters.minTrade: unknown field — allowed: minTrades, minWinRatePct, minReturnPct, minSharpe, maxDrawdownPct'],
    ['minTrades', { ...base, filters: { minTrades: 2.5 } }, 'filters.minTrades: must be a whole number >= 0, was 2.5'],
    ['minWinRatePct', { ...base, filters: { minWinRatePct: 120 } }, 'filters.minWinRatePct: must be a percentage from 0 to 100, was 120'],
    ['maxDrawdownPct', { ...base, filters: { maxDrawdownPct: -1 } }, 'filters.maxDrawdownPct: must be a percentage from 0 to 100, was -1'],
    ['minSharpe', { ...base, filters: { minSharpe: 'x' } }, 'filters.minSharpe: must be a number, was "x"'],
    // Walk-forward.
    ['walkForward shape', { ...base, walkForward: true }, 'walkForward: must be an object, was true'],
    ['walkForward field', { ...base, walkForward: { mode: 'rolling', train: 756, test: 252, gap: 5 } }, 'walkForward.gap: unknown field — allowed: mode, train, test, step'],
    ['walkForward mode', { ...base, walkForward: { mode: 'sliding', train: 756, test: 252 } }, 'walkForward.mode: must be "rolling" (fixed-length train window) or "anchored" (train window grows from the start), was "sliding"'],
    ['walkForward train', { ...base, walkForward: { mode: 'rolling', train: '3 years', test: 252 } }, 'walkForward.train: must be a whole number of bars > 0 (e.g. 252) or a period like "90d", "12w", "6m", "3y", was "3 years"'],
    ['walkForward test missing', { ...base, walkForward: { mode: 'rolling', train: '3y' } }, 'walkForward.test: must be a whole number of bars > 0 (e.g. 252) or a period like "90d", "12w", "6m", "3y", was missing'],
    ['walkForward test 0', { ...base, walkForward: { mode: 'rolling', train: '3y', test: 0 } }, 'walkForward.test: must be a whole number of bars > 0 (e.g. 252) or a period like "90d", "12w", "6m", "3y", was 0'],
    [
      'walkForward step unequal to test',
      { ...base, walkForward: { mode: 'rolling', train: '3y', test: '1y', step: '6m' } },
      'walkForward.step: must equal walkForward.test ("1y"), was "6m" — the test windows are stitched into one out-of-sample curve, so each must start where the previous one ends (a longer step leaves gaps, a shorter one trades bars twice); remove step',
    ],
    ['walkForward step', { ...base, walkForward: { mode: 'anchored', train: '3y', test: '1y', step: '1q' } }, 'walkForward.step: must be a whole number of bars > 0 (e.g. 252) or a period like "90d", "12w", "6m", "3y", was "1q"'],
    // Overfitting, top.
    ['overfitting field', { ...base, overfitting: { parts: 16 } }, 'overfitting.parts: unknown field — allowed: partitions'],
    ['odd partitions', { ...base, overfitting: { partitions: 15 } }, 'overfitting.partitions: must be an even whole number >= 2 (the CSCV splits the partitions in halves), was 15'],
    ['zero partitions', { ...base, overfitting: { partitions: 0 } }, 'overfitting.partitions: must be an even whole number >= 2 (the CSCV splits the partitions in halves), was 0'],
    ['top', { ...base, top: 0 }, 'top: must be a whole number >= 1, was 0'],
  ];

  it.each(cases)('%s', (_, json, message) => {
    expect(failure(json)).toBe(message);
  });

  it('a random sample of a grid too large to run whole is fine', () => {
    const e = parseExperiment({ ...channel, sweep: { lookback: { from: 1, to: 1000, step: 1 }, takeProfitPct: { from: 1, to: 1000, step: 0.5 } }, random: { count: 50, seed: 2 } });
    expect(expandCells(e)).toHaveLength(50);
  });
});
