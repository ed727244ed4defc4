import { ConfigError } from '../engine/config-error.js';
import type { CostSpec } from '../engine/costs/resolve-costs.js';
import type { EngineOptions } from '../engine/engine-config.js';
import { parseRepair, type Repair } from '../data/validate.js';

/** One data file of a run. Paths are relative to the spec file's folder (or the cwd for flags). */
export interface DataSpec {
  readonly file: string;
  /** Symbol name; default: the file name stem upper-cased. */
  readonly symbol?: string | undefined;
  /** First bar time to use (ISO date or date-time, inclusive). */
  readonly from?: string | undefined;
  /** Last bar time to use (ISO date or date-time, inclusive). */
  readonly to?: string | undefined;
  readonly repair?: Repair | undefined;
}

/**
 * A single backtest as JSON (`replaylab backtest RUN.json`): which data, which strategy with which
 * parameters, capital, costs and fill options. Every field is checked; unknown fields are errors.
 */
export interface RunSpec {
  readonly data: readonly DataSpec[];
  readonly strategy: string;
  readonly params: Readonly<Record<string, number | boolean | string>>;
  readonly options: EngineOptions;
}

const TOP_FIELDS = ['$schema', 'description', 'data', 'strategy', 'params', 'capital', 'costs', 'fills', 'leverage', 'riskFreeRate', 'instruments', 'sessionOffsetMs'];
const DATA_FIELDS = ['file', 'symbol', 'from', 'to', 'repair'];
const COST_FIELDS = [
  'commissionRate', 'commissionPerShare', 'commissionMin', 'commissionMax', 'commissionPerOrder', 'commissionPerContract',
  'slippageBps', 'slippageTicks', 'spreadBps', 'spread', 'spreadFromColumn',
];

/**
 * Checks a parsed JSON value as a {@link RunSpec}. Throws {@link ConfigError} with the JSON path of
 * the first bad field, e.g. `costs.commissionRate: must be a number >= 0, was "x"`.
 */
export function parseRunSpec(json: unknown): RunSpec {
  const root = record(json, '(root)');
  knownFields(root, TOP_FIELDS, '');
  const strategy = root['strategy'];
  if (typeof strategy !== 'string' || strategy === '') throw new ConfigError('strategy', `must be a strategy name (see replaylab strategies), was ${show(strategy)}`);
  const data = dataSpecs(root['data']);
  const params = record(root['params'] ?? {}, 'params');
  for (const [name, value] of Object.entries(params)) {
    if (!['number', 'boolean', 'string'].includes(typeof value)) throw new ConfigError(`params.${name}`, `must be a number, boolean or string, was ${show(value)}`);
  }
  const costs = record(root['costs'] ?? {}, 'costs');
  knownFields(costs, COST_FIELDS, 'costs.');
  for (const [name, value] of Object.entries(costs)) {
    if (name === 'spreadFromColumn') {
      if (typeof value !== 'boolean') throw new ConfigError(`costs.${name}`, `must be true or false, was ${show(value)}`);
    } else if (value !== null && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new ConfigError(`costs.${name}`, `must be a number >= 0, was ${show(value)}`);
    }
  }
  const fills = record(root['fills'] ?? {}, 'fills');
  knownFields(fills, ['ambiguity'], 'fills.');
  const options: Record<string, unknown> = { costs: costs as CostSpec };
  if (root['capital'] !== undefined) options['initialCapital'] = positive(root['capital'], 'capital');
  if (root['leverage'] !== undefined) options['leverage'] = positive(root['leverage'], 'leverage');
  if (root['riskFreeRate'] !== undefined) options['riskFreeRate'] = finite(root['riskFreeRate'], 'riskFreeRate');
  if (root['sessionOffsetMs'] !== undefined) options['sessionOffsetMs'] = finite(root['sessionOffsetMs'], 'sessionOffsetMs');
  if (fills['ambiguity'] !== undefined) {
    if (fills['ambiguity'] !== 'stop-first' && fills['ambiguity'] !== 'target-first') {
      throw new ConfigError('fills.ambiguity', `must be "stop-first" or "target-first", was ${show(fills['ambiguity'])}`);
    }
    options['ambiguity'] = fills['ambiguity'];
  }
  if (root['instruments'] !== undefined) {
    const instruments = record(root['instruments'], 'instruments');
    for (const [symbol, spec] of Object.entries(instruments)) {
      const fields = record(spec, `instruments.${symbol}`);
      knownFields(fields, ['multiplier', 'tickSize', 'lotSize'], `instruments.${symbol}.`);
      for (const [name, value] of Object.entries(fields)) positive(value, `instruments.${symbol}.${name}`);
    }
    options['instruments'] = instruments;
  }
  return Object.freeze({
    data,
    strategy,
    params: Object.freeze({ ...(params as Record<string, number | boolean | string>) }),
    options: Object.freeze(options) as EngineOptions,
  });
}

function dataSpecs(value: unknown): DataSpec[] {
  if (value === undefined) throw new ConfigError('data', 'is required: a file path, {"file": ...}, or a list of them');
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new ConfigError('data', 'must name at least one file');
  return list.map((item, i) => {
    const path = Array.isArray(value) ? `data[${i}]` : 'data';
    if (typeof item === 'string') return Object.freeze({ file: item });
    const spec = record(item, path);
    knownFields(spec, DATA_FIELDS, `${path}.`);
    if (typeof spec['file'] !== 'string' || spec['file'] === '') throw new ConfigError(`${path}.file`, `must be a file path, was ${show(spec['file'])}`);
    for (const field of ['symbol', 'from', 'to'] as const) {
      if (spec[field] !== undefined && typeof spec[field] !== 'string') throw new ConfigError(`${path}.${field}`, `must be a string, was ${show(spec[field])}`);
    }
    for (const field of ['from', 'to'] as const) {
      if (spec[field] !== undefined && Number.isNaN(parseTimeBound(spec[field] as string))) {
        throw new ConfigError(`${path}.${field}`, `must be an ISO date like 2005-01-31, was ${show(spec[field])}`);
      }
    }
    let repair: Repair | undefined;
    if (spec['repair'] !== undefined) {
      repair = typeof spec['repair'] === 'string' ? parseRepair(spec['repair']) : undefined;
      if (repair === undefined) throw new ConfigError(`${path}.repair`, `must be "drop", "sort" or "sort,drop", was ${show(spec['repair'])}`);
    }
    return Object.freeze({
      file: spec['file'],
      symbol: spec['symbol'] as string | undefined,
      from: spec['from'] as string | undefined,
      to: spec['to'] as string | undefined,
      repair,
    });
  });
}

/** Parses a `from`/`to` bound: an ISO date (UTC midnight) or ISO date-time; NaN when invalid. */
export function parseTimeBound(text: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T00:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return Date.parse(text);
  return Number.NaN;
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(path, `must be an object, was ${show(value)}`);
  return value as Record<string, unknown>;
}

function knownFields(value: Record<string, unknown>, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new ConfigError(`${prefix}${key}`, `unknown field — allowed: ${known.filter((k) => k !== '$schema').join(', ')}`);
  }
}

function positive(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ConfigError(path, `must be a number > 0, was ${show(value)}`);
  return value;
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigError(path, `must be a number, was ${show(value)}`);
  return value;
}

function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}
