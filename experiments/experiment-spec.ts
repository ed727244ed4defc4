import { basename, extname } from 'node:path';
import { checkWalkForwardStep } from './walk-forward-windows.js';
import { ConfigError } from '../engine/config-error.js';
import { resolveEngineConfig } from '../engine/engine-config.js';
import type { Metrics } from '../engine/metrics/types.js';
import { resolveParams } from '../engine/params.js';
import { findStrategy, STRATEGIES } from '../strategies/index.js';
import { forEachCell, MAX_CELLS } from './cells.js';
import { parseConstraint } from './constraint.js';
import type { Experiment, Filters, ParamValue, Ranking, WalkForwardSpec } from './experiment.js';
import { asFinite, asInteger, asObject, rejectUnknownFields, show } from './json-checks.js';
import { COST_FIELDS, DATA_FIELDS, FILL_FIELDS, INSTRUMENT_FIELDS, parseRunFields, RUN_SPEC_FIELDS } from './run-spec.js';
import { parseSweep, RANGE_FIELDS } from './sweep-spec.js';

/** Top-level fields of an experiment: every run-spec field plus the experiment's own. */
export const EXPERIMENT_FIELDS: readonly string[] = Object.freeze([
  ...RUN_SPEC_FIELDS,
  'name', 'sweep', 'random', 'constraints', 'ranking', 'filters', 'walkForward', 'overfitting', 'top', 'seed',
]);

const RANDOM_FIELDS = ['count', 'seed'];
const RANKING_FIELDS = ['metric', 'order', 'score'];
const FILTER_FIELDS = ['minTrades', 'minWinRatePct', 'minReturnPct', 'minSharpe', 'maxDrawdownPct'] as const satisfies readonly (keyof Filters)[];
const WALK_FORWARD_FIELDS = ['mode', 'train', 'test', 'step'] as const satisfies readonly (keyof WalkForwardSpec)[];
const OVERFITTING_FIELDS = ['partitions'];

/**
 * The allowed fields of every nested object of an experiment, by JSON path (`*` = any key), so
 * the JSON Schema can be checked against the parser.
 */
export const EXPERIMENT_OBJECT_FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  data: DATA_FIELDS,
  costs: COST_FIELDS,
  fills: FILL_FIELDS,
  'instruments.*': INSTRUMENT_FIELDS,
  'sweep.*': RANGE_FIELDS,
  random: RANDOM_FIELDS,
  ranking: RANKING_FIELDS,
  filters: FILTER_FIELDS,
  walkForward: WALK_FORWARD_FIELDS,
  overfitting: OVERFITTING_FIELDS,
});

/**
 * Every field of the engine's {@link Metrics}: `true` if cells can be ranked or scored by it,
 * else why not. `satisfies` makes the compiler keep this list equal to the `Metrics` type.
 */
const METRIC_FIELDS = {
  startEquity: 'is the initial capital, the same for every cell',
  finalEquity: true, totalReturnPct: true, cagrPct: true, volatilityPct: true, sharpe: true, sortino: true,
  maxDrawdownPct: true, maxDrawdownDurationBars: true, maxDrawdownDurationDays: true, calmar: true, tradesClosed: true,
  tradesOpen: true, winRatePct: true, profitFactor: true, expectancy: true, avgWin: true, avgLoss: true,
  avgWinPct: 'is absent when no trade won and is not kept in grid results',
  bestTrade: true, worstTrade: true, sqn: true, exposurePct: true, turnover: true, feesPaid: true, slippagePaid: true,
  bars: 'is the same for every cell',
  startTimeMs: 'is the same for every cell',
  endTimeMs: 'is the same for every cell',
} as const satisfies Record<keyof Metrics, true | string>;

/**
 * Metric names a ranking or score may use, in `Metrics` declaration order: the fields of the
 * engine's `Metrics` that differ between cells (not `startEquity`, `bars`, `startTimeMs`,
 * `endTimeMs`) and are always present (not `avgWinPct`).
 */
export const RANKING_METRICS: readonly (keyof Metrics)[] = Object.freeze(
  (Object.keys(METRIC_FIELDS) as (keyof Metrics)[]).filter((name) => METRIC_FIELDS[name] === true),
);

/** Defaults of the optional experiment fields. */
export const EXPERIMENT_DEFAULTS = Object.freeze({
  ranking: Object.freeze({ kind: 'metric', metric: 'sharpe', order: 'desc' }) as Ranking,
  pboPartitions: 16,
  top: 10,
  seed: 0,
});

/**
 * Checks a parsed JSON value as an {@link Experiment} (`replaylab grid EXPERIMENT.json`), before
 * anything runs: every run-spec field exactly as `parseRunSpec` checks it, the strategy and its
 * params, every value of the sweep, the constraints, ranking, filters, walk-forward and the
 * resulting grid (not too large, not empty, each cell accepted by the strategy's own check).
 * `options.file` (the experiment's path) gives the default `name` (the file name stem).
 * Throws {@link ConfigError} naming the JSON path, the problem and the fix, e.g.
 * `sweep.slow.step: must be > 0, was 0`. Returns a frozen experiment.
 */
