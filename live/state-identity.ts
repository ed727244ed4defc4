import { createHash } from 'node:crypto';
import { sliceBars, type BarSeries } from '../engine/bars.js';

/**
 * What a paper state belongs to, stored when the state is created and checked on every restart:
 * the persisted live bars only rebuild the same run on top of the same config and warm-up.
 */
export interface PaperStateIdentity {
  /** sha256 (hex) of {@link canonicalConfig}: everything the run depends on except its bars. */
  readonly configDigest: string;
  /** The canonical JSON the digest is taken of (stored so a mismatch can be shown). */
  readonly configJson: string;
  /** sha256 (hex) of the warm-up bars (every column) and of where each symbol's history ends. */
  readonly warmupDigest: string;
  /** Warm-up bars, all symbols. */
  readonly warmupBars: number;
  /** Symbols in stream order. */
  readonly symbols: readonly string[];
}

/**
 * The identity of a paper run: `runSpec` is the config's parsed run spec (data, strategy, params,
 * options) — its name and provenance may change between restarts, nothing else may; `history`
 * is the config's data as loaded, and `warmupBars` the config's `warmup.bars` (undefined = all).
 */
export function paperStateIdentity(runSpec: unknown, warmupBars: number | undefined, history: readonly BarSeries[]): PaperStateIdentity {
  const configJson = canonicalJson({ runSpec, warmupBars: warmupBars ?? null });
  const hash = createHash('sha256').update('replaylab-paper-warmup-v1\n');
  let bars = 0;
  for (const series of history) {
    const warmup = sliceBars(series, Math.max(0, series.length - (warmupBars ?? series.length)), series.length);
    bars += warmup.length;
    const historyEndMs = series.length > 0 ? series.timeMs[series.length - 1]! : null;
    hash.update(`${JSON.stringify({ symbol: series.symbol, bars: warmup.length, historyEndMs, extras: Object.keys(warmup.extras), volume: warmup.volume !== undefined })}\n`);
    for (const column of [warmup.timeMs, warmup.open, warmup.high, warmup.low, warmup.close, warmup.volume, ...Object.values(warmup.extras)]) {
      if (column !== undefined) hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
    }
  }
  return Object.freeze({
    configDigest: sha256(configJson),
    configJson,
    warmupDigest: hash.digest('hex'),
    warmupBars: bars,
    symbols: Object.freeze(history.map((s) => s.symbol)),
  });
}

/** JSON with object keys sorted at every level (arrays keep their order); `undefined` fields dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
