import type { ParamSchema } from '../engine/params.js';
import type { BarMessage } from './feed.js';
import { PaperSession, type PaperSessionInput } from './paper-session.js';
import type { PaperStateIdentity } from './state-identity.js';
import { StateJournal } from './state-journal.js';
import { PaperStateError, PaperStateStore, type BarRow } from './state-store.js';
import { wallClock } from './wall-clock.js';

/** A paper session backed by a state directory. */
export interface StatefulSession<S extends ParamSchema = ParamSchema> {
  readonly session: PaperSession<S>;
  readonly store: PaperStateStore;
  /** True when the state was created by this call (nothing was persisted before). */
  readonly created: boolean;
  /** Live bars rebuilt from the state (0 for a new state). */
  readonly resumedBars: number;
}

/**
 * Opens the paper state in `dir` and builds the session on it. A new state stores `identity` and
 * the warm-up's derived rows (one transaction). An existing one must have been made with the same
 * identity (else {@link PaperStateError} `mismatch`, naming what changed); its run is rebuilt by
 * replaying the warm-up and then every persisted live bar through the same engine — the same
 * positions, working orders, risk state and cumulative R as before the stop — and checked against
 * the stored step, event and equity figures (`corrupt` when they differ). From then on bars the
 * run has taken are skipped when the feed sends them again (`PaperSession.skipTakenBars`).
 *
 * The session's engine keeps its events (`keepEvents` is forced on: the journal reads them); a
 * caller that runs long should empty `session.engine.events` after each step once every reader
 * has read it. Close the store when the run is finished (`store.close()`).
 */
export function openStatefulSession<S extends ParamSchema>(dir: string, identity: PaperStateIdentity, input: PaperSessionInput<S>): StatefulSession<S> {
  const store = PaperStateStore.open(dir);
  try {
    const stored = store.identity();
    if (stored !== undefined) checkIdentity(dir, stored, identity);
    const journal = new StateJournal(store, { replaying: stored !== undefined });
    if (stored === undefined) {
      store.begin();
      store.writeIdentity(identity, wallClock.nowMs());
    }
    const session = new PaperSession<S>({ ...input, keepEvents: true, journal });
    if (stored === undefined) {
      store.commit();
      return { session, store, created: true, resumedBars: 0 };
    }
    const resumedBars = replayBars(dir, store, session, journal);
    journal.replaying = false;
    return { session, store, created: false, resumedBars };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** Feeds the persisted bars to the session (writing nothing) and checks the run came out the same. */
function replayBars(dir: string, store: PaperStateStore, session: PaperSession, journal: StateJournal): number {
  const rows = store.bars();
  const corrupt = (what: string): PaperStateError =>
    new PaperStateError(`--state ${dir}: ${what} — the state does not rebuild the run it recorded (a changed replaylab or strategy?); start a new --state directory`, 'corrupt');
  for (const [k, row] of rows.entries()) {
    const outcome = session.accept(messageOf(row));
    if (outcome === 'rejected' || outcome === 'skipped') throw corrupt(`persisted bar ${k + 1} (${row.symbol} at ${new Date(row.timeMs).toISOString()}) was ${outcome} on replay`);
    // The journal has counted them and nobody else reads replayed events: keep memory flat.
    session.engine.events.length = 0;
  }
  // The bars of the last step were all stepped before the stop, even those whose timestamp was
  // not complete (a clean stop steps what is pending): step them the same way.
  if (session.liveBars < rows.length) session.flush();
  const counts = store.counts();
  const last = counts.lastStep;
  const step = session.engine.clock.step;
  if (journal.steps !== counts.steps || (last?.step ?? -1) !== step) throw corrupt(`replay made ${journal.steps} steps, the state has ${counts.steps}`);
  if (journal.eventCount !== counts.events) throw corrupt(`replay made ${journal.eventCount} events, the state has ${counts.events}`);
  if (last !== undefined && last.equity !== session.equity) throw corrupt(`equity after step ${step} is ${session.equity} on replay, ${last.equity} in the state`);
  if (rows.length > 0) session.skipTakenBars();
  return rows.length;
}

/** A persisted bar as the feed message it was. */
function messageOf(row: BarRow): BarMessage {
  const extras = row.extras === null ? undefined : (row.extras as Record<string, number>);
  return {
    symbol: row.symbol,
    timeMs: row.timeMs,
    open: row.open,
    high: row.high,
    low: row.low,
    close: row.close,
    ...(row.volume === null ? {} : { volume: row.volume }),
    ...(extras === undefined ? {} : { extras }),
  };
}

/** Refuses a state made by another config or warm-up, naming what changed. */
function checkIdentity(dir: string, stored: PaperStateIdentity, current: PaperStateIdentity): void {
  const fix = `run it with the config it was made with, or give a new --state directory`;
  if (stored.configDigest !== current.configDigest) {
    const changed = changedFields(stored.configJson, current.configJson);
    throw new PaperStateError(
      `--state ${dir} belongs to another config: its digest is ${stored.configDigest.slice(0, 12)}…, this config's ${current.configDigest.slice(0, 12)}…` +
        `${changed.length > 0 ? ` (changed: ${changed.join(', ')})` : ''} — ${fix}`,
      'mismatch',
    );
  }
  if (stored.warmupDigest !== current.warmupDigest) {
    throw new PaperStateError(
      `--state ${dir} was made from other warm-up bars (${stored.warmupBars} then, ${current.warmupBars} now): the config's data changed since — ${fix}`,
      'mismatch',
    );
  }
}

/** Dotted paths (two levels: `runSpec.params`) whose JSON differs between two canonical configs. */
function changedFields(before: string, after: string): string[] {
  const parse = (text: string): Record<string, unknown> => {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const changed: string[] = [];
  const compare = (a: Record<string, unknown>, b: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const x = a[key];
      const y = b[key];
      if (JSON.stringify(x) === JSON.stringify(y)) continue;
      const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
      if (depth > 0 && isObject(x) && isObject(y)) compare(x, y, `${prefix}${key}.`, depth - 1);
      else changed.push(`${prefix}${key}`);
    }
  };
  compare(parse(before), parse(after), '', 2);
  return changed.map((path) => path.replace(/^runSpec\./, ''));
}
