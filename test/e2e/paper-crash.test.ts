import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sliceBars, type BarSeries } from '../../engine/bars.js';
import { Rng } from '../../engine/rng.js';
import { loadBars, writeBars } from '../../data/load.js';
import { CLI, replaylab, ROOT, SP500 } from './cli.js';

/**
 * Crash safety of `replaylab paper --state DIR`, with real processes: a paced run on the bundled
 * S&P 500 file is SIGKILLed at seeded random times and restarted on the same state until the feed
 * ends; the result must be the uninterrupted run's, bar for bar and order for order.
 */

const HISTORY = 2000;
const WARMUP = 500;
/** Paced feed: ~3,100 live bars at 1,000 bars/s, a run of about 3 s. */
const RATE = 1000;

const tmp = () => mkdtempSync(join(tmpdir(), 'replaylab-crash-'));
const lastLine = (text: string) => text.trim().split('\n').pop() ?? '';
const writeJson = (path: string, json: unknown) => writeFileSync(path, JSON.stringify(json));
const feed = (pace: string) => `replay:${SP500}?${pace}&symbols=SPX`;

interface Run {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `replaylab ARGS…`; with `killAfterMs`, SIGKILLs it that long after the spawn. */
function run(args: readonly string[], kill?: { readonly afterMs: number; readonly signal: NodeJS.Signals }): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC', FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = kill === undefined ? undefined : setTimeout(() => child.kill(kill.signal), kill.afterMs);
  return new Promise((resolve) =>
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    }),
  );
}

/** What a state holds, read with a plain SQLite client as a user would. */
function inspect(stateDir: string) {
  const db = new Database(join(stateDir, 'paper.sqlite'), { readonly: true });
  const all = (sql: string) => db.prepare(sql).all();
  const one = (sql: string) => db.prepare(sql).pluck().get();
  const state = {
    barTimes: db.prepare('SELECT time_ms FROM bars ORDER BY seq').pluck().all() as number[],
    duplicateBars: all('SELECT symbol, time_ms FROM bars GROUP BY symbol, time_ms HAVING COUNT(*) > 1'),
    acceptedTwice: all("SELECT order_id FROM events WHERE kind = 'OrderAccepted' GROUP BY order_id HAVING COUNT(*) > 1"),
    filledTwice: all("SELECT order_id FROM events WHERE kind = 'OrderFilled' GROUP BY order_id HAVING COUNT(*) > 1"),
    orders: one('SELECT COUNT(*) FROM orders') as number,
    acceptedOrders: one("SELECT COUNT(DISTINCT order_id) FROM events WHERE kind = 'OrderAccepted'") as number,
    events: one('SELECT COUNT(*) FROM events') as number,
    eventSeqGap: one('SELECT MAX(seq) + 1 - COUNT(*) FROM events') as number | null,
    steps: one('SELECT COUNT(*) FROM steps') as number,
    stepGap: one('SELECT MAX(step) + 1 - COUNT(*) FROM steps') as number | null,
    fills: all('SELECT order_id, side, qty, price, step FROM fills ORDER BY seq'),
    days: one('SELECT COUNT(*) FROM daily_summary') as number,
    risk: db.prepare('SELECT step, halted, daily_r, cumulative_r FROM risk').get(),
    positions: all('SELECT symbol, qty, avg_price FROM positions'),
  };
  db.close();
  return state;
}

