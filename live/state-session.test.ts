import Database from 'better-sqlite3';
import { messagesOf } from './test-support.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sliceBars, type BarSeries } from '../engine/bars.js';
import type { EngineOptions } from '../engine/engine-config.js';
import type { StrategyDefinition } from '../engine/strategy.js';
import { intradayBars } from '../strategies/intraday-synth.js';
import { smaCross } from '../strategies/sma-cross.js';
import { swingBreak } from '../strategies/swing-break.js';
import { loadSp500 } from '../strategies/test-support.js';
import { PaperSession } from './paper-session.js';
import { paperStateIdentity } from './state-identity.js';
import { openStatefulSession, type StatefulSession } from './state-session.js';
import { PaperStateError, STATE_FILE } from './state-store.js';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'replaylab-resume-')), 'state');


interface Case {
  readonly data: readonly BarSeries[];
  readonly history: number;
  readonly warmupBars: number | undefined;
  readonly strategy: StrategyDefinition;
  readonly params: Record<string, unknown>;
  readonly options: EngineOptions;
}

const CASES: Record<string, () => Case> = {
  'sma-cross on the S&P 500': () => ({ data: [sliceBars(loadSp500(), 0, 1500)], history: 1000, warmupBars: 200, strategy: smaCross as unknown as StrategyDefinition, params: { fast: 10, slow: 30 }, options: {} }),
  'swing-break on 3 intraday symbols with a risk block': () => ({
    data: intradayBars({ symbols: ['CE1', 'CE2', 'PE1'], sessions: 5, seed: 7, startPrices: [180, 220, 200], minuteVol: 0.006 }),
    history: 700,
    warmupBars: 650,
    strategy: swingBreak as unknown as StrategyDefinition,
    params: { groups: 'CE1:CE,CE2:CE,PE1:PE' },
    options: { initialCapital: 1_000_000, risk: { maxOpenPositions: 2, maxPositionsPer: { group: 1 }, groups: { CE1: 'CE', CE2: 'CE', PE1: 'PE' }, dailyLossR: 5, dailyProfitR: 5, riskPerTrade: 1000 } },
  }),
};

function open(dir: string, c: Case, params = c.params): StatefulSession {
  const history = c.data.map((s) => sliceBars(s, 0, c.history));
  const identity = paperStateIdentity({ strategy: c.strategy.name, params, options: c.options }, c.warmupBars, history);
  return openStatefulSession(dir, identity, { history, warmupBars: c.warmupBars, strategy: c.strategy, params, options: c.options, keepSeries: false });
}

/** Every table but `meta` (its creation time differs), rows in key order. */
function dump(dir: string): Record<string, unknown[]> {
  const db = new Database(join(dir, STATE_FILE), { readonly: true });
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'meta' ORDER BY name").pluck().all() as string[];
  const out = Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()]));
  db.close();
  return out;
}

/** Runs all messages through a new state and finishes; the uninterrupted reference. */
function uninterrupted(c: Case): { dir: string; digest: string } {
  const dir = tmp();
  const { session, store } = open(dir, c);
  for (const m of messagesOf(c.data)) session.accept(m);
  const digest = session.finish().digest;
  store.close();
  return { dir, digest };
}

