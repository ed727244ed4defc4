import { ConfigError } from '../engine/config-error.js';
import type { CostSpec } from '../engine/costs/resolve-costs.js';
import type { EngineOptions } from '../engine/engine-config.js';
import { parseRepair, type Repair } from '../data/validate.js';
import { asFinite, asObject, asPositive, rejectUnknownFields, show } from './json-checks.js';

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

/** Top-level fields of a run spec (an experiment allows these and more). */
export const RUN_SPEC_FIELDS: readonly string[] = Object.freeze([
  '$schema', 'description', 'data', 'strategy', 'params', 'capital', 'costs', 'fills', 'leverage', 'riskFreeRate', 'instruments', 'sessionOffsetMs',
  'regimes', 'risk',
]);
/** Fields of one `data` entry. */
export const DATA_FIELDS: readonly string[] = Object.freeze(['file', 'symbol', 'from', 'to', 'repair']);
/** Fields of `costs` (see `CostSpec`). */
export const COST_FIELDS: readonly string[] = Object.freeze([
  'commissionRate', 'commissionPerShare', 'commissionMin', 'commissionMax', 'commissionPerOrder', 'commissionPerContract',
  'slippageBps', 'slippageTicks', 'spreadBps', 'spread', 'spreadFromColumn',
]);
/** Fields of `fills`. */
export const FILL_FIELDS: readonly string[] = Object.freeze(['ambiguity']);
/** Fields of one `instruments.<symbol>` entry. */
export const INSTRUMENT_FIELDS: readonly string[] = Object.freeze(['multiplier', 'tickSize', 'lotSize']);

/**
 * Checks a parsed JSON value as a {@link RunSpec}. Throws {@link ConfigError} with the JSON path of
 * the first bad field, e.g. `costs.commissionRate: must be a number >= 0, was "x"`.
 */
export function parseRunSpec(json: unknown): RunSpec {
  const root = asObject(json, '(root)');
  rejectUnknownFields(root, RUN_SPEC_FIELDS, '');
  return parseRunFields(root);
}

/**
 * Checks the run-spec fields of `root` ({@link RUN_SPEC_FIELDS}, other keys are ignored — the
 * caller rejects unknown ones) and returns them as a {@link RunSpec}. Shared by run specs and
 * experiments, so both accept exactly the same `data`, `params`, `costs`, `fills`, … values.
 * Does not look the strategy up or check params against its schema.
 */
export function parseRunFields(root: Readonly<Record<string, unknown>>): RunSpec {
  const strategy = root['strategy'];
  if (typeof strategy !== 'string' || strategy === '') throw new ConfigError('strategy', `must be a strategy name (see replaylab strategies), was ${show(strategy)}`);
  const data = dataSpecs(root['data']);
  const params = asObject(root['params'] ?? {}, 'params');
  for (const [name, value] of Object.entries(params)) {
    if (!['number', 'boolean', 'string'].includes(typeof value)) throw new ConfigError(`params.${name}`, `must be a number, boolean or string, was ${show(value)}`);
  }
  const costs = asObject(root['costs'] ?? {}, 'costs');
  rejectUnknownFields(costs, COST_FIELDS, 'costs.');
  for (const [name, value] of Object.entries(costs)) {
    if (name === 'spreadFromColumn') {
      if (typeof value !== 'boolean') throw new ConfigError(`costs.${name}`, `must be true or false, was ${show(value)}`);
    } else if (value !== null && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new ConfigError(`costs.${name}`, `must be a number >= 0, was ${show(value)}`);
    }
  }
  const fills = asObject(root['fills'] ?? {}, 'fills');
  rejectUnknownFields(fills, FILL_FIELDS, 'fills.');
  const options: Record<string, unknown> = { costs: costs as CostSpec };
  if (root['capital'] !== undefined) options['initialCapital'] = asPositive(root['capital'], 'capital');
  if (root['leverage'] !== undefined) options['leverage'] = asPositive(root['leverage'], 'leverage');
  if (root['riskFreeRate'] !== undefined) options['riskFreeRate'] = asFinite(root['riskFreeRate'], 'riskFreeRate');
  if (root['sessionOffsetMs'] !== undefined) options['sessionOffsetMs'] = asFinite(root['sessionOffsetMs'], 'sessionOffsetMs');
  if (fills['ambiguity'] !== undefined) {
    if (fills['ambiguity'] !== 'stop-first' && fills['ambiguity'] !== 'target-first') {
      throw new ConfigError('fills.ambiguity', `must be "stop-first" or "target-first", was ${show(fills['ambiguity'])}`);
    }
    options['ambiguity'] = fills['ambiguity'];
  }
  if (root['instruments'] !== undefined) {
    const instruments = asObject(root['instruments'], 'instruments');
    for (const [symbol, spec] of Object.entries(instruments)) {
      const fields = asObject(spec, `instruments.${symbol}`);
      rejectUnknownFields(fields, INSTRUMENT_FIELDS, `instruments.${symbol}.`);
      for (const [name, value] of Object.entries(fields)) asPositive(value, `instruments.${symbol}.${name}`);
    }
    options['instruments'] = instruments;
  }
  // Checked field by field, with their JSON paths, when the engine config is resolved.
  if (root['regimes'] !== undefined) options['regimes'] = root['regimes'];
  if (root['risk'] !== undefined) options['risk'] = root['risk'];
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
    const spec = asObject(item, path);
    rejectUnknownFields(spec, DATA_FIELDS, `${path}.`);
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
