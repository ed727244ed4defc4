import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { FeedEvents, FeedMessage } from './feed.js';
import { parseFeedSpec } from './feed-spec.js';
import { WsFeed } from './ws-feed.js';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server on 127.0.0.1 calling `onConnection(socket, n)` for its n-th connection (from 0). */
async function serve(onConnection: (socket: WebSocket, n: number) => void, options: { autoPong?: boolean } = {}): Promise<number> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
  servers.push(server);
  let n = 0;
  server.on('connection', (socket) => onConnection(socket, n++));
  await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as AddressInfo).port;
}

const bar = (i: number) => JSON.stringify({ symbol: 'A', timeMs: 60_000 * (i + 1), open: 10, high: 11, low: 9, close: 10 + i });
const END = JSON.stringify({ type: 'end' });

/** Reads a feed to its end; the warnings and stale notices it gave, and the error it threw. */
async function drain(feed: WsFeed) {
  const messages: FeedMessage[] = [];
  const warnings: string[] = [];
  const stale: number[] = [];
  const events: FeedEvents = { warning: (m) => warnings.push(m), stale: (ms) => stale.push(ms) };
  let error: Error | undefined;
  try {
    for await (const m of feed.messages(events)) messages.push(m);
  } catch (e) {
    error = e as Error;
  }
  return { messages, warnings, stale, error };
}

