import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PaperStateIdentity } from './state-identity.js';
import { MIGRATIONS, STATE_SCHEMA_VERSION } from './state-schema.js';

/** The database file inside a state directory. */
export const STATE_FILE = 'paper.sqlite';

/** A live bar as persisted (`bars` table). Values are exactly the bar the run took. */
export interface BarRow {
  readonly symbol: string;
  readonly timeMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** null when the message had none. */
  readonly volume: number | null;
  /** Extra columns as sent (null = no value), or null when there were none. */
  readonly extras: Readonly<Record<string, number | null>> | null;
  /** The engine step that takes the bar. */
  readonly step: number;
}

/** What a state holds, in counts (for checking a replay against it). */
export interface StateCounts {
  readonly bars: number;
  readonly steps: number;
  readonly liveSteps: number;
  readonly events: number;
  /** Last step and its equity, undefined before the first step. */
  readonly lastStep: { readonly step: number; readonly equity: number } | undefined;
}

/** Why a state cannot be used: another run's (`mismatch`, a usage error) or damaged (`corrupt`). */
export class PaperStateError extends Error {
  constructor(
    message: string,
    readonly kind: 'mismatch' | 'corrupt',
  ) {
    super(message);
    this.name = 'PaperStateError';
  }
}

/**
 * A paper run's SQLite store: `DIR/paper.sqlite`, WAL journal, `synchronous=FULL` — each commit is
 * on disk before the next bar is taken, so a state survives a killed process and a power loss
 * alike (measured: ~0.13 ms per commit; live bars come seconds apart). One writer (this process);
 * any SQLite client may read while it runs. Writes go through the prepared statements below,
 * inside the transaction {@link begin} opens; see `state-schema.ts` for the tables.
 */
export class PaperStateStore {
  /** The connection (for reads, and the derived tables' writers). */
  readonly db: Database.Database;
  private readonly insertBarStatement: Database.Statement;
  private readonly insertStepStatement: Database.Statement;

  private constructor(
    /** The database file. */
    readonly file: string,
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    migrate(this.db, file);
    this.insertBarStatement = this.db.prepare(
      'INSERT INTO bars (symbol, time_ms, time, open, high, low, close, volume, extras, step) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertStepStatement = this.db.prepare('INSERT INTO steps (step, time_ms, time, live, equity, cash, open_positions) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  /** Opens (creating the folder and file when missing) and migrates the state in `dir`. */
  static open(dir: string): PaperStateStore {
    mkdirSync(dir, { recursive: true });
    return new PaperStateStore(join(dir, STATE_FILE));
  }

  /** The identity stored when the state was created, or undefined for a new state. */
  identity(): PaperStateIdentity | undefined {
    const rows = this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
    const meta = new Map(rows.map((r) => [r.key, r.value]));
    const configDigest = meta.get('config_digest');
    if (configDigest === undefined) return undefined;
    return {
      configDigest,
      configJson: meta.get('config_json') ?? '',
      warmupDigest: meta.get('warmup_digest') ?? '',
      warmupBars: Number(meta.get('warmup_bars')),
      symbols: JSON.parse(meta.get('symbols') ?? '[]') as string[],
    };
  }

  /** Stores the identity of a new state (inside the transaction that writes its warm-up). */
  writeIdentity(identity: PaperStateIdentity, createdAtMs: number): void {
    const put = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    put.run('config_digest', identity.configDigest);
    put.run('config_json', identity.configJson);
    put.run('warmup_digest', identity.warmupDigest);
    put.run('warmup_bars', String(identity.warmupBars));
    put.run('symbols', JSON.stringify(identity.symbols));
    put.run('created_at', new Date(createdAtMs).toISOString());
  }

  /** True while a transaction is open. */
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  /** Opens a write transaction unless one is open. */
  begin(): void {
    if (!this.db.inTransaction) this.db.exec('BEGIN IMMEDIATE');
  }

  /** Commits the open transaction, if any (durable when this returns). */
  commit(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
  }

  /** Drops the open transaction, if any. */
  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  /** Appends a live bar (before the step that takes it). */
  insertBar(row: BarRow): void {
    this.insertBarStatement.run(row.symbol, row.timeMs, iso(row.timeMs), row.open, row.high, row.low, row.close, row.volume, row.extras === null ? null : JSON.stringify(row.extras), row.step);
  }

  /** Records a step: its time, phase, and the account at its close. */
  insertStep(step: number, timeMs: number, live: boolean, equity: number, cash: number, openPositions: number): void {
    this.insertStepStatement.run(step, timeMs, iso(timeMs), live ? 1 : 0, equity, cash, openPositions);
  }

  /** Every persisted live bar, in the order the run took them. */
  bars(): BarRow[] {
    const rows = this.db.prepare('SELECT symbol, time_ms, open, high, low, close, volume, extras, step FROM bars ORDER BY seq').all() as {
      symbol: string; time_ms: number; open: number; high: number; low: number; close: number; volume: number | null; extras: string | null; step: number;
    }[];
    return rows.map((r) => ({
      symbol: r.symbol,
      timeMs: r.time_ms,
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      volume: r.volume,
      extras: r.extras === null ? null : (JSON.parse(r.extras) as Record<string, number | null>),
      step: r.step,
    }));
  }

  /** Row counts and the last step, to check a replay against. */
  counts(): StateCounts {
    const count = (sql: string): number => (this.db.prepare(sql).pluck().get() as number | null) ?? 0;
    const last = this.db.prepare('SELECT step, equity FROM steps ORDER BY step DESC LIMIT 1').get() as { step: number; equity: number } | undefined;
    return {
      bars: count('SELECT COUNT(*) FROM bars'),
      steps: count('SELECT COUNT(*) FROM steps'),
      liveSteps: count('SELECT COUNT(*) FROM steps WHERE live = 1'),
      events: count('SELECT COUNT(*) FROM events'),
      lastStep: last === undefined ? undefined : { step: last.step, equity: last.equity },
    };
  }

  /** Drops an unfinished transaction (a step that never completed), checkpoints the WAL and closes. Idempotent. */
  close(): void {
    if (!this.db.open) return;
    this.rollback();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}

/** Brings a state to {@link STATE_SCHEMA_VERSION}, one migration per transaction. */
function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > STATE_SCHEMA_VERSION) {
    db.close();
    throw new PaperStateError(`${file}: state schema version ${version} is newer than this replaylab's (${STATE_SCHEMA_VERSION}) — upgrade replaylab`, 'mismatch');
  }
  for (let v = version; v < STATE_SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/** ISO 8601 UTC. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
