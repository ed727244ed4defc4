import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { makeBarSeries, sliceBars, type BarSeries } from '../../engine/bars.js';
import { loadBars, writeBars } from '../../data/load.js';
import { CLI, replaylab, ROOT, SP500 } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'replaylab-paper-ws-'));
const lastLine = (text: string) => text.trim().split('\n').pop() ?? '';
const writeJson = (path: string, json: unknown) => writeFileSync(path, JSON.stringify(json));
const END = JSON.stringify({ type: 'end' });

/** `replaylab ARGS…` as a child process that does not block this one (the test's server runs here). */
function runReplaylab(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC', FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A WebSocket server on 127.0.0.1 (a free port) calling `onConnection(socket, n)` for its n-th connection. */
async function serve(onConnection: (socket: WebSocket, n: number) => void | Promise<void>): Promise<number> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  let n = 0;
  server.on('connection', (socket) => void onConnection(socket, n++));
  await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as AddressInfo).port;
}

/** Sends frames and resolves once the last one was written to the socket. */
const sendAll = (socket: WebSocket, frames: readonly string[]) =>
  new Promise<void>((resolve, reject) => {
    if (frames.length === 0) return resolve();
    frames.forEach((f, i) => socket.send(f, i === frames.length - 1 ? (error) => (error ? reject(error) : resolve()) : undefined));
  });

/** Bar i of a series as the JSON a server sends. */
function barJson(bars: BarSeries, i: number, change: Record<string, unknown> = {}): string {
  const extras: Record<string, number> = {};
  for (const [name, column] of Object.entries(bars.extras)) extras[name] = column[i]!;
  const volume = bars.volume === undefined ? {} : { volume: bars.volume[i]! };
  return JSON.stringify({ symbol: bars.symbol, timeMs: bars.timeMs[i]!, open: bars.open[i]!, high: bars.high[i]!, low: bars.low[i]!, close: bars.close[i]!, ...volume, extras, ...change });
}

/**
 * The S&P sample as SPX; the paper config's history is its first `history` bars (warm-up 500).
 * Returns the config and a function running `backtest --json` over bars [from, to) of the sample.
 */
async function spxSetup(history: number) {
  const dir = tmp();
  const bars = (await loadBars(SP500, { symbol: 'SPX' })).bars;
  await writeBars(join(dir, 'history.csv'), sliceBars(bars, 0, history));
  const spec = { strategy: 'sma-cross', params: { fast: 10, slow: 30 } };
  const config = join(dir, 'paper.json');
  writeJson(config, { kind: 'replaylab-paper', version: 1, name: 'spx-ws', warmup: { bars: 500 }, data: { file: 'history.csv', symbol: 'SPX' }, ...spec });
  const backtest = async (series: BarSeries) => {
    const file = join(dir, 'expected.csv');
    await writeBars(file, series);
    writeJson(join(dir, 'backtest.json'), { data: { file, symbol: 'SPX' }, ...spec });
    const run = replaylab(['backtest', join(dir, 'backtest.json'), '--json']);
    expect(run.status).toBe(0);
    return JSON.parse(run.stdout);
  };
  return { dir, bars, config, backtest };
}

