import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeBarSeries, sliceBars, type BarSeries } from '../../engine/bars.js';
import { loadBars, writeBars } from '../../data/load.js';
import { intradayBars } from '../../strategies/intraday-synth.js';
import { signalBars } from '../../strategies/signal-data.js';
import { STRATEGIES } from '../../strategies/index.js';
import { CLI, replaylab, ROOT, SP500 } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'replaylab-paper-'));
const lastLine = (text: string) => text.trim().split('\n').pop() ?? '';
const writeJson = (path: string, json: unknown) => writeFileSync(path, JSON.stringify(json));
const sp500 = async () => (await loadBars(SP500, { symbol: 'SPX' })).bars;

/** Runs `replaylab ARGS…` as a child process without blocking, so a test can signal it and time it. */
function startReplaylab(args: readonly string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC', FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const started = performance.now();
  const done = new Promise<{ status: number | null; stdout: string; stderr: string; wallMs: number }>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr, wallMs: performance.now() - started })),
  );
  const stderrMatches = async (pattern: RegExp): Promise<void> => {
    while (!pattern.test(stderr)) await new Promise((r) => setTimeout(r, 20));
  };
  return { child, done, stderrMatches };
}

/**
 * One parity case: the full bars (one series per symbol), how many of them are the paper config's
 * history, the warm-up, and the run-spec fields (strategy, params, capital, costs, risk …).
 */
interface ParityCase {
  readonly series: readonly BarSeries[];
  readonly history: number;
  readonly warmupBars: number | undefined;
  readonly spec: Record<string, unknown>;
}

const CASES: Record<string, () => Promise<ParityCase>> = {
  'sma-cross': async () => ({ series: [await sp500()], history: 2000, warmupBars: 500, spec: { strategy: 'sma-cross', params: { fast: 10, slow: 30 } } }),
  'channel-breakout': async () => ({
    series: [await sp500()],
    history: 3000,
    warmupBars: undefined,
    spec: { strategy: 'channel-breakout', params: { lookback: 20 }, capital: 50_000, costs: { commissionRate: 0.0005, slippageBps: 2 } },
  }),
  'signal-filter': async () => ({
    series: [signalBars({ bars: 3000, seed: 7, accuracy: 0.6, symbol: 'SIG' })],
    history: 1500,
    warmupBars: 400,
    spec: { strategy: 'signal-filter', params: { minConfidence: 0.7, minEdgeBps: 5, costBps: 2, riskPct: 0.1, stopPct: 5 }, costs: { commissionRate: 0.0002, slippageBps: 1 } },
  }),
  'swing-break': async () => ({
    series: intradayBars({ symbols: ['CE1', 'CE2', 'PE1'], sessions: 5, seed: 7, startPrices: [180, 220, 200], minuteVol: 0.006 }),
    history: 700,
    warmupBars: 650,
    spec: {
      strategy: 'swing-break',
      params: { groups: 'CE1:CE,CE2:CE,PE1:PE' },
      capital: 1_000_000,
      risk: { maxOpenPositions: 2, maxPositionsPer: { group: 1 }, groups: { CE1: 'CE', CE2: 'CE', PE1: 'PE' }, dailyLossR: 5, dailyProfitR: 5, riskPerTrade: 1000 },
    },
  }),
};

