import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uninitializedNumberFields } from './number-fields.js';

const root = new URL('..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('number fields start as numbers', () => {
  it('finds a mutable number field without an initializer, and nothing else', () => {
    const text = [
      'interface I { x: number; }',
      'class A {',
      '  cash: number;',
      '  private peak: number | undefined;',
      '  readonly capital: number;',
      '  ok = 0;',
      '  name: string;',
      '  constructor() { this.cash = 1; this.peak = 2; this.capital = 3; this.name = ""; }',
      '}',
    ].join('\n');
    expect(uninitializedNumberFields('a.ts', text)).toEqual([
      { file: 'a.ts', line: 3, name: 'cash' },
      { file: 'a.ts', line: 4, name: 'peak' },
    ]);
  });

  it('holds for the engine, strategies, experiments, live and data code', () => {
    const files = ['engine', 'strategies', 'experiments', 'live', 'data'].flatMap((dir) => sources(join(root, dir)));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) => uninitializedNumberFields(relative(root, file), readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });
});