describe('replaylab paper --feed ws:// (a WebSocket server in the test, replaylab as a real process)', () => {
  it('the server drops the connection mid-session and resumes a little before where it stopped: the run reconnects, warns, and equals the backtest', async () => {
    const HISTORY = 2000;
    const { bars, config, backtest } = await spxSetup(HISTORY);
    const DROP_AT = 3500;
    const OVERLAP = 5;
    let cursor = 0;
    const port = await serve(async (socket, n) => {
      if (n === 0) {
        // From a little inside the history (skipped), to the drop.
        const frames: string[] = [];
        for (cursor = HISTORY - 5; cursor < DROP_AT; cursor++) frames.push(barJson(bars, cursor));
        await sendAll(socket, frames);
        // A silence longer than stale=200, then the cut (no close frame: a dead connection).
        await new Promise((r) => setTimeout(r, 500));
        socket.terminate();
      } else {
        // Resume at the cursor, re-sending a few bars already sent: the run must reject them.
        const frames: string[] = [];
        for (let i = cursor - OVERLAP; i < bars.length; i++) frames.push(barJson(bars, i));
        await sendAll(socket, [...frames, END]);
        socket.close(1000);
      }
    });
    const feed = `ws://127.0.0.1:${port}/bars?reconnect=50&stale=200`;
    const run = await runReplaylab(['paper', config, '--feed', feed, '--json', '--quiet']);
    expect(run.status).toBe(0);
    const where = `ws://127.0.0.1:${port}/bars`;
    expect(run.stderr).toMatch(/^replaylab paper: feed: no bar for 0\.\d s$/m);
    expect(run.stderr).toContain(`replaylab paper: feed: connection to ${where} lost (close code 1006); reconnecting in 0.05 s (attempt 1 of 10)\n`);
    expect(run.stderr).toMatch(new RegExp(`^replaylab paper: feed: reconnected to ${where} after 0\\.\\d+ s offline \\(attempt 1\\); bars sent meanwhile arrive only if the server re-sends them$`, 'm'));
    // The re-sent bars: the last one taken is a duplicate, the ones before it are out of order.
    expect(run.stderr).toMatch(/warning: rejected: SPX bar at .*: duplicate time \(that bar was taken already\)/);
    expect(run.stderr).toMatch(/warning: rejected: SPX bar at .*: out of order/);
    const doc = JSON.parse(lastLine(run.stdout));
    const expected = await backtest(sliceBars(bars, HISTORY - 500, bars.length));
    expect(doc).toMatchObject({ stop: 'feed-ended', warmupBars: 500, liveBars: bars.length - HISTORY, skippedMessages: 5, rejectedMessages: OVERLAP });
    expect(doc.trades.length).toBeGreaterThan(10);
    expect(doc.trades).toEqual(expected.trades);
    expect(doc.metrics).toEqual(expected.metrics);
    expect(doc.digest).toBe(expected.digest);
  });

  it('malformed JSON, an out-of-order bar, a duplicate and NaN prices are each rejected with a warning; the run is the backtest of the good bars', async () => {
    const HISTORY = 2000;
    const END_AT = 2400;
    const { bars, config, backtest } = await spxSetup(HISTORY);
    const bad = new Map<number, string>([
      [2100, '{"symbol":"SPX","timeMs":'],
      [2150, barJson(bars, 2150)],
      [2200, barJson(bars, 2200, { timeMs: bars.timeMs[2200]! - 3_600_000 })],
      // What Python's json.dumps writes for a NaN (not JSON), and what JSON.stringify writes (null).
      [2250, barJson(bars, 2251).replace(/"close":[0-9.e+-]+/, '"close":NaN')],
      [2300, barJson(bars, 2301, { close: Number.NaN })],
    ]);
    const port = await serve(async (socket) => {
      const frames: string[] = [];
      for (let i = HISTORY; i < END_AT; i++) {
        frames.push(barJson(bars, i));
        const extra = bad.get(i);
        if (extra !== undefined) frames.push(extra);
      }
      await sendAll(socket, [...frames, END]);
      socket.close(1000);
    });
    const run = await runReplaylab(['paper', config, '--feed', `ws://127.0.0.1:${port}/bars`, '--json', '--quiet']);
    expect(run.status).toBe(0);
    const warnings = run.stderr.trim().split('\n');
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toMatch(/^replaylab paper: warning: rejected: malformed JSON \(.*\): \{"symbol":"SPX","timeMs":$/);
    expect(warnings[1]).toMatch(/^replaylab paper: warning: rejected: SPX bar at 2008-\S+: duplicate time/);
    expect(warnings[2]).toMatch(/^replaylab paper: warning: rejected: SPX bar at \S+T23:00:00\.000Z: out of order \(its last bar is at/);
    expect(warnings[3]).toMatch(/^replaylab paper: warning: rejected: malformed JSON .*"close":NaN/);
    expect(warnings[4]).toMatch(/^replaylab paper: warning: rejected: SPX: close must be a number, was null$/);
    const doc = JSON.parse(lastLine(run.stdout));
    expect(doc).toMatchObject({ stop: 'feed-ended', liveBars: END_AT - HISTORY, rejectedMessages: 5, skippedMessages: 0 });
    const expected = await backtest(sliceBars(bars, HISTORY - 500, END_AT));
    expect(doc.trades).toEqual(expected.trades);
    expect(doc.digest).toBe(expected.digest);
  });

  it('ticks=1: trades and quotes (out of order inside a minute) become one bar per minute, the same bars a backtest of them gives', async () => {
    const dir = tmp();
    const t0 = Date.UTC(2024, 0, 2, 9, 30);
    const HISTORY = 20;
    const MINUTES = 30;
    const price = (m: number, k: number) => Math.round((100 + 5 * Math.sin(m / 1.5) + 0.25 * k) * 100) / 100;
    // History: 1-minute bars closing 09:11 … 09:30.
    const history = makeBarSeries({
      symbol: 'T',
      timeMs: Float64Array.from({ length: HISTORY }, (_, i) => t0 - (HISTORY - 1 - i) * 60_000),
      open: Float64Array.from({ length: HISTORY }, (_, i) => price(i - HISTORY, 0)),
      high: Float64Array.from({ length: HISTORY }, (_, i) => Math.max(price(i - HISTORY, 0), price(i - HISTORY, 3)) + 0.5),
      low: Float64Array.from({ length: HISTORY }, (_, i) => Math.min(price(i - HISTORY, 0), price(i - HISTORY, 3)) - 0.5),
      close: Float64Array.from({ length: HISTORY }, (_, i) => price(i - HISTORY, 3)),
      volume: Float64Array.from({ length: HISTORY }, () => 10),
    });
    await writeBars(join(dir, 'history.csv'), history);
    const spec = { strategy: 'sma-cross', params: { fast: 2, slow: 3 } };
    const config = join(dir, 'paper.json');
    writeJson(config, { kind: 'replaylab-paper', version: 1, name: 'ticks', data: { file: 'history.csv', symbol: 'T' }, ...spec });

    // Per minute: trades at :05 :20 :35 :50 (sent :20 first) and a quote at :40; the bar the test expects.
    const frames: string[] = [];
    const cols = { timeMs: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
    for (let m = 0; m < MINUTES; m++) {
      const start = t0 + m * 60_000;
      const trades = [5, 20, 35, 50].map((s, k) => ({ type: 'tick', symbol: 'T', timeMs: start + s * 1000, price: price(m, k), size: k + 1 }));
      const mid = price(m, 4);
      const quote = { type: 'quote', symbol: 'T', timeMs: start + 40_000, bid: mid - 0.05, ask: mid + 0.05 };
      for (const t of [trades[1], trades[0], trades[2], quote, trades[3]]) frames.push(JSON.stringify(t));
      if (m === 10) frames.push(JSON.stringify({ ...trades[0], timeMs: start - 1000 })); // a tick of the closed minute
      const prices = [...trades.map((t) => t.price), (quote.bid + quote.ask) / 2];
      cols.timeMs.push(start + 60_000);
      cols.open.push(trades[0]!.price);
      cols.high.push(Math.max(...prices));
      cols.low.push(Math.min(...prices));
      cols.close.push(trades[3]!.price);
      cols.volume.push(1 + 2 + 3 + 4);
    }
    const port = await serve(async (socket) => {
      await sendAll(socket, [...frames, END]);
      socket.close(1000);
    });
    const run = await runReplaylab(['paper', config, '--feed', `ws://127.0.0.1:${port}/ticks?ticks=1`, '--json', '--quiet']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^replaylab paper: feed: rejected tick: T tick at 2024-01-02T09:39:59\.000Z: its bar \(closing 2024-01-02T09:40:00\.000Z\) was sent already/);
    const doc = JSON.parse(lastLine(run.stdout));
    expect(doc).toMatchObject({ stop: 'feed-ended', warmupBars: HISTORY, liveBars: MINUTES, rejectedMessages: 0 });

    const f64 = (xs: number[]) => Float64Array.from(xs);
    const live = makeBarSeries({ symbol: 'T', timeMs: f64(cols.timeMs), open: f64(cols.open), high: f64(cols.high), low: f64(cols.low), close: f64(cols.close), volume: f64(cols.volume) });
    const all = makeBarSeries({
      symbol: 'T',
      timeMs: f64([...history.timeMs, ...live.timeMs]),
      open: f64([...history.open, ...live.open]),
      high: f64([...history.high, ...live.high]),
      low: f64([...history.low, ...live.low]),
      close: f64([...history.close, ...live.close]),
      volume: f64([...history.volume!, ...live.volume!]),
    });
    await writeBars(join(dir, 'expected.csv'), all);
    writeJson(join(dir, 'backtest.json'), { data: { file: join(dir, 'expected.csv'), symbol: 'T' }, ...spec });
    const expected = JSON.parse(replaylab(['backtest', join(dir, 'backtest.json'), '--json']).stdout);
    expect(doc.trades.length).toBeGreaterThan(2);
    expect(doc.trades).toEqual(expected.trades);
    expect(doc.digest).toBe(expected.digest);
  });
});
