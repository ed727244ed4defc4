/**
 * End-to-end tests of `replaylab data …` as a user runs it: the built CLI (`npm run build` first),
 * a real process, exit codes and the exact one-line messages.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/bin/replaylab.js');
const SAMPLE = 'data/samples/sp500-2000.csv';
const dir = mkdtempSync(join(tmpdir(), 'replaylab-e2e-data-'));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Run {
  const result = spawnSync(process.execPath, [CLI, 'data', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A user-facing failure: the given exit code, one line on stderr, no stack trace. */
function expectOneLineError(run: Run, code: number, message: string): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr).toBe(`replaylab: ${message}\n`);
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the e2e tests`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replaylab data inspect', () => {
  it('prints a report of the sample', () => {
    const run = cli('inspect', SAMPLE);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('rows       5105');
    expect(run.stdout).toContain('first      2000-01-03');
    expect(run.stdout).toContain('last       2020-04-17');
    expect(run.stdout).toContain('problems   none');
  });

  it('--json prints machine-readable data', () => {
    const run = cli('inspect', SAMPLE, '--json');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { rows: number; firstTime: string; gaps: { daily: boolean }; columns: { name: string }[] };
    expect(report.rows).toBe(5105);
    expect(report.firstTime).toBe('2000-01-03');
    expect(report.gaps.daily).toBe(true);
    expect(report.columns.map((c) => c.name)).toEqual(['time', 'open', 'high', 'low', 'close', 'volume', 'adjclose']);
  });

  it('lists problems and exits 1 when the file has some', () => {
    const run = cli('inspect', 'test/fixtures/bad-high-low.csv');
    expect(run.stdout).toContain('  line 4: high 10.5 < low 11 — fix the row or pass --repair drop');
    expectOneLineError(run, 1, 'test/fixtures/bad-high-low.csv: 1 problem found (listed above)');
  });

  it('exits 2 for a missing file or an unknown type', () => {
    expectOneLineError(cli('inspect', 'nope.csv'), 2, 'nope.csv: file does not exist');
    expectOneLineError(cli('inspect', 'package.json'), 2, 'package.json: unknown file type — use .csv, .arrow (.feather, .ipc) or .parquet');
  });

  it('--help shows an example', () => {
    const run = cli('inspect', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('$ replaylab data inspect data/samples/sp500-2000.csv');
  });
});

describe('replaylab data convert', () => {
  it('converts CSV → Arrow → Parquet and prints the digest', () => {
    const arrow = join(dir, 'sp.arrow');
    const parquet = join(dir, 'sp.parquet');
    const first = cli('convert', SAMPLE, arrow);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^wrote 5105 bars of SP500-2000 to ${arrow.replace(/[.\\]/g, '\\$&')} \\(sha256 [0-9a-f]{64}\\)\\n$`));
    expect(cli('convert', arrow, parquet, '--symbol', 'SPX').stdout).toContain('wrote 5105 bars of SPX');
    expect(JSON.parse(cli('inspect', parquet, '--json').stdout)).toMatchObject({ rows: 5105, problemCount: 0, lastTime: '2020-04-17' });
  });

  it('fails with file, line, reason and fix on bad data (exit 1)', () => {
    expectOneLineError(
      cli('convert', 'test/fixtures/unsorted.csv', join(dir, 'u.csv')),
      1,
      'test/fixtures/unsorted.csv:3: time 2020-01-02 is before 2020-01-03 on line 2 (rows must be in time order) — sort the file by time or pass --repair sort',
    );
    expectOneLineError(cli('convert', 'test/fixtures/empty.csv', join(dir, 'e.csv')), 1, 'test/fixtures/empty.csv: file is empty — add a header line and data rows');
  });

  it('--repair sort,drop repairs and lists every change', () => {
    const run = cli('convert', 'test/fixtures/unsorted.csv', join(dir, 'u.csv'), '--repair', 'sort,drop');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      'test/fixtures/unsorted.csv: repaired 5 rows → 4: dropped 1, moved 1',
      'test/fixtures/unsorted.csv:2: moved (time 2020-01-03 was out of order)',
      'test/fixtures/unsorted.csv:5: dropped (duplicate time 2020-01-06 (same as line 4))',
    ]);
  });

  it('exits 2 on usage mistakes', () => {
    expectOneLineError(cli('convert', SAMPLE, join(dir, 'x.csv'), '--repair', 'fix'), 2, '--repair must be drop, sort or sort,drop, got "fix"');
    expectOneLineError(cli('convert', 'missing.csv', join(dir, 'x.csv')), 2, 'missing.csv: file does not exist');
    expectOneLineError(cli('convert', SAMPLE, 'out.txt'), 2, 'out.txt: unknown file type — use .csv, .arrow (.feather, .ipc) or .parquet');
    const missingArg = cli('convert', SAMPLE);
    expect(missingArg.code).toBe(2);
    expect(missingArg.stderr).not.toContain('    at ');
  });
});

describe('replaylab data synth', () => {
  it('writes the same file for the same seed', () => {
    const a = cli('synth', '--bars', '500', '--seed', '42', '--out', join(dir, 'a.csv'));
    const b = cli('synth', '--bars', '500', '--seed', '42', '--out', join(dir, 'b.csv'));
    expect(a.code, a.stderr).toBe(0);
    const digest = (run: Run): string | undefined => /sha256 ([0-9a-f]{64})/.exec(run.stdout)?.[1];
    expect(digest(a)).toBeDefined();
    expect(digest(a)).toBe(digest(b));
    expect(digest(cli('synth', '--bars', '500', '--seed', '43', '--out', join(dir, 'c.csv')))).not.toBe(digest(a));
    expect(cli('inspect', join(dir, 'a.csv')).stdout).toContain('rows       500');
  });

  it('writes intraday Parquet with a symbol and start date', () => {
    const out = join(dir, 'm.parquet');
    const run = cli('synth', '--bars', '1000', '--seed', 'x', '--interval', '1m', '--symbol', 'ES', '--start', '2021-03-01', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('wrote 1000 bars of ES');
    const report = JSON.parse(cli('inspect', out, '--json').stdout) as { firstTime: string; medianIntervalMs: number; columns: { name: string }[] };
    expect(report.firstTime).toBe('2021-03-01T14:31:00.000Z');
    expect(report.medianIntervalMs).toBe(60_000);
    expect(report.columns.map((c) => c.name)).toContain('vix');
  });

  it('exits 2 on bad flag values and missing required flags', () => {
    const out = join(dir, 'z.csv');
    expectOneLineError(cli('synth', '--bars', 'many', '--seed', '1', '--out', out), 2, '--bars must be a positive integer, got "many"');
    expectOneLineError(
      cli('synth', '--bars', '10', '--seed', '1', '--interval', '7m', '--out', out),
      2,
      '--interval must be 1d or minutes/hours dividing the 390-minute session (1m, 5m, 15m, 30m, 65m), got "7m"',
    );
    expectOneLineError(cli('synth', '--bars', '10', '--seed', '1', '--start', 'yesterday', '--out', out), 2, '--start must be an ISO date like 2000-01-03, got "yesterday"');
    expect(cli('synth', '--bars', '10', '--seed', '1').code).toBe(2);
  });
});
