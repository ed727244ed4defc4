import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, replaylab, SP500 } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'replaylab-e2e-grid-'));

/** sma-cross on the whole bundled S&P 500 file: 10 × 9 = 90 cells (or a longer sweep for kill tests). */
function writeExperiment(dir: string, fastTo = 50, extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'sma.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'sma',
      data: { file: SP500, symbol: 'SPX' },
      strategy: 'sma-cross',
      capital: 100_000,
      costs: { commissionRate: 0.001 },
      sweep: { fast: { from: 5, to: fastTo, step: 5 }, slow: { from: 60, to: 220, step: 20 } },
      ranking: { metric: 'sharpe', order: 'desc' },
      filters: { minTrades: 5 },
      ...extra,
    }),
  );
  return file;
}

const rowsIn = (csv: string): number => (existsSync(csv) ? readFileSync(csv, 'utf8').split('\n').length - 2 : -1);

/** Starts `replaylab ARGS…`, waits until `csv` holds at least `rows` rows, sends `signal`, resolves on exit. */
async function interruptAfter(args: readonly string[], csv: string, rows: number, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; rowsAtSignal: number }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let rowsAtSignal = -1;
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    const n = rowsIn(csv);
    if (n >= rows) {
      rowsAtSignal = n;
      child.kill(signal);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { code: await exited, stderr, rowsAtSignal };
}

