import { ConfigError } from '../engine/config-error.js';

/** How fast a replay feed plays its bars. */
export type ReplayPace =
  /** As fast as the run can take them. */
  | { readonly kind: 'max' }
  /** `factor` × real time: the wall time between two bars is their time gap ÷ factor. */
  | { readonly kind: 'speed'; readonly factor: number }
  /** A fixed number of bars per second of wall time, whatever their time gaps. */
  | { readonly kind: 'rate'; readonly barsPerSecond: number };

/** `replay:FILE[,FILE…][?speed=max|N|rate=N][&symbols=SYM[,SYM…]]`, parsed. */
export interface ReplayFeedSpec {
  readonly kind: 'replay';
  /** The `--feed` text as given. */
  readonly text: string;
  /** Bar files (paths as given: relative ones are resolved against the working directory). */
  readonly files: readonly string[];
  /** One symbol per file, or undefined: each file's name stem upper-cased, as `backtest` does. */
  readonly symbols: readonly string[] | undefined;
  readonly pace: ReplayPace;
}

/**
 * `ws://HOST:PORT/PATH[?stale=MS&heartbeat=MS&reconnect=MS&attempts=N&ticks=1]` (or `wss://`),
 * parsed: a WebSocket server sending bars (or ticks) as JSON text frames. Query parameters other
 * than these options are the server's (e.g. `token=…`) and stay in {@link WsFeedSpec.url}.
 */
export interface WsFeedSpec {
  readonly kind: 'ws';
  /** The `--feed` text as given. */
  readonly text: string;
  /** The URL connected to: the text without the feed's own options. */
  readonly url: string;
  /** Silence (wall ms) after which the feed reports itself stale; undefined: 3 × the typical gap seen so far. */
  readonly staleMs: number | undefined;
  /** Ping every `heartbeatMs`; a ping without a pong by the next one drops the connection. 0: no pings. */
  readonly heartbeatMs: number;
  /** First reconnect delay, ms; doubled per failed attempt up to {@link MAX_RECONNECT_DELAY_MS}. */
  readonly reconnectMs: number;
  /** Connection attempts in a row that may fail before the feed gives up (the run then ends). */
  readonly maxAttempts: number;
  /** True: the server sends ticks and quotes, aggregated into 1-minute bars (`tick-bars.ts`). */
  readonly ticks: boolean;
}

/** A parsed `--feed` value. */
export type FeedSpec = ReplayFeedSpec | WsFeedSpec;

/** Defaults of a `ws://` feed's options. */
export const WS_DEFAULTS = Object.freeze({ heartbeatMs: 15_000, reconnectMs: 500, maxAttempts: 10 });
/** The reconnect delay stops doubling here (or at `reconnect=MS` when that is longer), ms. */
export const MAX_RECONNECT_DELAY_MS = 30_000;

const USE = 'use replay:FILE?speed=max|N or replay:FILE?rate=N';
const OPTIONS = ['speed', 'rate', 'symbols'];
const WS_OPTIONS = 'stale=MS, heartbeat=MS (0: off), reconnect=MS, attempts=N, ticks=1';
const WS_OPTION_NAMES = ['stale', 'heartbeat', 'reconnect', 'attempts', 'ticks'];

/**
 * Parses a `--feed` value. `replay:FILE` plays a bar file (`.csv`, `.arrow`, `.parquet`) as a live
 * feed: `?speed=max` (the default) as fast as possible, `?speed=N` at N × real time, `?rate=N` at N
 * bars per second. Several files (one symbol each) are separated by commas and merged by time;
 * `symbols=A,B` names their symbols in file order. `ws://HOST:PORT/PATH` (or `wss://`) reads a
 * WebSocket server (see {@link WsFeedSpec} for its options).
 * @throws ConfigError with path `--feed` naming the problem and the accepted forms.
 */
