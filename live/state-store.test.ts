import Database from 'better-sqlite3';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeBarSeries } from '../engine/bars.js';
import { canonicalJson, paperStateIdentity } from './state-identity.js';
import { STATE_SCHEMA_VERSION } from './state-schema.js';
import { PaperStateStore, STATE_FILE, type BarRow } from './state-store.js';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'replaylab-state-')), 'state');
const bar = (k: number, extra: Partial<BarRow> = {}): BarRow => ({
  symbol: 'SPX', timeMs: Date.UTC(2024, 0, 2 + k), open: 100 + k, high: 101 + k, low: 99 + k, close: 100.1 + k + 0.2, volume: null, extras: null, step: 10 + k, ...extra,
});
const series = (n: number, from = 0) =>
  makeBarSeries({
    symbol: 'SPX',
    timeMs: Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 2 + from + i)),
    open: Float64Array.from({ length: n }, (_, i) => 100 + from + i),
    high: Float64Array.from({ length: n }, (_, i) => 101 + from + i),
    low: Float64Array.from({ length: n }, (_, i) => 99 + from + i),
    close: Float64Array.from({ length: n }, (_, i) => 100 + from + i),
  });

describe('PaperStateStore', () => {
  it('creates the folder and a WAL database at the current schema version, with every table', () => {
    const dir = tmp();
    const store = PaperStateStore.open(dir);
    expect(existsSync(join(dir, STATE_FILE))).toBe(true);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.db.pragma('user_version', { simple: true })).toBe(STATE_SCHEMA_VERSION);
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['alerts', 'bars', 'daily_summary', 'events', 'fills', 'meta', 'orders', 'positions', 'risk', 'steps']);
    expect(store.identity()).toBeUndefined();
    expect(store.counts()).toEqual({ bars: 0, steps: 0, liveSteps: 0, events: 0, lastStep: undefined });
    store.close();
    store.close(); // idempotent
    // Reopening migrates nothing and keeps the version.
    const again = PaperStateStore.open(dir);
    expect(again.db.pragma('user_version', { simple: true })).toBe(STATE_SCHEMA_VERSION);
    again.close();
  });

  it('stores the identity once and reads it back', () => {
    const dir = tmp();
    const identity = paperStateIdentity({ strategy: 'sma-cross', params: { fast: 10 } }, 5, [series(20)]);
    const store = PaperStateStore.open(dir);
    store.begin();
    store.writeIdentity(identity, Date.UTC(2026, 0, 1));
    store.commit();
    store.close();
    const reopened = PaperStateStore.open(dir);
    expect(reopened.identity()).toEqual({ ...identity, symbols: ['SPX'] });
    expect(reopened.db.prepare("SELECT value FROM meta WHERE key = 'created_at'").pluck().get()).toBe('2026-01-01T00:00:00.000Z');
    reopened.close();
  });

  it('appends bars inside transactions: a rolled-back or unfinished one leaves nothing; committed values read back exactly', () => {
    const dir = tmp();
    const store = PaperStateStore.open(dir);
    store.begin();
    store.insertBar(bar(0));
    store.rollback();
    expect(store.counts().bars).toBe(0);

    const rows = [bar(0), bar(1, { volume: 1234.5, extras: { vix: 0.1 + 0.2, signal: null } }), bar(2, { close: Math.PI })];
    for (const row of rows) {
      store.begin();
      store.insertBar(row);
      store.insertStep(row.step, row.timeMs, true, 100_000 + 1 / 3, 50_000, 1);
      store.commit();
    }
    store.begin();
    store.insertBar(bar(3)); // a step that never completed: dropped by close()
    store.close();

    const reopened = PaperStateStore.open(dir);
    expect(reopened.bars()).toEqual(rows);
    expect(reopened.counts()).toEqual({ bars: 3, steps: 3, liveSteps: 3, events: 0, lastStep: { step: 12, equity: 100_000 + 1 / 3 } });
    // Another reader sees the committed rows while the store is open (WAL).
    const reader = new Database(join(dir, STATE_FILE), { readonly: true });
    expect(reader.prepare('SELECT time FROM bars ORDER BY seq').pluck().all()).toEqual(['2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z', '2024-01-04T00:00:00.000Z']);
    reader.close();
    reopened.close();
  });

  it('refuses a second row for one symbol and time', () => {
    const store = PaperStateStore.open(tmp());
    store.begin();
    store.insertBar(bar(0));
    expect(() => store.insertBar({ ...bar(0), step: 99 })).toThrow(/UNIQUE constraint failed: bars.symbol, bars.time_ms/);
    store.close();
  });

  it('refuses a state written by a newer schema', () => {
    const dir = tmp();
    PaperStateStore.open(dir).close();
    const db = new Database(join(dir, STATE_FILE));
    db.pragma(`user_version = ${STATE_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => PaperStateStore.open(dir)).toThrow(new RegExp(`state schema version ${STATE_SCHEMA_VERSION + 1} is newer than this replaylab's \\(${STATE_SCHEMA_VERSION}\\) — upgrade replaylab`));
  });
});

describe('paperStateIdentity', () => {
  it('depends on the run spec and warm-up (not on key order), on the warm-up bars and on where the history ends', () => {
    const base = paperStateIdentity({ strategy: 'sma-cross', params: { fast: 10, slow: 30 } }, 5, [series(20)]);
    expect(paperStateIdentity({ params: { slow: 30, fast: 10 }, strategy: 'sma-cross' }, 5, [series(20)])).toEqual(base);
    expect(paperStateIdentity({ strategy: 'sma-cross', params: { fast: 11, slow: 30 } }, 5, [series(20)]).configDigest).not.toBe(base.configDigest);
    expect(paperStateIdentity({ strategy: 'sma-cross', params: { fast: 10, slow: 30 } }, 6, [series(20)]).configDigest).not.toBe(base.configDigest);
    // Same last 5 bars, other history before them: the same warm-up.
    expect(paperStateIdentity({ strategy: 'sma-cross', params: { fast: 10, slow: 30 } }, 5, [series(15, 5)]).warmupDigest).toBe(base.warmupDigest);
    // One more history bar: another warm-up and another history end.
    expect(paperStateIdentity({ strategy: 'sma-cross', params: { fast: 10, slow: 30 } }, 5, [series(21)]).warmupDigest).not.toBe(base.warmupDigest);
    expect(base.warmupBars).toBe(5);
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: undefined, z: null })).toBe('{"b":[{"c":2,"d":1}],"z":null}');
  });
});