describe('openStatefulSession: a run killed at any point and restarted is the uninterrupted run', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(name, () => {
      const c = make();
      const reference = uninterrupted(c);
      const expected = dump(reference.dir);
      const messages = messagesOf(c.data);
      const live = messages.length - c.history * c.data.length;
      // Kill points: history only, inside the live bars (a multi-symbol run is killed between the bars of one time too), at the end.
      for (const taken of [c.history * c.data.length - 1, c.history * c.data.length + Math.floor(live / 3) + 1, messages.length - 7, messages.length]) {
        const dir = tmp();
        const first = open(dir, c);
        for (const m of messages.slice(0, taken)) first.session.accept(m);
        // A kill: no finish, no commit of a step in progress; the connection just goes away.
        first.store.db.close();

        const second = open(dir, c);
        expect(second.created).toBe(false);
        expect(second.resumedBars).toBeGreaterThanOrEqual(Math.max(0, taken - c.history * c.data.length - c.data.length));
        // The feed restarts at its beginning: what the run took before is skipped, never rejected.
        const outcomes = messages.map((m) => second.session.accept(m));
        expect(outcomes.filter((o) => o === 'rejected')).toEqual([]);
        expect(second.session.finish().digest).toBe(reference.digest);
        second.store.close();
        expect(dump(dir)).toEqual(expected);
      }
    });
  }

  it('a clean stop in the middle of a timestamp (some symbols still to come) resumes exactly where it stopped', () => {
    const c = CASES['swing-break on 3 intraday symbols with a risk block']!();
    const messages = messagesOf(c.data);
    const dir = tmp();
    const first = open(dir, c);
    const stopAt = c.history * 3 + 301; // 100 full timestamps, then the first symbol of the next
    for (const m of messages.slice(0, stopAt)) first.session.accept(m);
    const stopped = first.session.finish(); // steps the lone bar, as SIGINT does
    first.store.close();

    const second = open(dir, c);
    expect(second.resumedBars).toBe(301);
    expect(second.session.engine.clock.step).toBe(first.session.engine.clock.step);
    expect(second.session.equity).toBe(first.session.equity);
    // The other symbols' bars of that time come too late now: skipped like every re-sent bar.
    for (const m of messages.slice(0, stopAt + 2)) expect(second.session.accept(m)).toBe('skipped');
    expect(second.session.rejectedMessages).toBe(0);
    expect(second.session.finish().digest).toBe(stopped.digest);
    second.store.close();
  });

  it('refuses a state made by another config, naming what changed (mismatch), and one made from other warm-up bars', () => {
    const c = CASES['sma-cross on the S&P 500']!();
    const dir = tmp();
    open(dir, c).store.close();
    expect(() => open(dir, c, { fast: 12, slow: 30 })).toThrow(/belongs to another config: its digest is [0-9a-f]{12}…, this config's [0-9a-f]{12}… \(changed: params\.fast\) — run it with the config it was made with, or give a new --state directory/);
    expect(() => open(dir, { ...c, history: 1001 })).toThrow(/was made from other warm-up bars \(200 then, 200 now\): the config's data changed since/);
    try {
      open(dir, c, { fast: 12, slow: 30 });
    } catch (error) {
      expect(error).toBeInstanceOf(PaperStateError);
      expect((error as PaperStateError).kind).toBe('mismatch');
    }
    // The refused opens changed nothing: the right config still opens it.
    open(dir, c).store.close();
  });

  it('refuses a state whose replay does not give what it recorded (corrupt)', () => {
    const c = CASES['sma-cross on the S&P 500']!();
    const dir = tmp();
    const first = open(dir, c);
    for (const m of messagesOf(c.data).slice(0, 1200)) first.session.accept(m);
    first.store.close();
    const db = new Database(join(dir, STATE_FILE));
    db.prepare('UPDATE steps SET equity = equity + 0.01 WHERE step = (SELECT MAX(step) FROM steps)').run();
    db.close();
    expect(() => open(dir, c)).toThrow(/equity after step 399 is [\d.]+ on replay, [\d.]+ in the state — the state does not rebuild the run it recorded/);
  });

  it('a new state holds the warm-up; a session without live bars resumes to the same place', () => {
    const c = CASES['sma-cross on the S&P 500']!();
    const dir = tmp();
    const first = open(dir, c);
    expect(first.created).toBe(true);
    const equity = first.session.equity;
    first.store.close();
    const second = open(dir, c);
    expect([second.created, second.resumedBars, second.session.equity]).toEqual([false, 0, equity]);
    expect(second.session.engine.clock.step).toBe(199);
    second.store.close();
    expect(new PaperSession({ history: [sliceBars(c.data[0]!, 0, c.history)], warmupBars: 200, strategy: c.strategy, params: c.params }).equity).toBe(equity);
  });
});
