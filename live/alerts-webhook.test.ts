import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from './alerts.js';
import { WebhookAlertSink } from './webhook-alert-sink.js';

const T = Date.UTC(2024, 2, 1, 15, 30);
const alertAt = (step: number): Alert => ({ kind: 'EXIT', timeMs: T, step, symbol: 'SPX', message: `sold ${step}`, reason: 'target', data: { qty: step } });

interface Received {
  readonly body: Record<string, unknown>;
  readonly headers: IncomingMessage['headers'];
  readonly atMs: number;
}

/** A webhook endpoint on 127.0.0.1 (port 0) answering each request with `answer(n)` (n from 0). */
async function endpoint(answer: (n: number, response: ServerResponse) => void | Promise<void>): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      const n = received.length;
      received.push({ body: JSON.parse(text) as Record<string, unknown>, headers: request.headers, atMs: performance.now() });
      void answer(n, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/SECRET-TOKEN`, received, server };
}

const status = (code: number) => (_n: number, response: ServerResponse) => void response.writeHead(code).end(code < 300 ? 'ok' : 'nope');

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('WebhookAlertSink', () => {
  it('POSTs each alert as JSON, in order', async () => {
    const hook = await endpoint(status(204));
    const errors: Error[] = [];
    const sink = new WebhookAlertSink(hook.url, { onError: (e) => errors.push(e) });
    for (let i = 0; i < 3; i++) sink.send(alertAt(i));
    await sink.flush();
    expect(errors).toEqual([]);
    expect(hook.received.map((r) => r.body['step'])).toEqual([0, 1, 2]);
    expect(hook.received[0]!.headers['content-type']).toBe('application/json');
    expect(hook.received[0]!.body).toEqual({
      text: '2024-03-01T15:30:00.000Z EXIT        sold 0', kind: 'EXIT', time: '2024-03-01T15:30:00.000Z', timeMs: T, step: 0, symbol: 'SPX', message: 'sold 0', reason: 'target', data: { qty: 0 },
    });
    await sink.close();
  });

  it('send returns before the server answers; flush waits for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const hook = await endpoint(async (_n, response) => {
      await gate;
      response.writeHead(200).end();
    });
    const sink = new WebhookAlertSink(hook.url);
    const started = performance.now();
    sink.send(alertAt(0));
    expect(performance.now() - started).toBeLessThan(20);
    expect(hook.received).toHaveLength(0);
    let flushed = false;
    const flush = sink.flush().then(() => (flushed = true));
    while (hook.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(flushed).toBe(false);
    release();
    await flush;
    expect(flushed).toBe(true);
  });

  it('retries after a 500 and then succeeds', async () => {
    const hook = await endpoint((n, response) => void response.writeHead(n === 0 ? 500 : 200).end());
    const errors: Error[] = [];
    const sink = new WebhookAlertSink(hook.url, { backoffMs: 10, onError: (e) => errors.push(e) });
    sink.send(alertAt(0));
    await sink.flush();
    expect(hook.received.map((r) => r.body['step'])).toEqual([0, 0]);
    expect(errors).toEqual([]);
  });

  it('gives up after the last try with exponential backoff, reports to onError without the URL path, and goes on', async () => {
    const hook = await endpoint((n, response) => void response.writeHead(n < 3 ? 503 : 200).end());
    const errors: [Error, Alert][] = [];
    const sink = new WebhookAlertSink(hook.url, { tries: 3, backoffMs: 40, onError: (e, a) => errors.push([e, a]) });
    sink.send(alertAt(0));
    sink.send(alertAt(1));
    await sink.flush();
    expect(hook.received.map((r) => r.body['step'])).toEqual([0, 0, 0, 1]);
    const gaps = hook.received.slice(1, 3).map((r, k) => r.atMs - hook.received[k]!.atMs);
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[1]).toBeGreaterThanOrEqual(75);
    expect(errors).toHaveLength(1);
    const [error, alert] = errors[0]!;
    expect(alert.step).toBe(0);
    expect(error.message).toMatch(/^webhook http:\/\/127\.0\.0\.1:\d+: HTTP 503; gave up after 3 tries — alert lost: EXIT sold 0$/);
    expect(error.message).not.toContain('SECRET');
  });

  it('does not retry a client error (a wrong URL or token)', async () => {
    const hook = await endpoint(status(404));
    const errors: string[] = [];
    const sink = new WebhookAlertSink(hook.url, { backoffMs: 10, onError: (e) => errors.push(e.message) });
    sink.send(alertAt(0));
    await sink.flush();
    expect(hook.received).toHaveLength(1);
    expect(errors).toEqual([expect.stringContaining('HTTP 404; gave up after 1 try')]);
  });

  it('times out a request that gets no answer, and retries it', async () => {
    const hook = await endpoint((n, response) => {
      if (n > 0) response.writeHead(200).end();
    });
    const errors: string[] = [];
    const sink = new WebhookAlertSink(hook.url, { timeoutMs: 100, backoffMs: 10, tries: 2, onError: (e) => errors.push(e.message) });
    sink.send(alertAt(0));
    await sink.flush();
    expect(hook.received).toHaveLength(2);
    expect(errors).toEqual([]);
    const silent = await endpoint(() => {});
    const once = new WebhookAlertSink(silent.url, { timeoutMs: 100, tries: 1, onError: (e) => errors.push(e.message) });
    once.send(alertAt(1));
    await once.close();
    expect(errors).toEqual([expect.stringContaining('no response within 100 ms; gave up after 1 try')]);
  });

  it('reports a refused connection after its tries, never throwing', async () => {
    const hook = await endpoint(status(200));
    const url = hook.url;
    hook.server.closeAllConnections();
    await new Promise((resolve) => hook.server.close(resolve));
    const errors: string[] = [];
    const sink = new WebhookAlertSink(url, { backoffMs: 5, onError: (e) => errors.push(e.message) });
    expect(() => sink.send(alertAt(0))).not.toThrow();
    await sink.close();
    expect(errors).toEqual([expect.stringMatching(/ECONNREFUSED\); gave up after 3 tries/)]);
    sink.send(alertAt(1));
    await sink.flush();
    expect(errors).toHaveLength(1);
  });

  it('drops the oldest alert when its queue is full', async () => {
    const hook = await endpoint(status(200));
    const dropped: number[] = [];
    const sink = new WebhookAlertSink(hook.url, { maxQueue: 2, onError: (_e, a) => dropped.push(a.step) });
    for (let i = 0; i < 5; i++) sink.send(alertAt(i));
    await sink.flush();
    expect(dropped).toEqual([0, 1, 2]);
    expect(hook.received.map((r) => r.body['step'])).toEqual([3, 4]);
  });
});
