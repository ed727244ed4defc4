import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../engine/config-error.js';
import { usageError } from './cli-error.js';

/** Reads and parses a JSON spec file; a missing file or bad JSON is a usage error (exit 2). */
export function readJsonFile(path: string, what: string): { json: unknown; baseDir: string } {
  const file = isAbsolute(path) ? path : resolve(path);
  if (!existsSync(file)) throw usageError(`${what} ${path} does not exist — check the path`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw usageError(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)}) — fix the syntax`);
  }
  return { json, baseDir: dirname(file) };
}

/** Turns a `ConfigError` from parsing `file` into a usage error naming the file and field. */
export function specError(file: string, error: unknown): never {
  if (error instanceof ConfigError) throw usageError(`${file}: ${error.message}`);
  throw error;
}

/** Parses repeated `--param k=v` values into a record (strings; the schema converts them). */
export function parseParamFlags(values: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const item of values) {
    const at = item.indexOf('=');
    if (at <= 0) throw usageError(`--param ${item}: expected NAME=VALUE, e.g. --param fast=10`);
    params[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return params;
}

/** Parses a numeric flag; a bad value is a usage error naming the flag. */
export function numberFlag(flag: string, value: string | undefined, check: (n: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw usageError(`${flag} ${value}: must be ${expected}`);
  return n;
}
