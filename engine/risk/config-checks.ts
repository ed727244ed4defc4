import { ConfigError } from '../config-error.js';

/**
 * Small validators shared by {@link resolveRiskOptions}: each takes the JSON path of the field it
 * checks and throws a {@link ConfigError} naming that path, the rule and the value it saw.
 */

/** Bounds of a numeric field; every bound is optional. */
export interface NumberRule {
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** Inclusive lower bound (`>=`). */
  readonly min?: number;
  /** Exclusive lower bound (`>`). */
  readonly above?: number;
  /** Inclusive upper bound (`<=`). */
  readonly max?: number;
  /** Exclusive upper bound (`<`). */
  readonly below?: number;
}

function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
}

/** A plain JSON object (not an array, not null), or a ConfigError at `path`. */
export function requireObject(path: string, value: unknown): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(path, `must be an object, was ${show(value)}`);
  }
  return value as Readonly<Record<string, unknown>>;
}

/** Rejects any key of `value` outside `known`, naming the key and listing the known ones. */
export function rejectUnknownKeys(path: string, value: Readonly<Record<string, unknown>>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new ConfigError(`${path}.${key}`, `unknown key — known keys: ${known.join(', ')}`);
  }
}

/** A finite number obeying `rule`; `undefined` and `null` stay `undefined` (the rule is off). */
export function optionalNumber(path: string, value: unknown, rule: NumberRule): number | undefined {
  if (value === undefined || value === null) return undefined;
  return requireNumber(path, value, rule);
}

/** A finite number obeying `rule`, or a ConfigError such as `risk.dailyLossPct: must be > 0, was -2`. */
export function requireNumber(path: string, value: unknown, rule: NumberRule): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(path, `must be a ${rule.integer === true ? 'whole number' : 'number'}, was ${show(value)}`);
  }
  if (rule.integer === true && !Number.isInteger(value)) throw new ConfigError(path, `must be a whole number, was ${value}`);
  if (rule.min !== undefined && value < rule.min) throw new ConfigError(path, `must be >= ${rule.min}, was ${value}`);
  if (rule.above !== undefined && !(value > rule.above)) throw new ConfigError(path, `must be > ${rule.above}, was ${value}`);
  if (rule.max !== undefined && value > rule.max) throw new ConfigError(path, `must be <= ${rule.max}, was ${value}`);
  if (rule.below !== undefined && !(value < rule.below)) throw new ConfigError(path, `must be < ${rule.below}, was ${value}`);
  return value;
}

/** `true`/`false`, or `fallback` when absent. */
export function optionalBoolean(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(path, `must be true or false, was ${show(value)}`);
  return value;
}
