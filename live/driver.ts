import type { BacktestResult } from '../engine/backtest.js';
import type { Feed, FeedEvents } from './feed.js';
import type { PaperSession } from './paper-session.js';

/** Why a paper run ended. */
export type PaperStop =
  /** The feed ended (a replay reached the end of its files). */
  | 'feed-ended'
  /** The run was stopped (`signal` aborted: Ctrl-C, SIGTERM). */
  | 'interrupted'
  /** The feed threw; `feedError` says why. */
  | 'feed-failed';

/** Options of {@link drivePaper}. */
export interface DriveOptions {
  /** Aborting stops reading the feed (it is closed); the run then finishes with the bars it has. */
  readonly signal?: AbortSignal;
  /** Called after every step on live bars (cheap to call; rate-limit any printing yourself). */
  readonly onStep?: (session: PaperSession) => void;
  /** The feed's own warnings and staleness notices, one line each. Default: none. */
  readonly log?: (line: string) => void;
}

/** A finished paper run. */
export interface PaperOutcome {
  /** The run, exactly as `runBacktest` would report it over the same bars (same digest definition). */
  readonly result: BacktestResult;
  readonly stop: PaperStop;
  readonly feedError: Error | undefined;
}

/**
 * The async live driver: takes a session whose warm-up is done and feeds it the feed's messages
 * until the feed ends, fails, or `signal` aborts; then steps what is still pending and finishes
 * the run (`finishRun`). Each message goes through `PaperSession.accept`, which validates, merges
 * and steps; this loop only moves messages and watches for the stop.
 */
export async function drivePaper(session: PaperSession, feed: Feed, options: DriveOptions = {}): Promise<PaperOutcome> {
  const { signal, onStep } = options;
  const log = options.log ?? (() => {});
  const events: FeedEvents = {
    warning: (message) => log(`feed: ${message}`),
    stale: (silentMs) => log(`feed: no bar for ${(silentMs / 1000).toFixed(1)} s`),
  };
  const stopped = (): boolean => signal?.aborted === true;
  const onAbort = (): void => feed.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  let stop: PaperStop = 'feed-ended';
  let feedError: Error | undefined;
  const messages = feed.messages(events)[Symbol.asyncIterator]();
  try {
    while (!stopped()) {
      let next: IteratorResult<unknown>;
      try {
        next = await messages.next();
      } catch (error) {
        stop = 'feed-failed';
        feedError = error instanceof Error ? error : new Error(String(error));
        break;
      }
      // A message that arrives after the stop is not taken: stopping means no further bar.
      if (next.done === true || stopped()) break;
      // Errors here are not the feed's (a strategy bug, a full series): they end the run.
      const before = session.liveBars;
      session.accept(next.value);
      if (onStep !== undefined && session.liveBars !== before) onStep(session);
    }
    if (stop !== 'feed-failed' && stopped()) stop = 'interrupted';
  } finally {
    signal?.removeEventListener('abort', onAbort);
    feed.close();
    if (stop !== 'feed-failed') await messages.return?.();
  }
  const before = session.liveBars;
  const result = session.finish();
  if (onStep !== undefined && session.liveBars !== before) onStep(session);
  return { result, stop, feedError };
}