describe('replaylab grid (real processes)', () => {
  let reference: { dir: string; out: string; json: ReturnType<typeof JSON.parse> };

  beforeAll(() => {
    const dir = tmp();
    const file = writeExperiment(dir);
    const out = join(dir, 'out');
    const run = replaylab(['grid', file, '--out', out, '--json', '--workers', '2']);
    expect(run.stderr).not.toContain('replaylab:');
    expect(run.status).toBe(0);
    reference = { dir, out, json: JSON.parse(run.stdout) };
  });

  it('--json: one document with the top cells, trials, overfitting and plateau; progress lines on stderr only', () => {
    const doc = reference.json;
    expect(Object.keys(doc)).toEqual(['experiment', 'cells', 'passed', 'top', 'trials', 'overfitting', 'plateau', 'outDir']);
    expect(doc).toMatchObject({ experiment: 'sma', cells: 90, trials: 90, outDir: reference.out });
    expect(doc.top).toHaveLength(10);
    expect(Object.keys(doc.top[0])).toEqual(['rank', 'cell', 'params', 'metrics', 'score', 'digest']);
    expect(Object.keys(doc.top[0].params)).toEqual(['fast', 'slow']);
    expect(doc.top[0].score).toBe(doc.top[0].metrics.sharpe);
    expect(doc.overfitting.deflatedSharpe.cell).toBe(doc.top[0].cell);
    expect(doc.overfitting.pbo).toMatchObject({ partitions: 16, totalCombinations: 12870 });
    expect(['plateau', 'spike', 'isolated']).toContain(doc.plateau.verdict);
    expect(JSON.parse(readFileSync(join(reference.out, 'summary.json'), 'utf8'))).toEqual(doc);
    for (const f of ['results.csv', 'results.arrow', 'returns.f32', 'experiment.json', 'manifest.json', 'summary.json']) expect(existsSync(join(reference.out, f))).toBe(true);
    expect(readFileSync(join(reference.out, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(91);
    expect(tableFromIPC(readFileSync(join(reference.out, 'results.arrow'))).numRows).toBe(90);
    const manifest = JSON.parse(readFileSync(join(reference.out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ status: 'complete', cells: 90, workers: 2, batchSize: 6, batching: 'guided', replaylab: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version });
  });

  it('a grid cell has the digest of `replaylab backtest` of that cell alone', () => {
    const best = reference.json.top[0];
    const spec = join(reference.dir, 'cell.json');
    writeFileSync(spec, JSON.stringify({ data: { file: SP500, symbol: 'SPX' }, strategy: 'sma-cross', params: best.params, capital: 100_000, costs: { commissionRate: 0.001 } }));
    const alone = JSON.parse(replaylab(['backtest', spec, '--json']).stdout);
    expect(alone.digest).toBe(best.digest);
    expect(alone.metrics.sharpe).toBe(best.metrics.sharpe);
    expect(alone.metrics.finalEquity).toBe(best.metrics.finalEquity);
  });

  it('human output: the top table and the overfitting lines; --quiet keeps stderr empty', () => {
    const dir = tmp();
    const run = replaylab(['grid', writeExperiment(dir), '--out', join(dir, 'out'), '--top', '3', '--quiet', '--workers', '1']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^experiment {2}sma: 90 cells, \d+ passed the filters/);
    expect(run.stdout).toMatch(/^rank +cell +fast +slow +return % +sharpe/m);
    expect(run.stdout.split('\n').filter((l) => /^[123] +\d+ /.test(l))).toHaveLength(3);
    for (const label of ['trials      90', 'DSR ', 'PBO ', 'plateau ']) expect(run.stdout).toContain(label);
  });

  it('killed with SIGKILL mid-grid, then --resume: results.csv and returns.f32 byte-identical to an uninterrupted run', async () => {
    const dir = tmp();
    const file = writeExperiment(dir);
    const out = join(dir, 'out');
    const killed = await interruptAfter(['grid', file, '--out', out, '--workers', '1', '--batch-size', '1', '--quiet'], join(out, 'results.csv'), 5, 'SIGKILL');
    expect(killed.code).toBeNull(); // killed, not finished
    expect(killed.rowsAtSignal).toBeGreaterThanOrEqual(5);
    expect(rowsIn(join(out, 'results.csv'))).toBeLessThan(90);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).status).toBe('running');
    const resumed = replaylab(['grid', file, '--out', out, '--resume', '--json', '--quiet']);
    expect(resumed.status).toBe(0);
    expect(readFileSync(join(out, 'results.csv')).equals(readFileSync(join(reference.out, 'results.csv')))).toBe(true);
    expect(readFileSync(join(out, 'returns.f32')).equals(readFileSync(join(reference.out, 'returns.f32')))).toBe(true);
    const a = tableFromIPC(readFileSync(join(out, 'results.arrow')));
    const b = tableFromIPC(readFileSync(join(reference.out, 'results.arrow')));
    expect(JSON.stringify(a.toArray())).toBe(JSON.stringify(b.toArray()));
    const doc = JSON.parse(resumed.stdout);
    expect(doc.top).toEqual(reference.json.top);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.status).toBe('complete');
    expect(manifest.history.map((h: { status: string }) => h.status)).toEqual(['interrupted', 'complete']);
  });

  it('SIGINT stops cleanly: exit 130, manifest interrupted, the resume command printed; resuming completes', async () => {
    const dir = tmp();
    const file = writeExperiment(dir);
    const out = join(dir, 'out');
    const stopped = await interruptAfter(['grid', file, '--out', out, '--workers', '1', '--batch-size', '1'], join(out, 'results.csv'), 3, 'SIGINT');
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`resume with: replaylab grid ${file} --out ${out} --resume`);
    expect(stopped.stderr.trim().split('\n').at(-1)).toMatch(/^replaylab: interrupted: \d+ of 90 cells stored in /);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.status).toBe('interrupted');
    expect(manifest.completedCells).toBe(rowsIn(join(out, 'results.csv')));
    const resumed = replaylab(['grid', file, '--out', out, '--resume', '--quiet']);
    expect(resumed.status).toBe(0);
    expect(readFileSync(join(out, 'results.csv')).equals(readFileSync(join(reference.out, 'results.csv')))).toBe(true);
  });

  it('usage errors are one line with exit code 2', () => {
    const dir = tmp();
    const oneLine = (run: { status: number | null; stderr: string }, pattern: RegExp) => {
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(pattern);
    };
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ data: SP500, strategy: 'sma-cross', sweep: { fast: { from: 5, to: 50, step: 0 } } }));
    oneLine(replaylab(['grid', bad]), /^replaylab: .*bad\.json: sweep\.fast\.step: /);
    writeFileSync(bad, JSON.stringify({ data: SP500, strategy: 'sma-cross', sweeps: {} }));
    oneLine(replaylab(['grid', bad]), /^replaylab: .*bad\.json: sweeps: unknown field/);
    writeFileSync(bad, '{ nope');
    oneLine(replaylab(['grid', bad]), /not valid JSON/);
    oneLine(replaylab(['grid', join(dir, 'missing.json')]), /experiment .*missing\.json does not exist/);
    oneLine(replaylab(['grid', writeExperiment(dir), '--workers', '0']), /^replaylab: --workers 0: must be a whole number >= 1/);
    // The reference folder exists: without --resume it is in use; with a changed experiment it cannot be resumed.
    const file = writeExperiment(reference.dir);
    oneLine(replaylab(['grid', file, '--out', reference.out]), /already holds results — pass --resume to continue that run, or --out another folder/);
    writeExperiment(reference.dir, 50, { top: 5 });
    oneLine(replaylab(['grid', file, '--out', reference.out, '--resume']), /cannot resume .*: the experiment changed since the run started/);
  });
});
