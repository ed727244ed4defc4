import { ConfigError } from '../engine/config-error.js';

/**
 * Small checks shared by the JSON spec parsers (run specs, experiments). Each one takes the value
 * and its JSON path and throws {@link ConfigError} naming the path, the problem and the value.
 */

/** The value as a plain object; throws `<path>: must be an object, was …` otherwise. */
export function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(path, `must be an object, was ${show(value)}`);
  return value as Record<string, unknown>;
}

/**
 * Rejects keys of `value` not in `allowed`: `<prefix><key>: unknown field — allowed: …`.
 * `$schema` is accepted where listed but never suggested.
 */
export function rejectUnknownFields(value: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new ConfigError(`${prefix}${key}`, `unknown field — allowed: ${allowed.filter((k) => k !== '$schema').join(', ')}`);
  }
}

/** A finite number > 0. */
export function asPositive(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ConfigError(path, `must be a number > 0, was ${show(value)}`);
  return value;
}

/** Any finite number. */
export function asFinite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigError(path, `must be a number, was ${show(value)}`);
  return value;
}

/** A safe integer >= `min`. */
export function asInteger(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new ConfigError(path, `must be a whole number >= ${min}, was ${show(value)}`);
  return value;
}

/** A value as it appears in messages: JSON, or `missing` for undefined. */
export function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}
