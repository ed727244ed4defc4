import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaylab } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'replaylab-report-flags-'));

describe('--report on grid and walk-forward (real processes)', () => {
  it('grid --report writes DIR/report.html with the overfitting numbers', () => {
    const out = join(tmp(), 'grid');
    const run = replaylab(['grid', 'experiments/sma-sp500.json', '--out', out, '--quiet', '--workers', '1', '--report']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`report written to ${join(out, 'report.html')}`);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('data-metric="pbo"');
    expect(html).toContain('id="heatmap-x"');
    expect(html).not.toMatch(/<script src=|<link /);
  });

  it('walk-forward --report needs --out (exit 2, one line)', () => {
    const run = replaylab(['walk-forward', 'experiments/sma-sp500-walk-forward.json', '--report']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('replaylab: --report needs --out DIR (the report is written to DIR/report.html)\n');
  });

  it('walk-forward --out --report writes the report', () => {
    const out = join(tmp(), 'wf');
    const run = replaylab(['walk-forward', 'experiments/sma-sp500-walk-forward.json', '--out', out, '--quiet', '--workers', '1', '--report']);
    expect(run.status).toBe(0);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });
});