export function parseExperiment(json: unknown, options: { readonly file?: string } = {}): Experiment {
  const root = asObject(json, '(root)');
  rejectUnknownFields(root, EXPERIMENT_FIELDS, '');
  const run = parseRunFields(root);
  const strategy = findStrategy(run.strategy);
  if (strategy === undefined) {
    throw new ConfigError('strategy', `unknown strategy ${JSON.stringify(run.strategy)} — available: ${[...STRATEGIES.keys()].join(', ')}`);
  }
  const resolvedFixed = resolveParams(strategy.params, run.params);
  const fixedParams: Record<string, ParamValue> = {};
  for (const name of Object.keys(run.params)) fixedParams[name] = resolvedFixed[name] as ParamValue;
  try {
    resolveEngineConfig(run.options);
  } catch (error) {
    // Cost-model errors arrive as `costs: costs: …`; say it once.
    if (error instanceof ConfigError && error.problem.startsWith(`${error.path}: `)) throw new ConfigError(error.path, error.problem.slice(error.path.length + 2));
    throw error;
  }
  const sweep = parseSweep(root['sweep'], strategy.name, strategy.params, fixedParams);
  const seed = root['seed'] === undefined ? EXPERIMENT_DEFAULTS.seed : seedAt(root['seed'], 'seed');
  const experiment: Experiment = Object.freeze({
    name: nameOf(root['name'], options.file),
    description: root['description'] === undefined ? '' : text(root['description'], 'description'),
    data: run.data,
    strategy: strategy.name,
    fixedParams: Object.freeze(fixedParams),
    sweep: Object.freeze(sweep),
    random: randomOf(root['random'], seed),
    constraints: Object.freeze(constraintsOf(root['constraints'], strategy.params)),
    options: run.options,
    ranking: rankingOf(root['ranking']),
    filters: filtersOf(root['filters']),
    walkForward: root['walkForward'] === undefined ? undefined : walkForwardOf(root['walkForward']),
    pboPartitions: root['overfitting'] === undefined ? EXPERIMENT_DEFAULTS.pboPartitions : partitionsOf(root['overfitting']),
    top: root['top'] === undefined ? EXPERIMENT_DEFAULTS.top : asInteger(root['top'], 'top', 1),
    seed,
  });
  // Every cell that will run must pass the strategy's own cross-parameter check.
  const check = strategy.check;
  if (check !== undefined) {
    forEachCell(experiment, (cell) => {
      const problem = check({ ...resolvedFixed, ...cell.swept } as typeof resolvedFixed);
      if (problem === undefined) return;
      if (Object.keys(cell.swept).length === 0) throw new ConfigError(problem.path, problem.problem);
      const where = Object.entries(cell.swept).map(([k, v]) => `${k}=${String(v)}`).join(', ');
      throw new ConfigError('constraints', `the cell ${where} is rejected by ${strategy.name} (${problem.path}: ${problem.problem}) — add a constraint that leaves such cells out`);
    });
  } else {
    forEachCell(experiment, () => undefined);
  }
  return experiment;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new ConfigError(path, `must be a string, was ${show(value)}`);
  return value;
}

function nameOf(value: unknown, file: string | undefined): string {
  if (value === undefined) return file === undefined ? 'experiment' : basename(file, extname(file));
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) {
    throw new ConfigError('name', `must be a name of letters, digits, ".", "_" and "-" starting with a letter or digit (it names result folders), was ${show(value)}`);
  }
  return value;
}

function seedAt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new ConfigError(path, `must be a whole number, was ${show(value)}`);
  return value;
}

function randomOf(value: unknown, seed: number): Experiment['random'] {
  if (value === undefined) return undefined;
  const random = asObject(value, 'random');
  rejectUnknownFields(random, RANDOM_FIELDS, 'random.');
  const count = asInteger(random['count'], 'random.count', 1);
  if (count > MAX_CELLS) throw new ConfigError('random.count', `must be <= ${MAX_CELLS}, was ${count}`);
  return Object.freeze({ count, seed: random['seed'] === undefined ? seed : seedAt(random['seed'], 'random.seed') });
}

function constraintsOf(value: unknown, schema: Parameters<typeof parseConstraint>[2]): ReturnType<typeof parseConstraint>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError('constraints', `must be a list of strings like ["fast < slow"], was ${show(value)}`);
  return value.map((item: unknown, i) => {
    if (typeof item !== 'string' || item.trim() === '') throw new ConfigError(`constraints[${i}]`, `must be a condition like "fast < slow", was ${show(item)}`);
    return parseConstraint(item, `constraints[${i}]`, schema);
  });
}

function metricAt(value: unknown, path: string): keyof Metrics {
  if (typeof value !== 'string' || !Object.hasOwn(METRIC_FIELDS, value)) {
    throw new ConfigError(path, `unknown metric ${show(value)} — known: ${RANKING_METRICS.join(', ')}`);
  }
  const why = METRIC_FIELDS[value as keyof Metrics];
  if (why !== true) throw new ConfigError(path, `${value} cannot rank cells: it ${why} — use one of: ${RANKING_METRICS.join(', ')}`);
  return value as keyof Metrics;
}

