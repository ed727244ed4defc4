import { isAbsolute, resolve } from 'node:path';
import type { BarSeries } from '../engine/bars.js';
import { loadBars } from '../data/load.js';
import type { BarMessage, Feed, FeedEvents, FeedMessage } from './feed.js';
import type { ReplayFeedSpec, ReplayPace } from './feed-spec.js';
import { wallClock, type WaitingClock } from './wall-clock.js';

/** Messages played between two yields to the event loop when nothing waits (so Ctrl-C gets through). */
const YIELD_EVERY = 256;

/** Options of {@link openReplayFeed}. */
export interface ReplayFeedOptions {
  /** Folder relative file names are resolved against; default the working directory. */
  readonly baseDir?: string;
  /** Default {@link wallClock}; tests pass a fake one. */
  readonly clock?: WaitingClock;
  /**
   * Bars at or before this time (epoch ms) are played at once, without pacing: the history a
   * paper run already has from its warm-up. Pacing starts at the first bar after it. Default: none.
   */
  readonly paceAfterMs?: number;
}

/**
 * Loads the spec's files with `data/load.ts` — the same validation as a backtest, so a bad row
 * fails here with file, line and reason (`DataError`) — and returns a feed that plays them.
 */
export async function openReplayFeed(spec: ReplayFeedSpec, options: ReplayFeedOptions = {}): Promise<ReplayFeed> {
  const series: BarSeries[] = [];
  for (const [i, file] of spec.files.entries()) {
    const path = isAbsolute(file) ? file : resolve(options.baseDir ?? process.cwd(), file);
    series.push((await loadBars(path, { symbol: spec.symbols?.[i] })).bars);
  }
  return new ReplayFeed(spec.text, series, spec.pace, options.clock ?? wallClock, options.paceAfterMs ?? Number.NEGATIVE_INFINITY);
}

/**
 * A bar file played as a live feed: the bars of all its series merged by (time, file order) — the
 * order a backtest steps them in — each one a {@link BarMessage}, paced by a {@link WaitingClock}.
 * With `speed=N` the wall time from the first paced bar to bar b is `(b.time − first.time) ÷ N`;
 * with `rate=N` the k-th paced bar is due `k ÷ N` seconds after the first. Targets are absolute, so
 * waits do not accumulate drift. The feed never warns and is never stale.
 */
export class ReplayFeed implements Feed {
  readonly symbols: readonly string[];
  private readonly stop = new AbortController();

  constructor(
    readonly description: string,
    private readonly series: readonly BarSeries[],
    private readonly pace: ReplayPace,
    private readonly clock: WaitingClock,
    private readonly paceAfterMs: number,
  ) {
    this.symbols = Object.freeze(series.map((s) => s.symbol));
  }

  /** Bars in the feed, all symbols. */
  get length(): number {
    return this.series.reduce((n, s) => n + s.length, 0);
  }

  close(): void {
    this.stop.abort();
  }

  async *messages(_events: FeedEvents): AsyncGenerator<FeedMessage> {
    const { clock, pace } = this;
    const signal = this.stop.signal;
    let originWallMs = Number.NaN;
    let originBarMs = Number.NaN;
    let paced = 0;
    let sinceYield = 0;
    for (const [s, i] of mergedOrder(this.series)) {
      if (signal.aborted) return;
      const bars = this.series[s]!;
      const timeMs = bars.timeMs[i]!;
      let waited = false;
      if (pace.kind !== 'max' && timeMs > this.paceAfterMs) {
        if (paced === 0) {
          originWallMs = clock.nowMs();
          originBarMs = timeMs;
        }
        const dueMs = originWallMs + (pace.kind === 'speed' ? (timeMs - originBarMs) / pace.factor : (paced * 1000) / pace.barsPerSecond);
        paced++;
        const waitMs = dueMs - clock.nowMs();
        if (waitMs > 0) {
          await clock.sleep(waitMs, signal);
          waited = true;
        }
      }
      if (!waited && ++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await clock.sleep(0, signal);
      }
      if (signal.aborted) return;
      yield barMessageAt(bars, i);
    }
  }
}

/** [series, index] pairs in (time, series order): the backtest's merge. */
function* mergedOrder(series: readonly BarSeries[]): Generator<readonly [number, number]> {
  const cursor = new Int32Array(series.length);
  for (;;) {
    let best = -1;
    let bestMs = Number.POSITIVE_INFINITY;
    for (let s = 0; s < series.length; s++) {
      const c = cursor[s]!;
      if (c < series[s]!.length && series[s]!.timeMs[c]! < bestMs) {
        bestMs = series[s]!.timeMs[c]!;
        best = s;
      }
    }
    if (best < 0) return;
    yield [best, cursor[best]!++];
  }
}

/** Bar `i` of `bars` as a feed message (what a replay feed sends). */
export function barMessageAt(bars: BarSeries, i: number): BarMessage {
  const extras: Record<string, number> = {};
  for (const [name, column] of Object.entries(bars.extras)) extras[name] = column[i]!;
  return {
    symbol: bars.symbol,
    timeMs: bars.timeMs[i]!,
    open: bars.open[i]!,
    high: bars.high[i]!,
    low: bars.low[i]!,
    close: bars.close[i]!,
    ...(bars.volume === undefined ? {} : { volume: bars.volume[i]! }),
    extras,
  };
}
