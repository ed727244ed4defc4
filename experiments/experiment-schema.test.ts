import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandCells } from './cells.js';
import { EXPERIMENT_FIELDS, EXPERIMENT_OBJECT_FIELDS, parseExperiment, RANKING_METRICS } from './experiment-spec.js';

const here = dirname(fileURLToPath(import.meta.url));
type Schema = { readonly [keyword: string]: unknown };
const schema = JSON.parse(readFileSync(join(here, 'experiment.schema.json'), 'utf8')) as Schema;
const EXAMPLES = ['sma-sp500', 'sma-sp500-costs', 'channel-sp500-large'];

/**
 * A JSON Schema 2020-12 validator for exactly the keywords experiment.schema.json uses (no
 * dependency); an unknown keyword fails, so the schema cannot use one this does not check.
 * Returns the JSON paths of the violations.
 */
function validate(value: unknown, s: Schema, path = '(root)'): string[] {
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${path}: ${why}`);
  for (const [keyword, arg] of Object.entries(s)) {
    switch (keyword) {
      case '$schema':
      case 'title':
      case 'description':
      case '$defs':
        break;
      case '$ref': {
        const name = (arg as string).replace('#/$defs/', '');
        errors.push(...validate(value, (schema['$defs'] as Record<string, Schema>)[name]!, path));
        break;
      }
      case 'type': {
        const types = Array.isArray(arg) ? (arg as string[]) : [arg as string];
        const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
        const ok = types.some((t) => t === actual || (t === 'integer' && Number.isInteger(value)));
        if (!ok) fail(`not ${types.join('|')}`);
        break;
      }
      case 'enum':
        if (!(arg as unknown[]).includes(value)) fail(`not one of ${JSON.stringify(arg)}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(arg as string, 'u').test(value)) fail(`does not match ${arg as string}`);
        break;
      case 'minLength':
        if (typeof value === 'string' && value.length < (arg as number)) fail('too short');
        break;
      case 'minimum':
        if (typeof value === 'number' && value < (arg as number)) fail(`< ${arg as number}`);
        break;
      case 'maximum':
        if (typeof value === 'number' && value > (arg as number)) fail(`> ${arg as number}`);
        break;
      case 'exclusiveMinimum':
        if (typeof value === 'number' && value <= (arg as number)) fail(`<= ${arg as number}`);
        break;
      case 'multipleOf':
        if (typeof value === 'number' && value % (arg as number) !== 0) fail(`not a multiple of ${arg as number}`);
        break;
      case 'required':
        if (isObject(value)) for (const key of arg as string[]) if (!Object.hasOwn(value, key)) fail(`missing ${key}`);
        break;
      case 'minProperties':
        if (isObject(value) && Object.keys(value).length < (arg as number)) fail('too few properties');
        break;
      case 'properties':
        if (isObject(value)) {
          for (const [key, sub] of Object.entries(arg as Record<string, Schema>)) if (Object.hasOwn(value, key)) errors.push(...validate(value[key], sub, `${path}.${key}`));
        }
        break;
      case 'additionalProperties':
        if (isObject(value)) {
          const declared = Object.keys((s['properties'] as object | undefined) ?? {});
          for (const [key, item] of Object.entries(value)) {
            if (declared.includes(key)) continue;
            if (arg === false) fail(`unknown property ${key}`);
            else errors.push(...validate(item, arg as Schema, `${path}.${key}`));
          }
        }
        break;
      case 'propertyNames':
        if (isObject(value)) for (const key of Object.keys(value)) errors.push(...validate(key, arg as Schema, `${path}.${key} (name)`));
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((item, i) => errors.push(...validate(item, arg as Schema, `${path}[${i}]`)));
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < (arg as number)) fail('too few items');
        break;
      case 'uniqueItems':
        if (Array.isArray(value) && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) fail('repeated items');
        break;
      case 'oneOf': {
        const matching = (arg as Schema[]).filter((sub) => validate(value, sub, path).length === 0).length;
        if (matching !== 1) fail(`matches ${matching} of the oneOf alternatives`);
        break;
      }
      default:
        throw new Error(`validator does not support the keyword ${keyword} (${path})`);
    }
  }
  return errors;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const properties = (s: Schema): string[] => Object.keys((s['properties'] as object | undefined) ?? {}).sort();
const def = (name: string): Schema => (schema['$defs'] as Record<string, Schema>)[name]!;
const top = (name: string): Schema => (schema['properties'] as Record<string, Schema>)[name]!;

