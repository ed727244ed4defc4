import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sliceBars } from '../../engine/bars.js';
import { loadBars, writeBars } from '../../data/load.js';
import { CLI, replaylab, ROOT, SP500 } from './cli.js';

const HISTORY = 2000;
const tmp = () => mkdtempSync(join(tmpdir(), 'replaylab-paper-alerts-'));
const lastLine = (text: string) => text.trim().split('\n').pop() ?? '';

/** A paper config over the first 2,000 S&P 500 bars (sma-cross; warm-up = the whole history). */
async function setup(liveBars?: number) {
  const dir = tmp();
  const bars = (await loadBars(SP500, { symbol: 'SPX' })).bars;
  await writeBars(join(dir, 'history.csv'), sliceBars(bars, 0, HISTORY));
  let feedFile = SP500;
  if (liveBars !== undefined) {
    feedFile = join(dir, 'feed.csv');
    await writeBars(feedFile, sliceBars(bars, 0, HISTORY + liveBars));
  }
  const config = join(dir, 'paper.json');
  writeFileSync(config, JSON.stringify({ kind: 'replaylab-paper', version: 1, name: 'spx-alerts', data: { file: 'history.csv', symbol: 'SPX' }, strategy: 'sma-cross' }));
  return { dir, config, feedFile, historyEndMs: bars.timeMs[HISTORY - 1]! };
}

/** `replaylab ARGS…` as a child process without blocking this process's event loop. */
function start(args: readonly string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC', FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  const stderrMatch = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (;;) {
      const m = pattern.exec(stderr);
      if (m !== null) return m;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, done, stderrMatch };
}

interface TradeJson {
  readonly entryTime: string;
  readonly exitTime: string | null;
  readonly open: boolean;
}
const ms = (iso: string | null) => (iso === null ? Number.NaN : Date.parse(iso));

const kinds = (alerts: readonly { kind: string }[], kind: string) => alerts.filter((a) => a.kind === kind).length;

describe('replaylab paper --alerts / --status-port (real processes)', () => {
  it('--alerts jsonl:FILE: OPPORTUNITY/FILL/EXIT lines match the live trades; the digest is unchanged', async () => {
    const { dir, config, historyEndMs } = await setup();
    const file = join(dir, 'alerts.jsonl');
    const feed = `replay:${SP500}?speed=max&symbols=SPX`;
    const plain = replaylab(['paper', config, '--feed', feed, '--json', '--quiet']);
    expect(plain.status).toBe(0);
    const run = replaylab(['paper', config, '--feed', feed, '--alerts', `jsonl:${file}`, '--json', '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const doc = JSON.parse(lastLine(run.stdout));
    expect(doc.digest).toBe(JSON.parse(lastLine(plain.stdout)).digest);

    const alerts = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { kind: string; timeMs: number; symbol?: string });
    const trades = doc.trades as TradeJson[];
    const closedLive = trades.filter((t) => !t.open && ms(t.exitTime) > historyEndMs);
    const openedLive = trades.filter((t) => ms(t.entryTime) > historyEndMs);
    expect(closedLive.length).toBeGreaterThan(5);
    expect(kinds(alerts, 'EXIT')).toBe(closedLive.length);
    expect(kinds(alerts, 'FILL')).toBe(openedLive.length);
    expect(kinds(alerts, 'OPPORTUNITY')).toBeGreaterThanOrEqual(openedLive.length);
    expect(alerts.filter((a) => a.kind === 'EXIT').map((a) => a.timeMs)).toEqual(closedLive.map((t) => ms(t.exitTime)));
    expect(alerts.filter((a) => a.kind === 'FILL').map((a) => a.timeMs)).toEqual(openedLive.map((t) => ms(t.entryTime)));
    expect(alerts.every((a) => a.timeMs > historyEndMs && a.symbol === 'SPX')).toBe(true);
  });

  it('--status-port 0: prints the URL; /status.json and / answer while the run goes on', async () => {
    const { config, feedFile } = await setup(400);
    const run = start(['paper', config, '--feed', `replay:${feedFile}?rate=200&symbols=SPX`, '--status-port', '0', '--json']);
    const url = (await run.stderrMatch(/^status: (http:\/\/127\.0\.0\.1:\d+\/)$/m))[1]!;
    let status: { name: string; equity: number; counts: { liveBars: number }; feed: { state: string } } | undefined;
    for (let tries = 0; tries < 200; tries++) {
      const response = await fetch(new URL('status.json', url));
      expect(response.status).toBe(200);
      status = (await response.json()) as typeof status;
      if (status!.counts.liveBars > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toMatchObject({ name: 'spx-alerts', feed: { state: 'live' } });
    expect(status!.counts.liveBars).toBeGreaterThan(0);
    expect(status!.counts.liveBars).toBeLessThan(400);
    expect(Number.isFinite(status!.equity)).toBe(true);
    const page = await fetch(url);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/spx-alerts/);
    const { status: code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(JSON.parse(lastLine(stdout)).liveBars).toBe(400);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('--alerts webhook:URL posts every alert as JSON to a local server', async () => {
    const posts: { method: string | undefined; type: string | undefined; body: { kind: string; message: string; text: string } }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        posts.push({ method: request.method, type: request.headers['content-type'], body: JSON.parse(body) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { dir, config } = await setup();
      const file = join(dir, 'alerts.jsonl');
      const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`;
      const run = start(['paper', config, '--feed', `replay:${SP500}?speed=max&symbols=SPX`, '--alerts', `webhook:${hook},jsonl:${file}`, '--json', '--quiet']);
      const { status, stderr } = await run.done;
      expect(stderr).toBe('');
      expect(status).toBe(0);
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { kind: string; message: string });
      expect(kinds(lines, 'EXIT')).toBeGreaterThan(5);
      expect(posts.every((p) => p.method === 'POST' && p.type === 'application/json')).toBe(true);
      expect(posts.map((p) => [p.body.kind, p.body.message])).toEqual(lines.map((a) => [a.kind, a.message]));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('bad --alerts or --status-port is a usage error (exit 2)', async () => {
    const { config } = await setup(10);
    const feed = `replay:${SP500}?speed=max&symbols=SPX`;
    const sink = replaylab(['paper', config, '--feed', feed, '--alerts', 'sms:123']);
    expect(sink.status).toBe(2);
    expect(sink.stderr).toMatch(/--alerts.*unknown sink "sms"/);
    const port = replaylab(['paper', config, '--feed', feed, '--status-port', 'abc']);
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(/--status-port/);
  });
});
