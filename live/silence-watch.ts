/** Gaps shorter than this are one burst (the bars of several symbols at one time), not a gap, ms. */
export const BURST_MS = 250;
/** The shortest threshold {@link SilenceWatch} derives from the gaps it saw, ms. */
export const MIN_STALE_MS = 1000;
/** Gaps a derived threshold is the median of (the latest ones). */
const GAPS_KEPT = 32;
/** Gaps needed before a threshold is derived. */
const GAPS_NEEDED = 3;

/**
 * Tells when a feed has gone quiet: `onStale(silentMs)` once per silence longer than the threshold,
 * again only after a message and a new silence (the `FeedEvents.stale` contract). The threshold is
 * given, or 3 × the typical gap between messages: the median of the latest 32 gaps of at least
 * {@link BURST_MS} (so the bars of many symbols arriving together count as one), at least
 * {@link MIN_STALE_MS}; none until 3 such gaps were seen — a feed's rhythm is unknown before.
 */
export class SilenceWatch {
  private lastMs = Number.NaN;
  private reported = false;
  /** True: the next gap spans a start or a reconnect and says nothing about the feed's rhythm. */
  private skipGap = true;
  private readonly gaps: number[] = [];
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly fixedMs: number | undefined,
    private readonly onStale: (silentMs: number) => void,
    private readonly nowMs: () => number,
  ) {}

  /** The silence after which the feed is stale, ms; undefined while no rhythm is known. */
  get thresholdMs(): number | undefined {
    if (this.fixedMs !== undefined) return this.fixedMs;
    if (this.gaps.length < GAPS_NEEDED) return undefined;
    const sorted = [...this.gaps].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return Math.max(MIN_STALE_MS, 3 * median);
  }

  /** Starts watching: the silence counts from now. */
  start(): void {
    this.running = true;
    this.lastMs = this.nowMs();
    this.arm();
  }

  /** A message arrived. */
  heard(): void {
    const now = this.nowMs();
    const gap = now - this.lastMs;
    if (!this.skipGap && gap >= BURST_MS) {
      this.gaps[this.next] = gap;
      this.next = (this.next + 1) % GAPS_KEPT;
    }
    this.skipGap = false;
    this.lastMs = now;
    this.reported = false;
    if (this.timer === undefined) this.arm();
  }

  /** The connection was re-opened: the gap to the next message is an outage, not the feed's rhythm. */
  reconnected(): void {
    this.skipGap = true;
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One timer at a time, due when the current silence would reach the threshold. */
  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const threshold = this.thresholdMs;
    if (!this.running || this.reported || threshold === undefined) return;
    const dueInMs = Math.max(0, this.lastMs + threshold - this.nowMs());
    this.timer = setTimeout(() => this.check(), dueInMs);
    // The socket keeps the process alive; a watch alone never should.
    this.timer.unref();
  }

  private check(): void {
    this.timer = undefined;
    const threshold = this.thresholdMs;
    if (!this.running || threshold === undefined) return;
    const silentMs = this.nowMs() - this.lastMs;
    if (silentMs >= threshold && !this.reported) {
      this.reported = true;
      this.onStale(silentMs);
      return;
    }
    this.arm();
  }
}
