import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli.js';
import { folderKind } from './report.js';

const SAMPLE = resolve(import.meta.dirname, '../../data/samples/sp500-2000.csv');
let root: string;

/** Runs the CLI in-process, capturing stdout and stderr. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await runCli(['node', 'replaylab', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'replaylab-report-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('replaylab report / backtest --report', () => {
  it('backtest --out DIR --report writes DIR/report.html; report DIR --out FILE rewrites it elsewhere', async () => {
    const dir = join(root, 'run');
    const run = await cli('backtest', '--strategy', 'sma-cross', '--data', SAMPLE, '--symbol', 'SPX', '--commission-rate', '0.001', '--out', dir, '--report');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`report written to ${join(dir, 'report.html')}`);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('data-metric="finalEquity"');
    expect(folderKind(dir)).toBe('run');

    const file = join(root, 'elsewhere.html');
    const again = await cli('report', dir, '--out', file);
    expect(again.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(html);
  });

  it('backtest --report without --out is a usage error', async () => {
    const run = await cli('backtest', '--strategy', 'sma-cross', '--data', SAMPLE, '--report');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--report needs --out DIR/);
  });

  it('exits 2 with one line naming what was expected for a missing or unknown folder', async () => {
    const missing = await cli('report', join(root, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/no such folder — expected a run folder/);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const unknown = await cli('report', empty);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/not a results folder — expected metrics.json \+ equity.arrow \(run\), manifest.json \+ results.csv \(grid\) or walk-forward.json/);
    expect(existsSync(join(empty, 'report.html'))).toBe(false);
  });

  it('recognises grid and walk-forward folders by their files', () => {
    const grid = join(root, 'grid');
    mkdirSync(grid);
    writeFileSync(join(grid, 'manifest.json'), '{}');
    writeFileSync(join(grid, 'results.csv'), '');
    expect(folderKind(grid)).toBe('grid');
    const wf = join(root, 'wf');
    mkdirSync(wf);
    writeFileSync(join(wf, 'walk-forward.json'), '{}');
    expect(folderKind(wf)).toBe('walk-forward');
  });
});
