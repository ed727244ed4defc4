import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { escapeHtml, renderStatusPage } from './status-page.js';
import { isLoopbackHost, startStatusServer, type StatusServer } from './status-server.js';
import type { StatusSnapshot } from './status-snapshot.js';

const T = Date.UTC(2024, 2, 1, 15, 30);

function snapshotOf(changes: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    name: 'swing <b>&</b> "break"',
    wallTimeMs: T + 90_000,
    feed: { description: 'replay:data/x.csv?speed=max&symbols=<x>', state: 'live' },
    lastBarTimeMs: T,
    symbols: [
      { symbol: '<x>', lastClose: 101.25, lastBarTimeMs: T, regime: { vol: 'calm', trend: '<up>' } },
      { symbol: 'SPX', lastClose: undefined, lastBarTimeMs: undefined },
    ],
    positions: [{ symbol: '<x>', qty: -10, entryPrice: 102, lastPrice: 101.25, unrealizedPnl: 7.5, r: 0.25 }],
    workingOrders: [{ id: 7, symbol: '<x>', side: 'buy', type: 'stop', qty: 'atFill', stopPrice: 104, tag: "stop-loss'><script>" }],
    equity: 100_007.5,
    today: { pnl: -12.3456, r: -0.5 },
    risk: { halted: true, reason: 'HALTED: daily loss 2.1% > 2%' },
    recentAlerts: [
      { kind: 'FILL', timeMs: T - 60_000, step: 3, symbol: '<x>', message: 'sold 10 <x> @ 102 (entry)' },
      { kind: 'ERROR', timeMs: T, step: 4, message: 'feed: <boom>' },
    ],
    counts: { warmupBars: 500, liveBars: 12, rejectedMessages: 2, skippedMessages: 0 },
    ...changes,
  };
}

const servers: StatusServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(snapshot: () => StatusSnapshot = () => snapshotOf()): Promise<StatusServer> {
  const server = await startStatusServer({ port: 0, snapshot });
  servers.push(server);
  return server;
}

/** A raw request, to set the Host header (fetch does not let a caller change it). */
function raw(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startStatusServer', () => {
  it('serves the page on loopback: self-contained, refreshing, every text escaped', async () => {
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'unsafe-inline'/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<meta http-equiv="refresh" content="2">');
    expect(html).toContain('<h1>swing &lt;b&gt;&amp;&lt;/b&gt; &quot;break&quot;</h1>');
    expect(html).toContain('<td>&lt;x&gt;</td><td class="n">101.25</td>');
    expect(html).toContain('&lt;up&gt;');
    expect(html).toContain('stop-loss&#39;&gt;&lt;script&gt;');
    expect(html).toContain('feed: &lt;boom&gt;');
    expect(html).not.toMatch(/<x>|<script|<up>|<boom>|<b>/);
    // No external resource of any kind.
    expect(html).not.toMatch(/\b(src|srcset)=|<link|<script|url\(|@import|https?:\/\//);
    // Newest alert first; the summary.
    expect(html.indexOf('feed: &lt;boom&gt;')).toBeLessThan(html.indexOf('sold 10'));
    expect(html).toContain('P&amp;L -12.35, R -0.50R');
    expect(html).toContain('<span class="badge halted">halted</span> HALTED: daily loss 2.1% &gt; 2%');
    expect(html).toContain('(90 s behind wall time)');
    expect(html).toContain('500 warm-up, 12 live; 2 rejected, 0 skipped');
  });

  it('serves the snapshot as JSON, taken per request', async () => {
    let equity = 1;
    const server = await start(() => snapshotOf({ equity: equity++, today: { pnl: Number.NaN, r: undefined } }));
    const first = (await (await fetch(new URL('status.json', server.url))).json()) as Record<string, unknown>;
    const response = await fetch(new URL('/status.json?x=1', server.url));
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const second = (await response.json()) as StatusSnapshot;
    expect(first['equity']).toBe(1);
    expect(second.equity).toBe(2);
    expect(second.today).toEqual({ pnl: null });
    expect(second.symbols[0]!.symbol).toBe('<x>');
    expect(second.recentAlerts).toHaveLength(2);
  });

  it('404 for other paths, 405 for other methods, HEAD without a body', async () => {
    const server = await start();
    const missing = await fetch(new URL('/admin', server.url));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('not found: try / or /status.json\n');
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetch(server.url, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
      await response.text();
    }
    const head = await fetch(new URL('status.json', server.url), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
    expect(await head.text()).toBe('');
  });

  it('500 without details when the snapshot throws, reported to onError', async () => {
    const errors: string[] = [];
    const server = await startStatusServer({ port: 0, snapshot: () => { throw new Error('secret detail'); }, onError: (e) => errors.push(e.message) });
    servers.push(server);
    const response = await fetch(server.url);
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('status unavailable\n');
    expect(errors).toEqual(['secret detail']);
  });

  it('refuses a non-loopback host unless allowRemote, and requests naming another host', async () => {
    await expect(startStatusServer({ port: 0, host: '0.0.0.0', snapshot: () => snapshotOf() })).rejects.toThrow(
      'host: 0.0.0.0 is not a loopback address — the status page has no authentication, so it listens on 127.0.0.1 or ::1 only; pass allowRemote: true to expose it on purpose',
    );
    await expect(startStatusServer({ port: 0, host: '::', snapshot: () => snapshotOf() })).rejects.toThrow(/not a loopback address/);
    await expect(startStatusServer({ port: 70_000, snapshot: () => snapshotOf() })).rejects.toThrow('--status-port: must be a whole number 0–65535 (0: any free port), was 70000');
    const server = await start();
    expect(await raw(server.url, 'attacker.example:80')).toBe(403);
    expect(await raw(server.url, 'localhost:1234')).toBe(200);
    const remote = await startStatusServer({ port: 0, host: '0.0.0.0', allowRemote: true, snapshot: () => snapshotOf() });
    servers.push(remote);
    expect(remote.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    expect(await raw(remote.url.replace('0.0.0.0', '127.0.0.1'), 'status.lan:80')).toBe(200);
  });

  it('names a port in use', async () => {
    const server = await start();
    const port = Number(new URL(server.url).port);
    await expect(startStatusServer({ port, snapshot: () => snapshotOf() })).rejects.toThrow(`--status-port: port ${port} on 127.0.0.1 is in use — pick another port, or 0 for any free one`);
  });

  it('closes, dropping keep-alive connections; close is idempotent', async () => {
    const server = await startStatusServer({ port: 0, snapshot: () => snapshotOf() });
    expect((await fetch(server.url)).status).toBe(200);
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(server.url)).rejects.toThrow();
  });
});

describe('loopback and escaping', () => {
  it.each([
    ['127.0.0.1', true], ['127.1.2.3', true], ['localhost', true], ['LOCALHOST', true], ['::1', true], ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true], ['::ffff:127.0.0.1', true], ['0.0.0.0', false], ['::', false], ['192.168.1.5', false],
    ['example.com', false], ['localhost.example.com', false], ['::ffff:10.0.0.1', false],
  ])('%s loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('renders an empty run', () => {
    const html = renderStatusPage(snapshotOf({ lastBarTimeMs: undefined, symbols: [], positions: [], workingOrders: [], recentAlerts: [], risk: undefined, feed: { description: 'x', state: 'ended' } }));
    expect(html).toContain('<dt>last bar</dt><dd>—</dd>');
    expect(html).toContain('<p class="muted">none yet</p>');
    expect(html).toContain('<span class="badge ended">ended</span>');
    expect(html).not.toContain('<dt>risk</dt>');
  });
});