describe('experiment.schema.json', () => {
  it('is draft 2020-12, closed, and requires data and strategy', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['required']).toEqual(['data', 'strategy']);
  });

  it("top-level property names equal the parser's allowed fields", () => {
    expect(properties(schema)).toEqual([...EXPERIMENT_FIELDS].sort());
  });

  it("nested objects' property names equal the parser's too", () => {
    const dataObject = (def('dataEntry')['oneOf'] as Schema[])[1]!;
    const nested: Record<string, Schema> = {
      data: dataObject,
      costs: top('costs'),
      fills: top('fills'),
      'instruments.*': top('instruments')['additionalProperties'] as Schema,
      'sweep.*': def('range'),
      random: top('random'),
      filters: top('filters'),
      walkForward: top('walkForward'),
      overfitting: top('overfitting'),
    };
    const ranking = (top('ranking')['oneOf'] as Schema[]).flatMap(properties).sort();
    expect(ranking).toEqual([...EXPERIMENT_OBJECT_FIELDS['ranking']!].sort());
    for (const [path, s] of Object.entries(nested)) expect([path, properties(s)]).toEqual([path, [...EXPERIMENT_OBJECT_FIELDS[path]!].sort()]);
    expect(Object.keys(EXPERIMENT_OBJECT_FIELDS).sort()).toEqual([...Object.keys(nested), 'ranking'].sort());
  });

  it('its metric names are the ranking metrics', () => {
    expect(def('metric')['enum']).toEqual(RANKING_METRICS);
  });

  it('every property has a description', () => {
    const missing: string[] = [];
    const visit = (s: Schema, path: string) => {
      for (const [key, sub] of Object.entries((s['properties'] as Record<string, Schema> | undefined) ?? {})) {
        if (typeof sub['description'] !== 'string') missing.push(`${path}.${key}`);
        visit(sub, `${path}.${key}`);
      }
      for (const sub of (s['oneOf'] as Schema[] | undefined) ?? []) visit(sub, path);
      if (typeof s['additionalProperties'] === 'object') visit(s['additionalProperties'] as Schema, `${path}.*`);
    };
    visit(schema, '(root)');
    for (const [name, s] of Object.entries(schema['$defs'] as Record<string, Schema>)) visit(s, `$defs.${name}`);
    expect(missing).toEqual([]);
  });
});

describe('example experiments', () => {
  /** Every experiments/*.json that declares this schema, plus the three bundled examples. */
  const declared = readdirSync(here)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .filter((f) => (JSON.parse(readFileSync(join(here, f), 'utf8')) as Record<string, unknown>)['$schema'] === './experiment.schema.json')
    .map((f) => f.replace(/\.json$/, ''));
  const all = [...new Set([...EXAMPLES, ...declared])].sort();

  it('the bundled examples declare the schema', () => {
    for (const name of EXAMPLES) expect(declared).toContain(name);
  });

  it.each(all)('%s validates against the schema and the parser', (name) => {
    const json = JSON.parse(readFileSync(join(here, `${name}.json`), 'utf8'));
    expect(validate(json, schema)).toEqual([]);
    const experiment = parseExperiment(json, { file: join(here, `${name}.json`) });
    if (EXAMPLES.includes(name)) expect(experiment.name).toBe(name);
    expect(expandCells(experiment).length).toBeGreaterThan(0);
  });

  it('the validator is not vacuous: the schema rejects what the parser rejects', () => {
    const json = JSON.parse(readFileSync(join(here, 'sma-sp500.json'), 'utf8'));
    expect(validate({ ...json, sweeps: {} }, schema)).toEqual(['(root): unknown property sweeps']);
    expect(validate({ ...json, sweep: { fast: { from: 5, to: 50, step: 0 } } }, schema)).toEqual(['(root).sweep.fast: matches 0 of the oneOf alternatives']);
    expect(validate({ ...json, ranking: { metric: 'bars' } }, schema)).toEqual(['(root).ranking: matches 0 of the oneOf alternatives']);
    expect(validate({ ...json, walkForward: { mode: 'rolling', train: '3 years', test: 252 } }, schema)).toEqual(['(root).walkForward.train: matches 0 of the oneOf alternatives']);
    expect(validate({ ...json, overfitting: { partitions: 15 } }, schema)).toEqual(['(root).overfitting.partitions: not a multiple of 2']);
    expect(validate({ ...json, costs: { slippageBps: -1 } }, schema)).toEqual(['(root).costs.slippageBps: < 0']);
  });
});
