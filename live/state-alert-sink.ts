import type { Alert, AlertSink } from './alerts.js';
import { iso, type PaperStateStore } from './state-store.js';

/**
 * The alerts of a run with `--state`, stored in its `alerts` table as they are raised (synchronous
 * inserts: SQLite in WAL mode takes a row in microseconds, and the run's step is already committed
 * when alerts are raised). A restart raises no alerts for the bars it replays, so none is stored twice.
 */
export class StateAlertSink implements AlertSink {
  private readonly insert;

  constructor(store: PaperStateStore) {
    this.insert = store.db.prepare('INSERT INTO alerts (step, time_ms, time, kind, symbol, reason, message, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  }

  send(alert: Alert): void {
    const known = Number.isFinite(alert.timeMs);
    this.insert.run(alert.step, known ? alert.timeMs : null, known ? iso(alert.timeMs) : null, alert.kind, alert.symbol ?? null, alert.reason ?? null, alert.message, JSON.stringify(alert));
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