function rankingOf(value: unknown): Ranking {
  if (value === undefined) return EXPERIMENT_DEFAULTS.ranking;
  const ranking = asObject(value, 'ranking');
  rejectUnknownFields(ranking, RANKING_FIELDS, 'ranking.');
  if (ranking['score'] !== undefined) {
    if (ranking['metric'] !== undefined || ranking['order'] !== undefined) {
      throw new ConfigError('ranking', 'give either "metric" (with "order") or "score", not both');
    }
    const score = asObject(ranking['score'], 'ranking.score');
    const weights: Record<string, number> = {};
    for (const [metric, weight] of Object.entries(score)) {
      metricAt(metric, `ranking.score.${metric}`);
      weights[metric] = asFinite(weight, `ranking.score.${metric}`);
    }
    if (Object.keys(weights).length === 0) throw new ConfigError('ranking.score', 'must weight at least one metric, e.g. {"sharpe": 1}');
    return Object.freeze({ kind: 'score', weights: Object.freeze(weights) });
  }
  if (ranking['metric'] === undefined) {
    throw new ConfigError('ranking', 'must be {"metric": "sharpe", "order": "desc"} or {"score": {"sharpe": 8, "totalReturnPct": 0.25}}');
  }
  const metric = metricAt(ranking['metric'], 'ranking.metric');
  const order = ranking['order'] ?? 'desc';
  if (order !== 'desc' && order !== 'asc') throw new ConfigError('ranking.order', `must be "desc" (higher is better) or "asc" (lower is better), was ${show(order)}`);
  return Object.freeze({ kind: 'metric', metric, order });
}

function filtersOf(value: unknown): Filters {
  const filters = asObject(value ?? {}, 'filters');
  rejectUnknownFields(filters, FILTER_FIELDS, 'filters.');
  const result: { -readonly [K in keyof Filters]: number } = {};
  for (const field of FILTER_FIELDS) {
    const raw = filters[field];
    if (raw === undefined) continue;
    const path = `filters.${field}`;
    if (field === 'minTrades') result[field] = asInteger(raw, path, 0);
    else if (field === 'minWinRatePct' || field === 'maxDrawdownPct') {
      if (typeof raw !== 'number' || !(raw >= 0 && raw <= 100)) throw new ConfigError(path, `must be a percentage from 0 to 100, was ${show(raw)}`);
      result[field] = raw;
    } else result[field] = asFinite(raw, path);
  }
  return Object.freeze(result);
}

/** A walk-forward window length: a number of bars or a calendar period. */
export type WindowLength = { readonly unit: 'bars'; readonly count: number } | { readonly unit: 'days' | 'weeks' | 'months' | 'years'; readonly count: number };

const PERIOD_UNITS = { d: 'days', w: 'weeks', m: 'months', y: 'years' } as const;

/**
 * Reads a walk-forward length: a whole number of bars (`756`) or a period `Nd`, `Nw`, `Nm`, `Ny`
 * (`"3y"`, `"6m"`, `"90d"`). Returns undefined when `value` is neither.
 */
export function parseWindowLength(value: unknown): WindowLength | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? { unit: 'bars', count: value } : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^([1-9]\d*)([dwmy])$/.exec(value);
  if (match === null) return undefined;
  return { unit: PERIOD_UNITS[match[2] as keyof typeof PERIOD_UNITS], count: Number(match[1]) };
}

function walkForwardOf(value: unknown): WalkForwardSpec {
  const spec = asObject(value, 'walkForward');
  rejectUnknownFields(spec, WALK_FORWARD_FIELDS, 'walkForward.');
  const mode = spec['mode'];
  if (mode !== 'rolling' && mode !== 'anchored') {
    throw new ConfigError('walkForward.mode', `must be "rolling" (fixed-length train window) or "anchored" (train window grows from the start), was ${show(mode)}`);
  }
  const length = (field: 'train' | 'test' | 'step'): number | string => {
    const raw = spec[field];
    if (parseWindowLength(raw) === undefined) {
      throw new ConfigError(`walkForward.${field}`, `must be a whole number of bars > 0 (e.g. 252) or a period like "90d", "12w", "6m", "3y", was ${show(raw)}`);
    }
    return raw as number | string;
  };
  const result: { -readonly [K in keyof WalkForwardSpec]: WalkForwardSpec[K] } = { mode, train: length('train'), test: length('test') };
  if (spec['step'] !== undefined) result.step = length('step');
  checkWalkForwardStep(result);
  return Object.freeze(result);
}

function partitionsOf(value: unknown): number {
  const overfitting = asObject(value, 'overfitting');
  rejectUnknownFields(overfitting, OVERFITTING_FIELDS, 'overfitting.');
  const partitions = overfitting['partitions'];
  if (partitions === undefined) return EXPERIMENT_DEFAULTS.pboPartitions;
  if (typeof partitions !== 'number' || !Number.isSafeInteger(partitions) || partitions < 2 || partitions % 2 !== 0) {
    throw new ConfigError('overfitting.partitions', `must be an even whole number >= 2 (the CSCV splits the partitions in halves), was ${show(partitions)}`);
  }
  return partitions;
}