describe('replaylab paper: the same trades and digest as replaylab backtest over the same bars (real processes)', () => {
  it('covers every bundled strategy', () => {
    expect(Object.keys(CASES).sort()).toEqual([...STRATEGIES.keys()].sort());
  });

  for (const name of Object.keys(CASES)) {
    it(name, async () => {
      const c = await CASES[name]!();
      const dir = tmp();
      const files = async (tag: string, cut: (s: BarSeries) => BarSeries) =>
        Promise.all(c.series.map(async (s) => {
          const file = join(dir, `${s.symbol}-${tag}.csv`);
          await writeBars(file, cut(s));
          return { file, symbol: s.symbol };
        }));
      const full = await files('full', (s) => s);
      const history = await files('history', (s) => sliceBars(s, 0, c.history));
      // The bars a paper run steps: its warm-up (the last bars of the history), then the live ones.
      const start = c.warmupBars === undefined ? 0 : c.history - c.warmupBars;
      const stepped = await files('stepped', (s) => sliceBars(s, start, s.length));

      const config = join(dir, 'paper.json');
      writeJson(config, {
        kind: 'replaylab-paper',
        version: 1,
        name: `${name}-e2e`,
        ...(c.warmupBars === undefined ? {} : { warmup: { bars: c.warmupBars } }),
        provenance: { note: 'e2e' },
        data: history,
        ...c.spec,
      });
      const feed = `replay:${full.map((f) => f.file).join(',')}?speed=max&symbols=${full.map((f) => f.symbol).join(',')}`;
      const paper = replaylab(['paper', config, '--feed', feed, '--json', '--quiet']);
      expect(paper.stderr).toBe('');
      expect(paper.status).toBe(0);
      const doc = JSON.parse(lastLine(paper.stdout));

      const spec = join(dir, 'backtest.json');
      writeJson(spec, { data: stepped, ...c.spec });
      const backtest = replaylab(['backtest', spec, '--json']);
      expect(backtest.status).toBe(0);
      const expected = JSON.parse(backtest.stdout);

      expect(doc.trades.length).toBeGreaterThan(2);
      expect(doc.trades).toEqual(expected.trades);
      expect(doc.metrics).toEqual(expected.metrics);
      expect(doc.digest).toBe(expected.digest);
      const bars = (n: (s: BarSeries) => number) => c.series.reduce((sum, s) => sum + n(s), 0);
      expect(doc).toMatchObject({
        version: 1,
        name: `${name}-e2e`,
        feed,
        warmupBars: bars(() => c.warmupBars ?? c.history),
        liveBars: bars((s) => s.length - c.history),
        rejectedMessages: 0,
        skippedMessages: bars(() => c.history),
        stop: 'feed-ended',
      });
      expect(doc.symbols).toEqual(c.series.map((s) => s.symbol));

      // `backtest PAPER.json` runs the config's run spec over its data (the history) as an ordinary backtest.
      const historySpec = join(dir, 'history.json');
      writeJson(historySpec, { data: history, ...c.spec });
      const ofConfig = JSON.parse(replaylab(['backtest', config, '--json']).stdout);
      expect(ofConfig.digest).toBe(JSON.parse(replaylab(['backtest', historySpec, '--json']).stdout).digest);
    });
  }
});

