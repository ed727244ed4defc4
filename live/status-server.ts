import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { ConfigError } from '../engine/config-error.js';
import { renderStatusPage } from './status-page.js';
import type { StatusSnapshot } from './status-snapshot.js';

/** Options of {@link startStatusServer}. */
export interface StatusServerOptions {
  /** TCP port; 0 picks a free one (read the returned `url`). */
  readonly port: number;
  /** Interface to listen on. Default `127.0.0.1`; a non-loopback one is refused unless {@link allowRemote}. */
  readonly host?: string;
  /**
   * Listen on a non-loopback host (`0.0.0.0`, a LAN address). The page has no authentication:
   * whoever reaches the port sees positions, orders and alerts. Default false — nothing listens
   * beyond this machine unless asked.
   */
  readonly allowRemote?: boolean;
  /** Called per request for the current state; must be cheap and must not step the run. */
  readonly snapshot: () => StatusSnapshot;
  /** A snapshot or page that threw (the request gets a 500). Default: none. */
  readonly onError?: (error: Error) => void;
}

/** A running status server. */
export interface StatusServer {
  /** Base URL, e.g. `http://127.0.0.1:8765/` (the page; the JSON is at `status.json`). */
  readonly url: string;
  /** Stops listening and drops open (keep-alive) connections. Idempotent. */
  close(): Promise<void>;
}

/** Every response: nothing may load, frame, or be sniffed; nothing is cached. */
const HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

/**
 * Serves the status of a paper run over HTTP: `GET /` a small self-contained HTML page that
 * reloads every 2 s, `GET /status.json` the snapshot as JSON (non-finite numbers as null); HEAD
 * for both; other paths 404, other methods 405. Read-only: no request changes the run.
 *
 * Unless `allowRemote` is set, it listens on loopback only and also refuses (403) a request whose
 * `Host` header names a non-loopback host, so that a web page open in the operator's browser
 * cannot read the status through DNS rebinding.
 * @throws ConfigError (the promise rejects) for a bad port, a refused host, or a port in use.
 */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const host = options.host ?? '127.0.0.1';
  const { port } = options;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65_535)) throw new ConfigError('--status-port', `must be a whole number 0–65535 (0: any free port), was ${port}`);
  const allowRemote = options.allowRemote === true;
  if (!allowRemote && !isLoopbackHost(host)) {
    throw new ConfigError('host', `${host} is not a loopback address — the status page has no authentication, so it listens on 127.0.0.1 or ::1 only; pass allowRemote: true to expose it on purpose`);
  }
  const onError = options.onError ?? (() => {});
  const server = createServer((request, response) => handle(request, response, options.snapshot, allowRemote, onError));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is in use — pick another port, or 0 for any free one' : `cannot be listened on (${error.code ?? error.message})`;
      reject(new ConfigError('--status-port', `port ${port} on ${host} ${why}`));
    });
    server.listen({ port, host, exclusive: true }, resolve);
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return Object.freeze({
    url: `http://${urlHost}:${address.port}/`,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  });
}

/** True for `localhost`, 127.0.0.0/8 and ::1 (in any spelling, bracketed or not). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  if (lower === 'localhost') return true;
  if (isIP(lower) === 4) return lower.startsWith('127.');
  if (isIP(lower) !== 6) return false;
  // The URL parser writes every IPv6 spelling the one canonical way.
  const canonical = new URL(`http://[${lower}]/`).hostname;
  return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
}

function handle(request: IncomingMessage, response: ServerResponse, snapshot: () => StatusSnapshot, allowRemote: boolean, onError: (error: Error) => void): void {
  const path = pathOf(request.url);
  if (!allowRemote && !hostAllowed(request.headers.host)) return send(response, request, 403, 'text/plain', 'forbidden: this status page answers to localhost only\n');
  if (path !== '/' && path !== '/status.json') return send(response, request, 404, 'text/plain', 'not found: try / or /status.json\n');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return send(response, request, 405, 'text/plain', 'method not allowed: GET or HEAD only\n');
  }
  let body: string;
  try {
    const state = snapshot();
    body = path === '/' ? renderStatusPage(state) : `${JSON.stringify(state)}\n`;
  } catch (error) {
    onError(error instanceof Error ? error : new Error(String(error)));
    return send(response, request, 500, 'text/plain', 'status unavailable\n');
  }
  send(response, request, 200, path === '/' ? 'text/html' : 'application/json', body);
}

function send(response: ServerResponse, request: IncomingMessage, status: number, type: string, body: string): void {
  response.writeHead(status, { ...HEADERS, 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(body) });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://status.invalid').pathname;
  } catch {
    return '';
  }
}

/** The `Host` header's name is loopback (or absent, as in HTTP/1.0). */
function hostAllowed(header: string | undefined): boolean {
  if (header === undefined) return true;
  try {
    return isLoopbackHost(new URL(`http://${header}/`).hostname);
  } catch {
    return false;
  }
}
