/**
 * The feed adapter contract: how bars reach a paper run. Implement {@link Feed} to connect a
 * broker's or vendor's stream (a WebSocket, a message queue, a polling loop); `replay-feed.ts` is
 * the bundled one, replaying a bar file as if it were live.
 *
 * A feed only transports. It does not validate, order, de-duplicate or merge: the driver checks
 * every message (see `bar-message.ts`) and rejects — with a logged warning, never touching the
 * run's state — anything malformed, non-positive, `high < low`, duplicated or out of order. So an
 * adapter can hand over what it receives as it receives it.
 */

/**
 * One bar, stamped at its close (the engine's convention: the bar is fully known at `timeMs`).
 * A bar is final when sent: a feed that builds bars from ticks sends each bar once, after it closed.
 */
export interface BarMessage {
  /** Symbol as named in the paper config's `data` entries (e.g. `SPX`). */
  readonly symbol: string;
  /** Bar close time, epoch milliseconds UTC. */
  readonly timeMs: number;
  /** Prices in the instrument's quote currency; all finite and > 0, `low ≤ open, close ≤ high`. */
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Traded volume (>= 0). Required when the config's data has a volume column, ignored otherwise. */
  readonly volume?: number;
  /**
   * Extra numeric columns of the config's data (lower-case names: `vix`, `signal`, `confidence`,
   * `spread` …). A column the data has but the message lacks is NaN ("no value"), as an empty CSV
   * cell; a column the data does not have is ignored.
   */
  readonly extras?: Readonly<Record<string, number>>;
}

/**
 * What a feed yields: a {@link BarMessage} object, or the raw JSON text of one (a WebSocket text
 * frame can be passed on as is; the driver parses it and rejects malformed JSON like any bad bar).
 * Typed loosely on purpose: the driver treats every message as untrusted input.
 */
export type FeedMessage = BarMessage | string;

/**
 * Callbacks through which a feed reports what is not a bar. Both are informational: the run goes
 * on. A failure the feed cannot recover from is reported by throwing from the iterator instead;
 * the driver then ends the run with the bars it has and reports the error.
 */
export interface FeedEvents {
  /** A problem the feed got past: a dropped connection it re-opened, a frame it could not decode. */
  warning(message: string): void;
  /**
   * No message for `silentMs` of wall time although one was expected (a stalled connection, a
   * halted market). The feed decides the threshold (e.g. 3 × the bar interval) and calls this once
   * per silence, again after the next message and a new silence.
   */
  stale(silentMs: number): void;
}

/**
 * A source of bar messages for `replaylab paper`.
 *
 * Lifecycle: the driver calls {@link Feed.messages} once and iterates until the iterator returns
 * (the feed ended: a replay reached the end of its file, a server closed the stream for good) or
 * throws (a fatal error), or until the run is stopped, in which case it calls {@link Feed.close}.
 * `close()` must make a pending `next()` settle promptly (a wait ends, a socket closes) and the
 * iterator return; it is idempotent and may be called after the end.
 *
 * Ordering: deliver each symbol's bars in time order, and the bars of all symbols in time order
 * too. The driver steps a timestamp once every symbol has a bar at it, or when a later timestamp
 * arrives; a bar that arrives after its timestamp was stepped is rejected as late. A WebSocket
 * adapter over several symbols therefore holds each bar until the bars of that time of all its
 * symbols are in (or a grace period passed) before yielding it.
 */
export interface Feed {
  /** One line naming the feed for logs and the run's JSON, e.g. `replay:data/x.csv?speed=max`. */
  readonly description: string;
  /** The symbols the feed will send, when known up front (a replay knows; a socket may not). */
  readonly symbols: readonly string[] | undefined;
  /** Starts the feed and yields messages in arrival order. Call once. */
  messages(events: FeedEvents): AsyncIterable<FeedMessage>;
  /** Stops the feed (see the lifecycle above). Idempotent. */
  close(): void;
}