describe('replaylab paper: pacing, stopping and mistakes', () => {
  /** 11 one-minute bars; the config's history is the first one, so 10 bars are live (9 gaps). */
  const minuteFiles = async () => {
    const dir = tmp();
    const n = 11;
    const t0 = Date.UTC(2024, 0, 2, 9, 16);
    const price = (i: number) => 100 + (i % 3);
    const series = makeBarSeries({
      symbol: 'M',
      timeMs: Float64Array.from({ length: n }, (_, i) => t0 + i * 60_000),
      open: Float64Array.from({ length: n }, (_, i) => price(i)),
      high: Float64Array.from({ length: n }, (_, i) => price(i) + 0.5),
      low: Float64Array.from({ length: n }, (_, i) => price(i) - 0.5),
      close: Float64Array.from({ length: n }, (_, i) => price(i)),
    });
    const full = join(dir, 'm.csv');
    await writeBars(full, series);
    await writeBars(join(dir, 'history.csv'), sliceBars(series, 0, 1));
    const config = join(dir, 'paper.json');
    writeJson(config, { kind: 'replaylab-paper', version: 1, name: 'minutes', data: { file: 'history.csv', symbol: 'M' }, strategy: 'sma-cross', params: { fast: 2, slow: 3 } });
    return { dir, full, config };
  };

  it('speed=600 plays 1-minute bars 100 ms apart: 10 live bars take about 0.9 s more than speed=max', async () => {
    const { full, config } = await minuteFiles();
    const fast = await startReplaylab(['paper', config, '--feed', `replay:${full}?speed=max`, '--json', '--quiet']).done;
    const paced = await startReplaylab(['paper', config, '--feed', `replay:${full}?speed=600`, '--json', '--quiet']).done;
    expect([fast.status, paced.status]).toEqual([0, 0]);
    expect(JSON.parse(lastLine(paced.stdout)).liveBars).toBe(10);
    expect(JSON.parse(lastLine(paced.stdout)).digest).toBe(JSON.parse(lastLine(fast.stdout)).digest);
    const extraMs = paced.wallMs - fast.wallMs;
    expect(extraMs).toBeGreaterThan(600);
    expect(extraMs).toBeLessThan(2500);
  });

  it('SIGINT stops reading the feed, prints the JSON summary of the bars taken, exits 130', async () => {
    const dir = tmp();
    const bars = await sp500();
    await writeBars(join(dir, 'history.csv'), sliceBars(bars, 0, 2000));
    const config = join(dir, 'paper.json');
    writeJson(config, { kind: 'replaylab-paper', version: 1, name: 'spx', data: { file: 'history.csv', symbol: 'SPX' }, strategy: 'sma-cross' });
    const run = startReplaylab(['paper', config, '--feed', `replay:${SP500}?rate=50&symbols=SPX`, '--json']);
    await run.stderrMatches(/live bars, last/);
    run.child.kill('SIGINT');
    const { status, stdout, stderr } = await run.done;
    expect(status).toBe(130);
    expect(stderr).toMatch(/SIGINT: stopping the feed and finishing the run/);
    expect(stderr).toMatch(/replaylab: stopped: \d+ live bars taken/);
    const doc = JSON.parse(lastLine(stdout));
    expect(doc.stop).toBe('interrupted');
    expect(doc.liveBars).toBeGreaterThan(0);
    expect(doc.liveBars).toBeLessThan(bars.length - 2000);
    // Still the backtest of the bars it took.
    const lastDay = new Date(bars.timeMs[2000 + doc.liveBars - 1]!).toISOString().slice(0, 10);
    const expected = JSON.parse(replaylab(['backtest', '--strategy', 'sma-cross', '--data', SP500, '--symbol', 'SPX', '--to', lastDay, '--json']).stdout);
    expect(doc.digest).toBe(expected.digest);
  });

  it('SIGTERM does the same with the human summary', async () => {
    const { full, config } = await minuteFiles();
    const run = startReplaylab(['paper', config, '--feed', `replay:${full}?rate=2`]);
    await run.stderrMatches(/warm-up 1 bars replayed/);
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill('SIGTERM');
    const { status, stdout, stderr } = await run.done;
    expect(status).toBe(130);
    expect(stderr).toMatch(/SIGTERM: stopping/);
    expect(stdout).toMatch(/^paper {5}minutes on replay:.*\(stopped\)$/m);
    expect(stdout).toMatch(/digest {4}[0-9a-f]{64}/);
  });

  it('usage mistakes exit 2 naming the flag or field; bad data in the feed exits 1', async () => {
    const { dir, full, config } = await minuteFiles();
    const unknown = replaylab(['paper', config, '--feed', 'kafka:bars']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('replaylab: --feed: unknown feed "kafka:bars" — use replay:FILE?speed=max|N or replay:FILE?rate=N\n');
    expect(replaylab(['paper', config, '--feed', `replay:${full}?speed=fast`]).stderr).toMatch(/--feed: speed "fast" must be a number > 0/);
    expect(replaylab(['paper', config]).status).toBe(2);
    const missing = replaylab(['paper', config, '--feed', 'replay:nope.csv']);
    expect([missing.status, missing.stderr]).toEqual([2, 'replaylab: --feed: file nope.csv does not exist — check the path\n']);
    const otherSymbol = replaylab(['paper', config, '--feed', `replay:${full}?symbols=X`]);
    expect(otherSymbol.status).toBe(2);
    expect(otherSymbol.stderr).toMatch(/--feed: symbols X are not in the paper config \(it trades M\)/);

    const v2 = join(dir, 'v2.json');
    writeJson(v2, { kind: 'replaylab-paper', version: 2, data: 'history.csv', strategy: 'sma-cross' });
    const badVersion = replaylab(['paper', v2, '--feed', `replay:${full}`]);
    expect([badVersion.status, badVersion.stderr]).toEqual([2, `replaylab: ${v2}: version: must be 1, was 2 — this replaylab reads version 1\n`]);
    expect(replaylab(['backtest', v2]).stderr).toBe(`replaylab: ${v2}: version: must be 1, was 2 — this replaylab reads version 1\n`);
    const badCapital = join(dir, 'capital.json');
    writeJson(badCapital, { kind: 'replaylab-paper', version: 1, data: 'history.csv', strategy: 'sma-cross', capital: -5 });
    expect(replaylab(['paper', badCapital, '--feed', `replay:${full}`]).stderr).toBe(`replaylab: ${badCapital}: capital: must be a number > 0, was -5\n`);
    const plain = join(dir, 'plain.json');
    writeJson(plain, { data: 'history.csv', strategy: 'sma-cross' });
    expect(replaylab(['paper', plain, '--feed', `replay:${full}`]).stderr).toMatch(/plain\.json: kind: must be "replaylab-paper", missing/);

    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'time,open,high,low,close\n2024-01-02T09:17:00Z,100,99,98,100\n');
    const bad = replaylab(['paper', config, '--feed', `replay:${broken}?symbols=M`]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/broken\.csv:2: .*— fix the row or pass --repair drop/);
  });
});
