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

/** A parsed `--feed` value. A union so that other feeds (a WebSocket) can join it. */
export type FeedSpec = ReplayFeedSpec;

const USE = 'use replay:FILE?speed=max|N or replay:FILE?rate=N';
const OPTIONS = ['speed', 'rate', 'symbols'];

/**
 * Parses a `--feed` value. `replay:FILE` plays a bar file (`.csv`, `.arrow`, `.parquet`) as a live
 * feed: `?speed=max` (the default) as fast as possible, `?speed=N` at N × real time, `?rate=N` at N
 * bars per second. Several files (one symbol each) are separated by commas and merged by time;
 * `symbols=A,B` names their symbols in file order.
 * @throws ConfigError with path `--feed` naming the problem and the accepted forms.
 */
export function parseFeedSpec(text: string): FeedSpec {
  const match = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(text);
  if (match === null || match[1]!.toLowerCase() !== 'replay') throw new ConfigError('--feed', `unknown feed ${JSON.stringify(text)} — ${USE}`);
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
