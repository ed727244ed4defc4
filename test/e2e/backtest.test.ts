import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { STRATEGIES } from '../../strategies/index.js';
import { describe, expect, it } from 'vitest';
import { replaylab, SP500 } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'replaylab-e2e-'));
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('replaylab backtest (real process)', () => {
  it('--json: sma-cross 10/30 on the bundled S&P 500 file matches the cross-checked figures', () => {
    const run = replaylab(['backtest', '--strategy', 'sma-cross', '--data', SP500, '--param', 'fast=10', '--param', 'slow=30', '--json']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout);
    expect(doc.version).toBe(1);
    expect(doc.metrics.tradesClosed).toBe(87);
    expect(doc.metrics.tradesOpen).toBe(1);
    expect(relative(doc.metrics.finalEquity, 164_421.015164)).toBeLessThan(1e-9);
    expect(doc.metrics.maxDrawdownPct.toFixed(2)).toBe('29.39');
    expect(doc.metrics.sharpe.toFixed(4)).toBe('0.2829');
    expect(doc.trades).toHaveLength(88);
    expect(doc.trades[0]).toMatchObject({ side: 'long', qty: 68, entryTime: '2000-03-17T00:00:00.000Z', exitTime: '2000-04-19T00:00:00.000Z', fees: 0, open: false });
    expect(doc.trades[87]).toMatchObject({ open: true, exitTime: null });
    expect(doc.digest).toMatch(/^[0-9a-f]{64}$/);
    // Same inputs, same digest: a second process agrees.
    const again = JSON.parse(replaylab(['backtest', '--strategy', 'sma-cross', '--data', SP500, '--json']).stdout);
    expect(again.digest).toBe(doc.digest);
  });

  it('--commission-rate 0.001: net and gross figures side by side', () => {
    const doc = JSON.parse(replaylab(['backtest', '-s', 'sma-cross', '-d', SP500, '--commission-rate', '0.001', '--json']).stdout);
    expect(relative(doc.metrics.finalEquity, 137_507.008197)).toBeLessThan(1e-9);
    expect(doc.metrics.maxDrawdownPct.toFixed(2)).toBe('31.21');
    expect(doc.metrics.sharpe.toFixed(4)).toBe('0.2007');
    expect(doc.trades[1].qty).toBe(66);
    // Gross adds the fees back: gross final − net final = fees paid.
    expect(doc.grossMetrics.finalEquity - doc.metrics.finalEquity).toBeCloseTo(doc.metrics.feesPaid, 6);
    expect(doc.costDrag.feesPaid).toBe(doc.metrics.feesPaid);
    expect(doc.grossMetrics.tradesClosed).toBe(87);
  });

  it('human output: metrics table, last trades and digest', () => {
    const run = replaylab(['backtest', '--strategy', 'sma-cross', '--data', SP500]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Final equity\s+164,421\.02\s+164,421\.02/);
    expect(run.stdout).toMatch(/Trades closed \/ open\s+87 \/ 1/);
    expect(run.stdout).toContain('Last 10 of 88 trades:');
    expect(run.stdout).toMatch(/digest {4}[0-9a-f]{64}/);
  });

  it('a run spec file, with --out writing the run folder', () => {
    const dir = tmp();
    const spec = join(dir, 'run.json');
    writeFileSync(spec, JSON.stringify({ data: { file: SP500, symbol: 'SPX', from: '2010-01-01', to: '2014-12-31' }, strategy: 'channel-breakout', params: { lookback: 20 }, capital: 50000, costs: { commissionRate: 0.0005, slippageBps: 2 } }));
    const out = join(dir, 'run');
    const run = replaylab(['backtest', spec, '--out', out, '--json']);
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.data[0]).toMatchObject({ symbol: 'SPX', from: '2010-01-04T00:00:00.000Z', to: '2014-12-31T00:00:00.000Z', rowsInFile: 5105 });
    expect(doc.config.initialCapital).toBe(50000);
    for (const f of ['config.json', 'metrics.json', 'trades.csv', 'equity.arrow', 'events.jsonl']) expect(existsSync(join(out, f))).toBe(true);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.metrics).toEqual(doc.metrics);
    expect(metrics.digest).toBe(doc.digest);
    const trades = readFileSync(join(out, 'trades.csv'), 'utf8').trim().split('\n');
    expect(trades).toHaveLength(1 + doc.trades.length);
    const equity = tableFromIPC(readFileSync(join(out, 'equity.arrow')));
    expect(equity.numRows).toBe(doc.data[0].bars);
    expect(equity.schema.fields.map((f) => f.name)).toEqual(['time', 'equity', 'grossEquity', 'exposure']);
    expect(Number(equity.getChild('equity')!.get(equity.numRows - 1))).toBeCloseTo(doc.metrics.finalEquity, 6);
    const events = readFileSync(join(out, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.kind === 'OrderFilled')).toHaveLength(doc.trades.filter((t: { open: boolean }) => !t.open).length * 2 + doc.trades.filter((t: { open: boolean }) => t.open).length);
    // Flags override the spec.
    const overridden = JSON.parse(replaylab(['backtest', spec, '--capital', '70000', '--json']).stdout);
    expect(overridden.config.initialCapital).toBe(70000);
  });

  it('several data files merge onto one timeline (multi-symbol run spec)', () => {
    const dir = tmp();
    const synth = join(dir, 'syn.csv');
    expect(replaylab(['data', 'synth', '--bars', '300', '--seed', '3', '--start', '2019-06-03', '--symbol', 'SYN', '--out', synth]).status).toBe(0);
    const spec = join(dir, 'multi.json');
    writeFileSync(spec, JSON.stringify({ data: [{ file: SP500, symbol: 'SPX', from: '2019-01-01' }, { file: 'syn.csv', symbol: 'SYN' }], strategy: 'sma-cross' }));
    const out = join(dir, 'run');
    const run = replaylab(['backtest', spec, '--json', '--out', out]);
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.symbols).toEqual(['SPX', 'SYN']);
    expect(doc.data.map((d: { symbol: string; bars: number }) => [d.symbol, d.bars])).toEqual([['SPX', 326], ['SYN', 300]]);
    // One step per distinct timestamp of the union: SPX trading days 2019-01-02 … 2020-04-17 and
    // SYN weekdays from 2019-06-03 (holidays make the union larger than either series).
    const equity = tableFromIPC(readFileSync(join(out, 'equity.arrow')));
    const spx = readFileSync(SP500, 'utf8').split('\n').slice(1).map((l) => l.slice(0, 10)).filter((d) => d >= '2019-01-01');
    const syn = readFileSync(synth, 'utf8').trim().split('\n').slice(1).map((l) => l.slice(0, 10));
    expect(equity.numRows).toBe(new Set([...spx, ...syn]).size);
    // sma-cross trades its primary symbol only.
    expect(new Set(doc.trades.map((t: { symbol: string }) => t.symbol))).toEqual(new Set(['SPX']));
  });

  it('replaylab demo runs the bundled example', () => {
    const run = replaylab(['demo']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Final equity\s+137,507\.01\s+155,955\.43/);
    expect(run.stdout).toContain('sma-cross fast=10 slow=30');
  });

  it('replaylab strategies --json lists every bundled strategy with its schema', () => {
    const list = JSON.parse(replaylab(['strategies', '--json']).stdout);
    expect(list.map((s: { name: string }) => s.name)).toEqual([...STRATEGIES.keys()]);
    expect(list.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['sma-cross', 'channel-breakout', 'signal-filter']));
    expect(list[0].params.fast).toMatchObject({ type: 'int', default: 10, min: 1 });
    expect(replaylab(['strategies']).stdout).toContain('sma-cross —');
  });
});

