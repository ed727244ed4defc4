import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { replaylab, SP500, type CliRun } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'replaylab-e2e-wf-'));
const EXAMPLE = 'experiments/sma-sp500-walk-forward.json';

/** A small walk-forward experiment file (sma-cross 2 × 2 on 2005 … 2012) with `extra` fields merged in. */
function writeExperiment(dir: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'wf.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'wf',
      data: { file: SP500, symbol: 'SPX', from: '2005-01-01', to: '2012-12-31' },
      strategy: 'sma-cross',
      costs: { commissionRate: 0.001 },
      sweep: { fast: [5, 10], slow: [20, 40] },
      walkForward: { mode: 'rolling', train: '2y', test: '1y' },
      ...extra,
    }),
  );
  return file;
}

describe('replaylab walk-forward (real processes)', () => {
  let json: CliRun;

  beforeAll(() => {
    json = replaylab(['walk-forward', EXAMPLE, '--json', '--quiet', '--workers', '2']);
  });

  it('--json prints one document: windows with the chosen params, IS and OOS metrics, stitched totals', () => {
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({ version: 1, experiment: 'sma-sp500-walk-forward', strategy: 'sma-cross', cells: 27, testStart: 'cold', walkForward: { mode: 'rolling', train: '3y', test: '1y', step: '1y' } });
    expect(doc.windows).toHaveLength(18);
    expect(doc.windows[0].test.from).toBe('2003-01-03T00:00:00.000Z');
    expect(doc.windows.at(-1)).toMatchObject({ partial: true, test: { to: '2020-04-17T00:00:00.000Z' } });
    for (const w of doc.windows) {
      expect(w.train.end).toBe(w.test.start);
      expect(Object.keys(w.chosen.params)).toEqual(['fast', 'slow']);
      expect(w.chosen.params.fast).toBeLessThan(w.chosen.params.slow);
      expect(typeof w.inSample.sharpe).toBe('number');
      expect(typeof w.outOfSample.sharpe).toBe('number');
    }
    for (let k = 1; k < doc.windows.length; k++) {
      expect(doc.windows[k].test.start).toBe(doc.windows[k - 1].test.end);
      expect(doc.windows[k].startEquity).toBe(doc.windows[k - 1].finalEquity);
    }
    expect(doc.outOfSample.finalEquity).toBe(doc.windows.at(-1).finalEquity);
    expect(doc.outOfSample.metrics.bars).toBe(doc.windows.reduce((n: number, w: { test: { bars: number } }) => n + w.test.bars, 0));
    expect(doc.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic: the same document whatever --workers', () => {
    const one = replaylab(['walk-forward', EXAMPLE, '--json', '--quiet', '--workers', '1']);
    expect(one.status).toBe(0);
    expect(one.stdout).toBe(json.stdout);
  });

  it('prints a table per window and the stitched totals; progress on stderr unless --quiet', () => {
    const dir = tmp();
    const file = writeExperiment(dir);
    const human = replaylab(['walk-forward', file, '--workers', '1']);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^#\s+train\s+test\s+fast\s+slow\s+IS sharpe\s+IS ret %\s+IS dd %\s+OOS sharpe\s+OOS ret %\s+OOS dd %\s+trades\s+WFE$/m);
    expect(human.stdout).toMatch(/^0\s+2005-01-03 … 2006-12-29\s+2007-01-03 … 2008-01-02\s/m);
    expect(human.stdout).toMatch(/^5\s+2010-01-04 … 2011-12-30\s+2012-01-03 … 2012-12-31\*/m);
    expect(human.stdout).toContain('out-of-sample, stitched (2007-01-03 … 2012-12-31');
    expect(human.stdout).toMatch(/WFE \(OOS ÷ IS CAGR\)/);
    expect(human.stderr).toMatch(/24\/24 cells/);
    const quiet = replaylab(['walk-forward', file, '--workers', '1', '--quiet']);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(human.stdout);
  });

  it('--out writes walk-forward.json (the --json document), oos-equity.arrow and oos-trades.csv', () => {
    const dir = tmp();
    const file = writeExperiment(dir);
    const out = join(dir, 'out');
    const run = replaylab(['walk-forward', file, '--out', out, '--json', '--quiet']);
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(JSON.parse(readFileSync(join(out, 'walk-forward.json'), 'utf8'))).toEqual(doc);
    const equity = tableFromIPC(readFileSync(join(out, 'oos-equity.arrow')));
    expect(equity.schema.fields.map((f) => f.name)).toEqual(['time', 'equity', 'window']);
    expect(equity.numRows).toBe(doc.outOfSample.bars);
    expect(equity.getChild('equity')!.get(equity.numRows - 1)).toBe(doc.outOfSample.finalEquity);
    const trades = readFileSync(join(out, 'oos-trades.csv'), 'utf8').trim().split('\n');
    expect(trades[0]).toBe('window,symbol,side,qty,entryTime,exitTime,entryPrice,exitPrice,pnl,grossPnl,fees,slippage,entryTag,exitTag,open');
    const m = doc.outOfSample.metrics;
    expect(trades).toHaveLength(1 + m.tradesClosed + m.tradesOpen);
  });

  it('exit 2 naming walkForward when the experiment has none', () => {
    const dir = tmp();
    const file = writeExperiment(dir, { walkForward: undefined });
    const run = replaylab(['walk-forward', file]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`replaylab: ${file}: walkForward: missing — a walk-forward needs e.g. "walkForward": {"mode": "rolling", "train": "3y", "test": "1y"} in the experiment\n`);
  });

  it('exit 2 for data too short, a step other than test, a bad walkForward field, a bad flag, a missing file', () => {
    const dir = tmp();
    const short = replaylab(['walk-forward', writeExperiment(dir, { walkForward: { mode: 'rolling', train: '10y', test: '1y' } })]);
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/^replaylab: .*wf\.json: walkForward\.train: the data is too short for one window \(test = "1y"\): train = "10y" from 2005-01-03 ends on 2015-01-03, after the last bar, the data has 2013 bars, 2005-01-03 … 2012-12-31 — shorten train or use more data\n$/);
    const step = replaylab(['walk-forward', writeExperiment(dir, { walkForward: { mode: 'anchored', train: '2y', test: '1y', step: '6m' } })]);
    expect(step.status).toBe(2);
    expect(step.stderr).toContain('walkForward.step: must equal walkForward.test ("1y"), was "6m"');
    const mode = replaylab(['walk-forward', writeExperiment(dir, { walkForward: { mode: 'sliding', train: '2y', test: '1y' } })]);
    expect(mode.status).toBe(2);
    expect(mode.stderr).toContain('walkForward.mode: must be "rolling"');
    const workers = replaylab(['walk-forward', EXAMPLE, '--workers', '0']);
    expect(workers.status).toBe(2);
    expect(workers.stderr).toBe('replaylab: --workers 0: must be a whole number >= 1\n');
    const missing = replaylab(['walk-forward', join(dir, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    for (const run of [short, step, mode, workers, missing]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exit 1 for bad data, naming the file and line', () => {
    const dir = tmp();
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'date,open,high,low,close\n2020-01-02,10,11,9,10\n2020-01-03,10,9,11,10\n');
    const run = replaylab(['walk-forward', writeExperiment(dir, { data: { file: csv, symbol: 'X' } })]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/bad\.csv:3: .*high/);
  });

  it('--help shows an example and the exit codes', () => {
    const help = replaylab(['walk-forward', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('replaylab walk-forward experiments/sma-sp500-walk-forward.json');
    expect(help.stdout).toContain('Exit codes');
    expect(existsSync(join(process.cwd(), EXAMPLE))).toBe(true);
  });
});