export function parseFeedSpec(text: `replay:${string}`): ReplayFeedSpec;
export function parseFeedSpec(text: `ws://${string}` | `wss://${string}`): WsFeedSpec;
export function parseFeedSpec(text: string): FeedSpec;
export function parseFeedSpec(text: string): FeedSpec {
  const match = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(text);
  const scheme = match?.[1]!.toLowerCase();
  if (scheme === 'ws' || scheme === 'wss') return parseWsSpec(text);
  if (match === null || scheme !== 'replay') throw new ConfigError('--feed', `unknown feed ${JSON.stringify(text)} — ${USE}`);
  const rest = match[2]!;
  const at = rest.indexOf('?');
  const path = at < 0 ? rest : rest.slice(0, at);
  const files = path.split(',').map((f) => f.trim());
  if (files.some((f) => f === '')) throw new ConfigError('--feed', `${JSON.stringify(text)} names no file (or an empty one in a list) — ${USE}`);
  const query = new Map<string, string>();
  for (const part of at < 0 ? [] : rest.slice(at + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (!OPTIONS.includes(key)) throw new ConfigError('--feed', `unknown option ${JSON.stringify(key)} in ${JSON.stringify(text)} — options: speed=max|N, rate=N, symbols=A,B`);
    if (query.has(key)) throw new ConfigError('--feed', `option ${key} is given twice in ${JSON.stringify(text)}`);
    query.set(key, eq < 0 ? '' : part.slice(eq + 1).trim());
  }
  return Object.freeze({ kind: 'replay', text, files: Object.freeze(files), symbols: symbolsOf(query.get('symbols'), files.length), pace: paceOf(query) });
}

function parseWsSpec(text: string): WsFeedSpec {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError('--feed', `${JSON.stringify(text)} is not a valid URL — use ws://HOST:PORT/PATH[?${WS_OPTIONS.replaceAll(', ', '&')}]`);
  }
  if (url.hostname === '') throw new ConfigError('--feed', `${JSON.stringify(text)} names no host — e.g. ws://127.0.0.1:8080/bars`);
  // The feed's own options are taken out of the URL; any other parameter (a token…) goes to the server.
  const query = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    if (!WS_OPTION_NAMES.includes(key)) continue;
    if (query.has(key)) throw new ConfigError('--feed', `option ${key} is given twice in ${JSON.stringify(text)}`);
    query.set(key, value.trim());
  }
  for (const key of query.keys()) url.searchParams.delete(key);
  const heartbeat = query.get('heartbeat');
  const stale = query.get('stale');
  const attempts = query.get('attempts');
  const reconnect = query.get('reconnect');
  const ticks = query.get('ticks');
  if (ticks !== undefined && !['0', '1', 'true', 'false'].includes(ticks)) throw new ConfigError('--feed', `ticks ${JSON.stringify(ticks)} must be 1 or 0 — ticks=1 aggregates tick and quote messages into 1-minute bars`);
  const whole = attempts === undefined ? WS_DEFAULTS.maxAttempts : Number(attempts);
  if (!Number.isInteger(whole) || whole < 1) throw new ConfigError('--feed', `attempts ${JSON.stringify(attempts)} must be a whole number >= 1, e.g. attempts=20`);
  return Object.freeze({
    kind: 'ws',
    text,
    url: url.href,
    staleMs: stale === undefined ? undefined : positive('stale', stale, 'stale=180000 (ms of silence)'),
    heartbeatMs: heartbeat === undefined ? WS_DEFAULTS.heartbeatMs : heartbeat === '0' ? 0 : positive('heartbeat', heartbeat, 'heartbeat=15000 (ms), or 0 for no pings'),
    reconnectMs: reconnect === undefined ? WS_DEFAULTS.reconnectMs : positive('reconnect', reconnect, 'reconnect=500 (ms before the first retry)'),
    maxAttempts: whole,
    ticks: ticks === '1' || ticks === 'true',
  });
}

function paceOf(query: ReadonlyMap<string, string>): ReplayPace {
  const speed = query.get('speed');
  const rate = query.get('rate');
  if (speed !== undefined && rate !== undefined) throw new ConfigError('--feed', `give speed or rate, not both — ${USE}`);
  if (rate !== undefined) return { kind: 'rate', barsPerSecond: positive('rate', rate, 'rate=10 (bars per second)') };
  if (speed === undefined || speed === 'max') return { kind: 'max' };
  return { kind: 'speed', factor: positive('speed', speed, 'speed=60 (60 × real time) or speed=max') };
}

function positive(name: string, value: string, example: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n) || n <= 0) throw new ConfigError('--feed', `${name} ${JSON.stringify(value)} must be a number > 0, e.g. ${example}`);
  return n;
}

function symbolsOf(value: string | undefined, files: number): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const symbols = value.split(',').map((s) => s.trim());
  if (symbols.length !== files || symbols.some((s) => s === '')) {
    throw new ConfigError('--feed', `symbols=${value} must name one symbol per file (${files} file${files === 1 ? '' : 's'}), in file order`);
  }
  if (new Set(symbols).size !== symbols.length) throw new ConfigError('--feed', `symbols=${value} names a symbol twice — one file per symbol`);
  return Object.freeze(symbols);
}
