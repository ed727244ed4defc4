import type { Alert, AlertSink } from './alerts.js';

/** How many alerts the status page shows. */
export const RECENT_ALERTS = 50;

/** A sink that keeps the last `limit` alerts in memory — the status page's "recent alerts". */
export class RecentAlerts implements AlertSink {
  private readonly ring: (Alert | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly limit = RECENT_ALERTS) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`limit must be a whole number >= 1, was ${limit}`);
    this.ring = new Array<Alert | undefined>(limit);
  }

  send(alert: Alert): void {
    this.ring[this.next] = alert;
    this.next = (this.next + 1) % this.limit;
    this.count = Math.min(this.count + 1, this.limit);
  }

  /** The kept alerts, oldest first (a copy). */
  list(): Alert[] {
    const out: Alert[] = [];
    for (let k = this.count; k > 0; k--) out.push(this.ring[(this.next - k + this.limit) % this.limit]!);
    return out;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