describe('replaylab backtest: user mistakes get one line and exit 2, bad data exit 1', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown strategy', ['backtest', '-s', 'nope', '-d', SP500], new RegExp(`^replaylab: --strategy: unknown strategy "nope" — available: ${[...STRATEGIES.keys()].join(', ')}\\n$`)],
    ['unknown parameter', ['backtest', '-s', 'sma-cross', '-d', SP500, '-p', 'speed=3'], /^replaylab: --param speed: unknown parameter — known parameters: fast, slow, longOnly\n$/],
    ['bad parameter value', ['backtest', '-s', 'sma-cross', '-d', SP500, '-p', 'fast=abc'], /^replaylab: --param fast: must be a whole number, was "abc"\n$/],
    ['parameter constraint', ['backtest', '-s', 'sma-cross', '-d', SP500, '-p', 'fast=50'], /^replaylab: --param fast: must be < slow \(30\), was 50\n$/],
    ['missing data file', ['backtest', '-s', 'sma-cross', '-d', 'nowhere.csv'], /^replaylab: data file nowhere.csv does not exist — check the path\n$/],
    ['missing strategy flag', ['backtest', '-d', SP500], /^replaylab: missing --strategy NAME/],
    ['bad capital', ['backtest', '-s', 'sma-cross', '-d', SP500, '--capital', '-5'], /^replaylab: --capital -5: must be a number > 0\n$/],
    ['bad --param syntax', ['backtest', '-s', 'sma-cross', '-d', SP500, '-p', 'fast'], /^replaylab: --param fast: expected NAME=VALUE/],
    ['missing spec file', ['backtest', 'nowhere.json'], /^replaylab: run spec nowhere.json does not exist — check the path\n$/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const run = replaylab(args);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).toBe('');
    });
  }

  it('a spec with a bad field names the file and JSON path', () => {
    const dir = tmp();
    const spec = join(dir, 'bad.json');
    writeFileSync(spec, JSON.stringify({ data: SP500, strategy: 'sma-cross', costs: { commissionRate: 'x' } }));
    const run = replaylab(['backtest', spec]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`replaylab: ${spec}: costs.commissionRate: must be a number >= 0, was "x"\n`);
    writeFileSync(spec, '{ "data": ');
    expect(replaylab(['backtest', spec]).stderr).toMatch(/bad\.json: not valid JSON .* — fix the syntax/);
    writeFileSync(spec, JSON.stringify({ data: SP500, strategy: 'sma-cross', colour: 'red' }));
    expect(replaylab(['backtest', spec]).stderr).toMatch(/bad\.json: colour: unknown field — allowed: description, data, strategy, params/);
  });

  it('bad data: exit 1 with file, line, reason and fix; --repair drop reports what it changed', () => {
    const dir = tmp();
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'date,open,high,low,close\n2020-01-02,10,11,9,10\n2020-01-03,10,10.5,11,10\n2020-01-06,10,11,9,10.5\n2020-01-07,10.5,11,10,10.8\n');
    const run = replaylab(['backtest', '-s', 'sma-cross', '-d', csv, '-p', 'fast=1', '-p', 'slow=2']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^replaylab: .*bad\.csv:3: high 10\.5 < low 11 — .*--repair drop/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const repaired = replaylab(['backtest', '-s', 'sma-cross', '-d', csv, '-p', 'fast=1', '-p', 'slow=2', '--repair', 'drop', '--json']);
    expect(repaired.status).toBe(0);
    const doc = JSON.parse(repaired.stdout);
    expect(doc.data[0].bars).toBe(3);
    expect(doc.data[0].repairs.dropped).toBe(1);
    expect(doc.data[0].repairs.actions[0]).toMatchObject({ line: 3, action: 'dropped' });
  });
});