describe('replaylab paper --state: killed at random points and restarted, the run ends exactly as an uninterrupted one', () => {
  const dir = tmp();
  const config = join(dir, 'paper.json');
  let bars: BarSeries;
  let liveTimes: number[];
  let reference: { digest: string; trades: unknown; metrics: unknown; liveBars: number };
  let referenceState: ReturnType<typeof inspect>;
  const paper = (state: string, pace: string, extra: readonly string[] = []) => ['paper', config, '--feed', feed(pace), '--state', state, '--json', '--quiet', ...extra];

  beforeAll(async () => {
    bars = (await loadBars(SP500, { symbol: 'SPX' })).bars;
    liveTimes = Array.from(bars.timeMs.subarray(HISTORY));
    await writeBars(join(dir, 'history.csv'), sliceBars(bars, 0, HISTORY));
    await writeBars(join(dir, 'stepped.csv'), sliceBars(bars, HISTORY - WARMUP, bars.length));
    writeJson(config, { kind: 'replaylab-paper', version: 1, name: 'crash', warmup: { bars: WARMUP }, data: { file: 'history.csv', symbol: 'SPX' }, strategy: 'sma-cross', params: { fast: 10, slow: 30 } });

    // Uninterrupted, without a state and with one: the same run.
    const plain = await run(['paper', config, '--feed', feed('speed=max'), '--json', '--quiet']);
    expect([plain.status, plain.stderr]).toEqual([0, '']);
    reference = JSON.parse(lastLine(plain.stdout));
    const stateDir = join(dir, 'reference-state');
    const stateful = await run(paper(stateDir, 'speed=max'));
    expect([stateful.status, stateful.stderr]).toEqual([0, '']);
    const doc = JSON.parse(lastLine(stateful.stdout));
    expect(doc.digest).toBe(reference.digest);
    expect(doc.state).toEqual({ dir: stateDir, file: join(stateDir, 'paper.sqlite'), resumedBars: 0 });
    referenceState = inspect(stateDir);

    // And backtest over the same bars (warm-up + live).
    writeJson(join(dir, 'backtest.json'), { data: { file: 'stepped.csv', symbol: 'SPX' }, strategy: 'sma-cross', params: { fast: 10, slow: 30 } });
    const backtest = replaylab(['backtest', join(dir, 'backtest.json'), '--json']);
    expect(backtest.status).toBe(0);
    expect(JSON.parse(backtest.stdout).digest).toBe(reference.digest);
  }, 60_000);

  it('the uninterrupted state: every live bar once, every order accepted and filled once', () => {
    expect(reference.liveBars).toBe(bars.length - HISTORY);
    expect(referenceState.barTimes).toEqual(liveTimes);
    expect(referenceState.acceptedOrders).toBeGreaterThan(20);
    expect(referenceState).toMatchObject({ duplicateBars: [], acceptedTwice: [], filledTwice: [], eventSeqGap: 0, stepGap: 0, steps: WARMUP + liveTimes.length });
    expect(referenceState.orders).toBe(referenceState.acceptedOrders);
  });

  const killed: number[] = [];
  for (const seed of [11, 23, 37, 41]) {
    it(`seed ${seed}: two SIGKILLs at random times, then a restart at speed=max to the end`, async () => {
      const rng = new Rng(seed);
      const stateDir = join(dir, `state-${seed}`);
      for (let k = 0; k < 2; k++) {
        // From before the state exists (process start-up) to past the end of a paced run.
        const afterMs = 150 + Math.floor(rng.next() * 3300);
        const r = await run(paper(stateDir, `rate=${RATE}`), { afterMs, signal: 'SIGKILL' });
        if (r.signal === 'SIGKILL') killed.push(inspectBars(stateDir));
        else expect(r.status).toBe(0); // the kill came after the end
      }
      const last = await run(paper(stateDir, 'speed=max'));
      expect([last.status, last.stderr]).toEqual([0, '']);
      const doc = JSON.parse(lastLine(last.stdout));
      expect(doc.digest).toBe(reference.digest);
      expect(doc.trades).toEqual(reference.trades);
      expect(doc.metrics).toEqual(reference.metrics);
      expect(doc.liveBars).toBe(reference.liveBars);
      expect(doc.rejectedMessages).toBe(0);

      const state = inspect(stateDir);
      expect(state.barTimes).toEqual(liveTimes);
      expect(state).toMatchObject({ duplicateBars: [], acceptedTwice: [], filledTwice: [], eventSeqGap: 0, stepGap: 0 });
      // The derived tables are the uninterrupted run's, row for row.
      expect(state).toEqual(referenceState);
    }, 60_000);
  }

  it('the kills landed inside the live bars (not only before or after the run)', () => {
    expect(killed.filter((n) => n > 0 && n < liveTimes.length).length).toBeGreaterThanOrEqual(3);
  });

  it('SIGTERM stops cleanly (exit 130, state closed); the restart goes on to the same end', async () => {
    const stateDir = join(dir, 'state-sigterm');
    const stopped = await run(paper(stateDir, `rate=${RATE}`), { afterMs: 1200, signal: 'SIGTERM' });
    expect(stopped.status).toBe(130);
    const partial = JSON.parse(lastLine(stopped.stdout));
    expect(partial.stop).toBe('interrupted');
    expect(inspectBars(stateDir)).toBe(partial.liveBars);
    const resumed = await run(paper(stateDir, 'speed=max'));
    expect(resumed.status).toBe(0);
    const doc = JSON.parse(lastLine(resumed.stdout));
    expect(doc.state.resumedBars).toBe(partial.liveBars);
    expect(doc.digest).toBe(reference.digest);
    expect(inspect(stateDir)).toEqual(referenceState);
  }, 60_000);

  it('a changed config (or changed history) on an existing state exits 2 with the reason; the state is untouched', async () => {
    const stateDir = join(dir, 'reference-state');
    const other = join(dir, 'other.json');
    writeJson(other, { kind: 'replaylab-paper', version: 1, name: 'crash', warmup: { bars: WARMUP }, data: { file: 'history.csv', symbol: 'SPX' }, strategy: 'sma-cross', params: { fast: 12, slow: 30 } });
    const changed = await run(['paper', other, '--feed', feed('speed=max'), '--state', stateDir, '--json']);
    expect(changed.status).toBe(2);
    expect(changed.stderr).toMatch(
      new RegExp(`^replaylab: --state ${stateDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} belongs to another config: its digest is [0-9a-f]{12}…, this config's [0-9a-f]{12}… \\(changed: params\\.fast\\) — run it with the config it was made with, or give a new --state directory\\n$`),
    );
    expect(changed.stdout).toBe('');

    // Same config text, but its data file changed under it (one more bar): another warm-up.
    const sub = join(dir, 'changed-data');
    mkdirSync(sub);
    await writeBars(join(sub, 'history.csv'), sliceBars(bars, 0, HISTORY));
    const subConfig = join(sub, 'paper.json');
    writeJson(subConfig, { kind: 'replaylab-paper', version: 1, name: 'crash', warmup: { bars: WARMUP }, data: { file: 'history.csv', symbol: 'SPX' }, strategy: 'sma-cross', params: { fast: 10, slow: 30 } });
    const subState = join(sub, 'state');
    expect((await run(['paper', subConfig, '--feed', feed('speed=max'), '--state', subState, '--quiet'])).status).toBe(0);
    await writeBars(join(sub, 'history.csv'), sliceBars(bars, 0, HISTORY + 1));
    const newData = await run(['paper', subConfig, '--feed', feed('speed=max'), '--state', subState, '--quiet']);
    expect(newData.status).toBe(2);
    expect(newData.stderr).toMatch(/--state .* was made from other warm-up bars \(500 then, 500 now\): the config's data changed since — run it with the config it was made with, or give a new --state directory/);
    expect(inspect(stateDir)).toEqual(referenceState);
  }, 60_000);
});

function inspectBars(stateDir: string): number {
  try {
    const db = new Database(join(stateDir, 'paper.sqlite'), { readonly: true });
    const n = db.prepare('SELECT COUNT(*) FROM bars').pluck().get() as number;
    db.close();
    return n;
  } catch {
    return 0; // killed before the state was created
  }
}
