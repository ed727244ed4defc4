import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GridSummary } from '../../experiments/grid-summary.js';
import { PAPER_FIELDS, type PaperConfig } from '../../experiments/promote.js';
import { runSpec } from '../../experiments/run.js';
import { parseRunSpec } from '../../experiments/run-spec.js';
import { replaylab } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'replaylab-e2e-promote-'));
const readConfig = (file: string): PaperConfig => JSON.parse(readFileSync(file, 'utf8')) as PaperConfig;

/** The digest of a paper config run as a plain backtest: paper-only fields stripped, paths from its folder. */
async function digestOf(file: string): Promise<string> {
  const json = Object.fromEntries(Object.entries(readConfig(file)).filter(([key]) => !['kind', 'version', 'name', 'warmup', 'provenance'].includes(key)));
  return (await runSpec(parseRunSpec(json), dirname(file), { keepSeries: false, keepEvents: false })).result.digest;
}

describe('replaylab promote (real processes)', () => {
  let dir: string;
  let grid: string;
  let summary: GridSummary;

  beforeAll(() => {
    dir = tmp();
    grid = join(dir, 'grid');
    const run = replaylab(['grid', 'experiments/sma-sp500.json', '--out', grid, '--json', '--quiet', '--workers', '2']);
    expect(run.stderr).not.toContain('replaylab:');
    expect(run.status).toBe(0);
    summary = JSON.parse(run.stdout) as GridSummary;
  });

  it('grid → promote --rank 1 --out FILE: exit 0; the file is a paper config whose run spec reproduces the cell', async () => {
    const file = join(dir, 'paper', 'best.json');
    const run = replaylab(['promote', grid, '--rank', '1', '--out', file]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const top = summary.top[0]!;
    expect(run.stdout).toContain(`promoted    sma-sp500 cell ${top.cell} (rank 1; fast=${top.params['fast']} slow=${top.params['slow']}) → ${file}`);
    expect(run.stdout).toContain(`verified    the config reproduces digest ${top.digest.slice(0, 12)}…`);
    const config = readConfig(file);
    expect(PAPER_FIELDS).toEqual(['kind', 'version', 'name', 'warmup', 'provenance']);
    expect(config).toMatchObject({ kind: 'replaylab-paper', version: 1, name: 'best', strategy: 'sma-cross', params: top.params, capital: 100_000, warmup: { bars: top.params['slow'] } });
    expect(config.provenance).toMatchObject({
      experiment: { name: 'sma-sp500' }, gridDir: '../grid', cell: top.cell, rank: 1, metrics: top.metrics, digest: top.digest, seed: 1, forced: false,
      gate: { passedFilters: true, deflatedSharpe: summary.overfitting.deflatedSharpe!.dsr, minDeflatedSharpe: 0.5, reasons: [] },
    });
    expect(Number.isNaN(Date.parse(config.provenance.promotedAt))).toBe(false);
    expect(await digestOf(file)).toBe(top.digest);
  });

  it('a cell failing the gate (--min-dsr 0.99): exit 1, one line with the reason, no file; with --force: exit 0 and forced: true', () => {
    const file = join(dir, 'strict.json');
    const refused = replaylab(['promote', grid, '--min-dsr', '0.99', '--out', file]);
    expect(refused.status).toBe(1);
    const dsr = summary.overfitting.deflatedSharpe!.dsr!.toFixed(3);
    expect(refused.stderr).toBe(
      `replaylab: refused to promote cell ${summary.top[0]!.cell} of sma-sp500: Deflated Sharpe Ratio ${dsr} < --min-dsr 0.99 (90 trials) — pass --force to promote it anyway (recorded in its provenance)\n`,
    );
    expect(existsSync(file)).toBe(false);
    const forced = replaylab(['promote', grid, '--min-dsr', '0.99', '--out', file, '--force', '--json']);
    expect(forced.stderr).toBe('');
    expect(forced.status).toBe(0);
    const doc = JSON.parse(forced.stdout) as { file: string; name: string; provenance: PaperConfig['provenance'] };
    expect(Object.keys(doc)).toEqual(['file', 'name', 'provenance']);
    expect(doc.file).toBe(file);
    expect(doc.provenance).toMatchObject({ forced: true, gate: { passedFilters: true, minDeflatedSharpe: 0.99, reasons: [`Deflated Sharpe Ratio ${dsr} < --min-dsr 0.99 (90 trials)`] } });
    expect(readConfig(file).provenance).toEqual(doc.provenance);
  });

  it('writes paper/<experiment>-cell-<id>.json by default and refuses to overwrite it (exit 2) unless --overwrite', () => {
    const cwd = tmp();
    const cell = summary.top[1]!.cell;
    const first = replaylab(['promote', grid, '--rank', '2'], { cwd });
    expect(first.status).toBe(0);
    const file = `paper/sma-sp500-cell-${cell}.json`;
    expect(first.stdout).toContain(`→ ${file}`);
    expect(readConfig(join(cwd, file)).provenance.rank).toBe(2);
    const again = replaylab(['promote', grid, '--rank', '2'], { cwd });
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(`replaylab: ${file} already exists — pass --overwrite to replace it, or choose another --name or --out\n`);
    expect(replaylab(['promote', grid, '--rank', '2', '--overwrite'], { cwd }).status).toBe(0);
  });

  it('usage errors exit 2 with one line: both --rank and --cell, a rank past the passing cells, not a results folder', () => {
    const both = replaylab(['promote', grid, '--rank', '1', '--cell', '3']);
    expect([both.status, both.stderr]).toEqual([2, 'replaylab: --rank and --cell both name the cell — pass one of them\n']);
    const far = replaylab(['promote', grid, '--rank', '91']);
    expect([far.status, far.stderr]).toEqual([2, 'replaylab: --rank 91: only 90 of 90 cells passed the experiment\'s filters — choose --rank 1…90\n']);
    const none = replaylab(['promote', dir]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^replaylab: .*: not a grid folder \(manifest\.json \+ results\.csv\) or run folder/);
    const help = replaylab(['promote', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('replaylab promote runs/sma --cell 18');
  });

  it('a run folder (backtest --out) promotes to a config that reproduces its digest', async () => {
    const runDir = join(dir, 'demo');
    const backtest = replaylab(['backtest', 'experiments/demo.json', '--out', runDir, '--json']);
    expect(backtest.status).toBe(0);
    const digest = (JSON.parse(backtest.stdout) as { digest: string }).digest;
    const file = join(dir, 'paper', 'demo.json');
    const run = replaylab(['promote', runDir, '--out', file, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as { provenance: PaperConfig['provenance'] };
    expect(doc.provenance).toMatchObject({ experiment: null, gridDir: null, runDir: '../demo', cell: null, rank: null, digest });
    expect(readConfig(file)).toMatchObject({ params: { fast: 10, slow: 30 }, costs: { commissionRate: 0.001 }, warmup: { bars: 30 } });
    expect(await digestOf(file)).toBe(digest);
  });
});
