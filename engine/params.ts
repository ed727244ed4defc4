import { ConfigError } from './config-error.js';

/** One parameter of a strategy: its type, default, allowed range and meaning. */
export type ParamSpec =
  | {
      readonly type: 'int' | 'number';
      readonly default: number;
      readonly min?: number;
      readonly max?: number;
      /** Suggested grid step for sweeps (informational). */
      readonly step?: number;
      readonly description: string;
    }
  | { readonly type: 'boolean'; readonly default: boolean; readonly description: string }
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly default: string; readonly description: string }
  /** Free text (e.g. a symbol → group map `"A:CE,B:PE"`); the strategy's `check` validates its content. */
  | { readonly type: 'string'; readonly default: string; readonly description: string };

/** A strategy's parameter schema: name → spec, in display order. */
export type ParamSchema = Readonly<Record<string, ParamSpec>>;

/** The resolved, frozen parameter values of a schema. */
export type ParamsOf<S extends ParamSchema> = {
  readonly [K in keyof S]: S[K] extends { type: 'boolean' } ? boolean : S[K] extends { type: 'enum' } ? string : S[K] extends { type: 'string' } ? string : number;
};

/**
 * Resolves user-supplied values (numbers, booleans, or strings from the CLI such as `"10"`)
 * against a schema: fills defaults, converts, checks types and ranges, rejects unknown names.
 * Throws {@link ConfigError} naming `params.<name>`, the problem and the allowed values.
 */
export function resolveParams<S extends ParamSchema>(schema: S, raw: Readonly<Record<string, unknown>>): ParamsOf<S> {
  for (const name of Object.keys(raw)) {
    if (!Object.hasOwn(schema, name)) {
      const known = Object.keys(schema).join(', ') || '(none)';
      throw new ConfigError(`params.${name}`, `unknown parameter — known parameters: ${known}`);
    }
  }
  const result: Record<string, number | boolean | string> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const value = Object.hasOwn(raw, name) ? raw[name] : undefined;
    result[name] = value === undefined ? spec.default : resolveOne(`params.${name}`, spec, value);
  }
  return Object.freeze(result) as ParamsOf<S>;
}

function resolveOne(path: string, spec: ParamSpec, value: unknown): number | boolean | string {
  switch (spec.type) {
    case 'int':
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) {
        throw new ConfigError(path, `must be a ${spec.type === 'int' ? 'whole number' : 'number'}, was ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
      }
      if (spec.type === 'int' && !Number.isInteger(n)) throw new ConfigError(path, `must be a whole number, was ${n}`);
      if (spec.min !== undefined && n < spec.min) throw new ConfigError(path, `must be >= ${spec.min}, was ${n}`);
      if (spec.max !== undefined && n > spec.max) throw new ConfigError(path, `must be <= ${spec.max}, was ${n}`);
      return n;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw new ConfigError(path, `must be true or false, was ${JSON.stringify(value)}`);
    }
    case 'enum': {
      if (typeof value === 'string' && spec.values.includes(value)) return value;
      throw new ConfigError(path, `must be one of ${spec.values.join(', ')}, was ${JSON.stringify(value)}`);
    }
    case 'string': {
      if (typeof value === 'string') return value;
      throw new ConfigError(path, `must be a string, was ${JSON.stringify(value)}`);
    }
  }
}
