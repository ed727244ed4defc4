import { describe, expect, it } from 'vitest';
import { runBacktest } from './backtest.js';
import { ConfigError } from './config-error.js';
import { resolveParams, type ParamSchema } from './params.js';
import { defineStrategy } from './strategy.js';
import { flatBars } from './test-support.js';

const schema = {
  fast: { type: 'int', default: 10, min: 1, max: 100, description: 'fast period' },
  ratio: { type: 'number', default: 0.5, min: 0, max: 1, description: 'a fraction' },
  longOnly: { type: 'boolean', default: true, description: 'long only' },
  mode: { type: 'enum', values: ['a', 'b'], default: 'a', description: 'mode' },
} as const satisfies ParamSchema;

/** The ConfigError thrown by resolving `raw`, as `path: problem`. */
function failure(raw: Record<string, unknown>, s: ParamSchema = schema): { path: string; message: string } {
  try {
    resolveParams(s, raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    return { path: e.path, message: e.message };
  }
  throw new Error('expected a ConfigError');
}

describe('resolveParams', () => {
  it('fills defaults and freezes the result', () => {
    const params = resolveParams(schema, {});
    expect(params).toEqual({ fast: 10, ratio: 0.5, longOnly: true, mode: 'a' });
    expect(Object.isFrozen(params)).toBe(true);
    // An explicitly undefined value also takes the default.
    expect(resolveParams(schema, { fast: undefined }).fast).toBe(10);
  });

  it('keeps given values and coerces CLI strings', () => {
    expect(resolveParams(schema, { fast: 20, ratio: 0.25, longOnly: false, mode: 'b' })).toEqual({ fast: 20, ratio: 0.25, longOnly: false, mode: 'b' });
    expect(resolveParams(schema, { fast: '20', ratio: '0.25', longOnly: 'false', mode: 'b' })).toEqual({ fast: 20, ratio: 0.25, longOnly: false, mode: 'b' });
    expect(resolveParams(schema, { fast: ' 7 ', ratio: '1e-1', longOnly: 'true' })).toMatchObject({ fast: 7, ratio: 0.1, longOnly: true });
    expect(resolveParams(schema, { fast: '1e1' }).fast).toBe(10);
  });

  it('accepts the range bounds themselves', () => {
    expect(resolveParams(schema, { fast: 1, ratio: 0 })).toMatchObject({ fast: 1, ratio: 0 });
    expect(resolveParams(schema, { fast: '100', ratio: '1' })).toMatchObject({ fast: 100, ratio: 1 });
  });

  it('rejects unknown parameters, naming the known ones', () => {
    expect(failure({ slow: 5 })).toEqual({ path: 'params.slow', message: 'params.slow: unknown parameter — known parameters: fast, ratio, longOnly, mode' });
    expect(failure({ x: 1 }, {})).toEqual({ path: 'params.x', message: 'params.x: unknown parameter — known parameters: (none)' });
  });

  it('rejects wrong types with the value shown', () => {
    expect(failure({ fast: 2.5 }).message).toBe('params.fast: must be a whole number, was 2.5');
    expect(failure({ fast: '2.5' }).message).toBe('params.fast: must be a whole number, was 2.5');
    expect(failure({ fast: 'abc' }).message).toBe('params.fast: must be a whole number, was "abc"');
    expect(failure({ fast: '' }).message).toBe('params.fast: must be a whole number, was ""');
    expect(failure({ fast: true }).message).toBe('params.fast: must be a whole number, was true');
    expect(failure({ ratio: 'x' }).message).toBe('params.ratio: must be a number, was "x"');
    expect(failure({ ratio: null }).message).toBe('params.ratio: must be a number, was null');
    expect(failure({ longOnly: 'yes' }).message).toBe('params.longOnly: must be true or false, was "yes"');
    expect(failure({ longOnly: 1 }).message).toBe('params.longOnly: must be true or false, was 1');
    expect(failure({ mode: 'c' }).message).toBe('params.mode: must be one of a, b, was "c"');
    expect(failure({ mode: 1 }).message).toBe('params.mode: must be one of a, b, was 1');
  });

  it('rejects values out of range', () => {
    expect(failure({ fast: 0 })).toEqual({ path: 'params.fast', message: 'params.fast: must be >= 1, was 0' });
    expect(failure({ fast: '101' }).message).toBe('params.fast: must be <= 100, was 101');
    expect(failure({ ratio: -0.1 }).message).toBe('params.ratio: must be >= 0, was -0.1');
    expect(failure({ ratio: '1.5' }).message).toBe('params.ratio: must be <= 1, was 1.5');
  });
});

describe('params through runBacktest', () => {
  const seen: unknown[] = [];
  const strategy = defineStrategy({
    name: 'params-probe',
    description: 'records its params',
    params: { fast: schema.fast, slow: { type: 'int', default: 20, min: 2, description: 'slow period' } },
    check: (p) => (p.fast < p.slow ? undefined : { path: 'params.fast', problem: `must be < slow (${p.slow}), was ${p.fast}` }),
    create: (p) => {
      seen.push(p);
      return { onBar: () => undefined };
    },
  });
  const bars = flatBars('A', 3, 100);

  it('the strategy receives resolved values and the result records them', () => {
    const result = runBacktest({ data: bars, strategy, params: { fast: '5' } });
    expect(seen.at(-1)).toEqual({ fast: 5, slow: 20 });
    expect(result.params).toEqual({ fast: 5, slow: 20 });
  });

  it('bad values and failed cross-checks throw ConfigError before the run', () => {
    expect(() => runBacktest({ data: bars, strategy, params: { fast: 0 } })).toThrow(new ConfigError('params.fast', 'must be >= 1, was 0'));
    expect(() => runBacktest({ data: bars, strategy, params: { fast: 30 } })).toThrow('params.fast: must be < slow (20), was 30');
    expect(() => runBacktest({ data: bars, strategy, params: { nope: 1 } })).toThrow('params.nope: unknown parameter — known parameters: fast, slow');
  });

  it('the schema is frozen by defineStrategy', () => {
    expect(Object.isFrozen(strategy.params)).toBe(true);
    expect(Object.isFrozen(strategy.params.fast)).toBe(true);
  });
});

describe('string parameters', () => {
  const schema = { groups: { type: 'string', default: '', description: 'symbol → group' } } as const;
  it('take any text (the strategy checks its content) and default to their default', () => {
    expect(resolveParams(schema, { groups: 'A:CE,B:PE' })).toEqual({ groups: 'A:CE,B:PE' });
    expect(resolveParams(schema, {})).toEqual({ groups: '' });
  });
  it('reject a non-string with the path', () => {
    expect(() => resolveParams(schema, { groups: 3 })).toThrow('params.groups: must be a string, was 3');
  });
});
