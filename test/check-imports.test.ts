import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = new URL('../scripts/check-imports.mjs', import.meta.url).pathname;

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'replaylab-imports-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root: string) {
  const run = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

describe('scripts/check-imports.mjs', () => {
  it('passes the real tree', () => {
    expect(check(new URL('..', import.meta.url).pathname).status).toBe(0);
  });

  it('passes a tree whose imports flow the right way', () => {
    const root = tree({
      'engine/a.ts': "import { createHash } from 'node:crypto';\nexport const a = 1;\n",
      'strategies/s.ts': "import { a } from '../engine/a.js';\nexport const s = a;\n",
      'bin/b.ts': "import { s } from '../strategies/s.js';\nimport { readFileSync } from 'node:fs';\n",
    });
    expect(check(root)).toEqual({ status: 0, stderr: '' });
  });

  it('names every violation with file and line', () => {
    const root = tree({
      'engine/bad.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { s } from '../strategies/s.js';",
        'export const t = Date.now();',
        'export const r = Math.random();',
        '// Date.now() in a comment is fine',
      ].join('\n'),
      'strategies/s.ts': "import { x } from '../data/x.js';\nexport const s = 1;\n",
    });
    const { status, stderr } = check(root);
    expect(status).toBe(1);
    expect(stderr).toContain('engine/bad.ts:1: engine/ must not import node:fs');
    expect(stderr).toContain('engine/bad.ts:2: engine/ must not import from strategies');
    expect(stderr).toContain('engine/bad.ts:3: reads the wall clock (Date.now)');
    expect(stderr).toContain('engine/bad.ts:4: uses Math.random');
    expect(stderr).toContain('strategies/s.ts:1: strategies/ must not import from data');
    expect(stderr).not.toContain('bad.ts:5');
  });
});
