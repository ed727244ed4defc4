import { ConfigError } from '../engine/config-error.js';
import { resolveParams, type ParamSchema, type ParamSpec } from '../engine/params.js';
import { formatCount, MAX_CELLS, rangeCount, rangeValue } from './cells.js';
import type { ParamValue, SweepSpec } from './experiment.js';
import { asFinite, asObject, rejectUnknownFields, show } from './json-checks.js';

/** Fields of a `{from, to, step}` range. */
export const RANGE_FIELDS: readonly string[] = Object.freeze(['from', 'to', 'step']);

/**
 * Checks an experiment's `sweep` object against the strategy's parameter schema and returns the
 * swept parameters in spec order. Every value a sweep can take is checked like a fixed param
 * (`resolveParams`), with the error moved to its place in the sweep (`sweep.fast[3]`,
 * `sweep.fast.from`, `sweep.fast.to` for a range's last value). Throws {@link ConfigError}.
 */
export function parseSweep(value: unknown, strategy: string, schema: ParamSchema, fixed: Readonly<Record<string, unknown>>): Record<string, SweepSpec> {
  const sweep = asObject(value ?? {}, 'sweep');
  const result: Record<string, SweepSpec> = {};
  for (const [name, spec] of Object.entries(sweep)) {
    const path = `sweep.${name}`;
    const param = Object.hasOwn(schema, name) ? schema[name] : undefined;
    if (param === undefined) throw new ConfigError(path, `unknown parameter of ${strategy} — known: ${Object.keys(schema).join(', ') || '(none)'}`);
    if (Object.hasOwn(fixed, name)) throw new ConfigError(path, `is also fixed in params.${name} — a parameter is either fixed or swept; remove one of them`);
    if (Array.isArray(spec)) result[name] = Object.freeze({ kind: 'list', values: Object.freeze(listValues(spec, name, path, schema)) });
    else if (typeof spec === 'object' && spec !== null) result[name] = range(spec as Record<string, unknown>, name, path, param, schema);
    else throw new ConfigError(path, `must be a list of values like [5, 10, 20] or a range like {"from": 5, "to": 50, "step": 5}, was ${show(spec)}`);
  }
  return result;
}

/** `value` resolved as the value of `name` (converted like a fixed param), the error moved to `path`. */
function resolveAt(schema: ParamSchema, name: string, value: unknown, path: string): ParamValue {
  try {
    return resolveParams(schema, { [name]: value })[name] as ParamValue;
  } catch (error) {
    if (error instanceof ConfigError && error.path === `params.${name}`) throw new ConfigError(path, error.problem);
    throw error;
  }
}

function listValues(list: readonly unknown[], name: string, path: string, schema: ParamSchema): ParamValue[] {
  if (list.length === 0) throw new ConfigError(path, 'must list at least one value');
  if (list.length > MAX_CELLS) throw new ConfigError(path, `lists ${formatCount(list.length)} values, more than ${formatCount(MAX_CELLS)}`);
  const values: ParamValue[] = [];
  list.forEach((item, i) => {
    const value = resolveAt(schema, name, item, `${path}[${i}]`);
    const first = values.indexOf(value);
    if (first >= 0) throw new ConfigError(`${path}[${i}]`, `repeats ${path}[${first}] (${show(value)}) — list each value once`);
    values.push(value);
  });
  return values;
}

function range(spec: Readonly<Record<string, unknown>>, name: string, path: string, param: ParamSpec, schema: ParamSchema): SweepSpec {
  if (param.type !== 'int' && param.type !== 'number') {
    const [kind, example] =
      param.type === 'enum' ? ['an enum', JSON.stringify(param.values)] : param.type === 'string' ? ['a string', '["A:CE,B:PE", "A:CE,B:CE"]'] : ['a boolean', '[true, false]'];
    throw new ConfigError(path, `a {from, to, step} range needs a numeric parameter, but ${name} is ${kind} — list the values instead: ${example}`);
  }
  rejectUnknownFields(spec, RANGE_FIELDS, `${path}.`);
  const from = asFinite(spec['from'], `${path}.from`);
  const to = asFinite(spec['to'], `${path}.to`);
  const step = asFinite(spec['step'], `${path}.step`);
  if (step <= 0) throw new ConfigError(`${path}.step`, `must be > 0, was ${step}`);
  if (param.type === 'int' && !Number.isInteger(step)) throw new ConfigError(`${path}.step`, `must be a whole number (${name} is an int parameter), was ${step}`);
  resolveAt(schema, name, from, `${path}.from`);
  if (to < from) throw new ConfigError(`${path}.to`, `must be >= from (${from}), was ${to}`);
  const count = rangeCount(from, to, step);
  if (count > MAX_CELLS) throw new ConfigError(path, `the range has ${formatCount(count)} values, more than ${formatCount(MAX_CELLS)} — raise step or narrow from … to`);
  const last = rangeValue(from, step, count - 1);
  try {
    resolveAt(schema, name, last, `${path}.to`);
  } catch (error) {
    if (error instanceof ConfigError && last !== to) throw new ConfigError(error.path, `${error.problem} (the last value of the range)`);
    throw error;
  }
  return Object.freeze({ kind: 'range', from, to, step });
}