describe('WsFeed', () => {
  it('passes bar frames on as they are (binary ones decoded) and ends at {"type":"end"}', async () => {
    const port = await serve((socket) => {
      socket.send(bar(0));
      socket.send(Buffer.from(bar(1)), { binary: true });
      socket.send('{"type":"bar","oops"');
      socket.send(JSON.stringify({ type: 'tick', symbol: 'A', timeMs: 1, price: 1, size: 1 }));
      socket.send(END);
      socket.send(bar(2));
    });
    const { messages, warnings, error } = await drain(new WsFeed(parseFeedSpec(`ws://127.0.0.1:${port}/bars`)));
    expect(error).toBeUndefined();
    expect(messages).toEqual([bar(0), bar(1), '{"type":"bar","oops"', JSON.stringify({ type: 'tick', symbol: 'A', timeMs: 1, price: 1, size: 1 })]);
    expect(warnings).toEqual(['the server sends tick messages: add ticks=1 to the --feed URL to build bars from them']);
  });

  it('reconnects after a drop, with a warning each time, and reads on', async () => {
    const port = await serve((socket, n) => {
      if (n === 0) {
        socket.send(bar(0));
        socket.send(bar(1));
        setTimeout(() => socket.terminate(), 20);
      } else if (n === 1) {
        // The server closes without "end": a drop too.
        socket.close(1001, 'going away');
      } else {
        socket.send(bar(1)); // re-sent: the driver rejects it as a duplicate
        socket.send(bar(2));
        socket.send(END);
        socket.close(1000);
      }
    });
    const { messages, warnings, error } = await drain(new WsFeed(parseFeedSpec(`ws://127.0.0.1:${port}/bars?reconnect=20&token=x`)));
    expect(error).toBeUndefined();
    expect(messages).toEqual([bar(0), bar(1), bar(1), bar(2)]);
    const where = `ws://127.0.0.1:${port}/bars`;
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toBe(`connection to ${where} lost (close code 1006); reconnecting in 0.02 s (attempt 1 of 10)`);
    expect(warnings[1]).toMatch(new RegExp(`^reconnected to ${where} after 0\\.\\d\\d s offline \\(attempt 1\\); bars sent meanwhile arrive only if the server re-sends them$`));
    expect(warnings[2]).toBe(`connection to ${where} lost (close code 1001 "going away"); reconnecting in 0.02 s (attempt 1 of 10)`);
    expect(warnings[3]).toMatch(/^reconnected to .* \(attempt 1\)/);
  });

  it('a ping without pong drops the connection (heartbeat)', async () => {
    const port = await serve((socket, n) => {
      if (n === 0) socket.send(bar(0));
      else socket.send(END);
    }, { autoPong: false });
    const { messages, warnings } = await drain(new WsFeed(parseFeedSpec(`ws://127.0.0.1:${port}/bars?heartbeat=50&reconnect=10`)));
    expect(messages).toEqual([bar(0)]);
    expect(warnings[0]).toMatch(/lost \(heartbeat: no pong within 50 ms of a ping\); reconnecting in 0\.01 s/);
    expect(warnings[1]).toMatch(/^reconnected to/);
  });

  it('backs off exponentially and gives up after `attempts` failures in a row', async () => {
    const port = await serve(() => {});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const started = performance.now();
    const { warnings, error } = await drain(new WsFeed(parseFeedSpec(`ws://127.0.0.1:${port}/x?reconnect=40&attempts=3`)));
    // 40 + 80 + 160 ms of back-off.
    expect(performance.now() - started).toBeGreaterThan(270);
    expect(warnings).toEqual([
      `could not connect to ws://127.0.0.1:${port}/x (connect ECONNREFUSED 127.0.0.1:${port}); reconnecting in 0.04 s (attempt 1 of 3)`,
      `could not connect to ws://127.0.0.1:${port}/x (connect ECONNREFUSED 127.0.0.1:${port}); reconnecting in 0.08 s (attempt 2 of 3)`,
      `could not connect to ws://127.0.0.1:${port}/x (connect ECONNREFUSED 127.0.0.1:${port}); reconnecting in 0.16 s (attempt 3 of 3)`,
    ]);
    expect(error?.message).toBe(`ws://127.0.0.1:${port}/x: gave up after 3 reconnect attempts in a row (last: connect ECONNREFUSED 127.0.0.1:${port})`);
  });

  it('reports a silence longer than stale=MS once, and again after a message and a new silence', async () => {
    const port = await serve((socket) => {
      socket.send(bar(0));
      setTimeout(() => socket.send(bar(1)), 350);
      setTimeout(() => socket.send(bar(2)), 700);
      setTimeout(() => socket.send(END), 750);
    });
    const { messages, stale } = await drain(new WsFeed(parseFeedSpec(`ws://127.0.0.1:${port}/bars?stale=100`)));
    expect(messages).toHaveLength(3);
    expect(stale).toHaveLength(2);
    for (const ms of stale) expect(ms).toBeGreaterThanOrEqual(100);
    for (const ms of stale) expect(ms).toBeLessThan(300);
  });

  it('close() ends a pending read at once', async () => {
    const port = await serve(() => {});
    const feed = new WsFeed(parseFeedSpec(`ws://127.0.0.1:${port}/bars`));
    const started = performance.now();
    setTimeout(() => feed.close(), 100);
    const { messages, error } = await drain(feed);
    expect([messages, error]).toEqual([[], undefined]);
    expect(performance.now() - started).toBeLessThan(1000);
    feed.close();
  });

  it('ticks=1 builds 1-minute bars from trades and quotes, drops bad ticks with a warning, closes the last minute at the end', async () => {
    const t0 = Date.UTC(2024, 0, 2, 9, 30);
    const tick = (s: number, price: number, size: number) => JSON.stringify({ type: 'tick', symbol: 'A', timeMs: t0 + s * 1000, price, size });
    const port = await serve((socket) => {
      socket.send(tick(1, 10, 1));
      socket.send(tick(30, 12, 3));
      socket.send('not json');
      socket.send(JSON.stringify({ type: 'tick', symbol: 'A', timeMs: t0, price: null, size: 1 }));
      socket.send(JSON.stringify({ type: 'quote', symbol: 'A', timeMs: t0 + 70_000, bid: 11, ask: 11.5 }));
      socket.send(tick(59, 9, 1)); // the 09:30 bar was sent already
      socket.send(END);
    });
    const { messages, warnings } = await drain(new WsFeed(parseFeedSpec(`ws://127.0.0.1:${port}/ticks?ticks=1`)));
    expect(messages).toEqual([
      { symbol: 'A', timeMs: t0 + 60_000, open: 10, high: 12, low: 10, close: 12, volume: 4, extras: { vwap: 11.5 } },
      { symbol: 'A', timeMs: t0 + 120_000, open: 11.25, high: 11.25, low: 11.25, close: 11.25, volume: 0, extras: { vwap: Number.NaN } },
    ]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^rejected tick: malformed JSON \(.*\): not json$/);
    expect(warnings[1]).toBe('rejected tick: A tick at 2024-01-02T09:30:00.000Z: price must be a number > 0, was null');
    expect(warnings[2]).toMatch(/^rejected tick: A tick at 2024-01-02T09:30:59\.000Z: its bar \(closing 2024-01-02T09:31:00\.000Z\) was sent already/);
  });

  it('sends only its own query parameters away: the server gets the rest', async () => {
    let path = '';
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    servers.push(server);
    server.on('connection', (socket, request) => {
      path = request.url ?? '';
      socket.send(END);
    });
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    await drain(new WsFeed(parseFeedSpec(`ws://127.0.0.1:${port}/v1/bars?stale=5000&token=abc`)));
    expect(path).toBe('/v1/bars?token=abc');
  });
});
