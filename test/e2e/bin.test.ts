import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from './cli.js';

describe('the replaylab command (package.json "bin")', () => {
  it('is an executable file with a node shebang after the build, so `npx replaylab` can run it', () => {
    // tsc writes plain files; scripts/bin-mode.mjs (part of `npm run build` and `prepare`) sets the bit.
    expect(statSync(CLI).mode & 0o111).toBe(0o111);
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const { bin } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(join(ROOT, bin.replaylab!)).toBe(CLI);
  });

  it('runs as a program of its own (no `node` in front), printing the package version', () => {
    const run = spawnSync(CLI, ['--version'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });
});
