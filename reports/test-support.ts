/** Shared by the report tests (tests only; not built into dist). */
import { expect } from 'vitest';
import * as vl from 'vega-lite';
import type { VegaLiteSpec } from './page.js';

/** Compiles with vega-lite, collecting every warning and error the compiler logs. */
export function compileSpec(spec: VegaLiteSpec): { warnings: string[]; errors: string[]; vega: unknown } {
  const warnings: string[] = [];
  const errors: string[] = [];
  const logger = {
    level: () => logger,
    error: (...args: unknown[]) => (errors.push(args.join(' ')), logger),
    warn: (...args: unknown[]) => (warnings.push(args.join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  const vega = vl.compile(spec as unknown as vl.TopLevelSpec, { logger: logger as never }).spec;
  return { warnings, errors, vega };
}

/**
 * Asserts a spec compiles without errors or warnings, loads no URL, fills its container's width
 * and has a title (a string, or also `{text}` when `titleObject` is allowed).
 */
export function expectCleanSpec(spec: VegaLiteSpec, options: { readonly titleObject?: boolean } = {}): void {
  const { warnings, errors, vega } = compileSpec(spec);
  expect(errors).toEqual([]);
  expect(warnings).toEqual([]);
  expect(vega).toBeTruthy();
  expect(JSON.stringify(spec)).not.toMatch(/"url"/);
  expect(spec['width']).toBe('container');
  const title = spec['title'];
  if (options.titleObject === true) expect(typeof title === 'string' || typeof (title as { text?: unknown }).text === 'string').toBe(true);
  else expect(typeof title).toBe('string');
}
