import type { BarMessage, Feed, FeedEvents, FeedMessage } from './feed.js';
import { MAX_RECONNECT_DELAY_MS, type WsFeedSpec } from './feed-spec.js';
import { SilenceWatch } from './silence-watch.js';
import { parseTick, TickBars } from './tick-bars.js';
import { wallClock, type WaitingClock } from './wall-clock.js';
import { WsConnection } from './ws-connection.js';

/** Rejected ticks warned about one by one; later ones are only counted. */
const MAX_TICK_WARNINGS = 50;

/**
 * A WebSocket server as a bar feed (`--feed ws://HOST:PORT/PATH`). Protocol: every text frame is a
 * bar — the JSON of a `BarMessage` — passed on as is, for the driver to check; the frame
 * `{"type": "end"}` ends the feed (the server may then close with code 1000). With `ticks=1` the
 * frames are trades `{"type": "tick", symbol, timeMs, price, size}` and quotes
 * `{"type": "quote", symbol, timeMs, bid, ask}`, built into 1-minute bars here (`TickBars`); a
 * malformed tick is dropped with a warning.
 *
 * Any other end of a connection — an error, a close without `end`, a heartbeat ping left without
 * pong — is a drop: the feed warns and reconnects after `reconnect` ms, doubling the delay per
 * failed attempt up to 30 s, and throws (the run ends, `feed-failed`) after `attempts` failures in
 * a row. Bars sent while disconnected arrive only if the server re-sends them; a re-sent bar the
 * run already took is rejected by the driver as a duplicate, so a server may simply resume from a
 * little before where it stopped. The feed reports itself stale (`FeedEvents.stale`) after a
 * silence of `stale` ms, or of 3 × the typical gap between messages (`SilenceWatch`).
 */
export class WsFeed implements Feed {
  readonly description: string;
  /** Not known up front: the server decides what it sends. */
  readonly symbols = undefined;
  private readonly stop = new AbortController();
  /** Where the feed connects, for messages: origin and path (a query may carry a token). */
  private readonly where: string;

  constructor(
    private readonly spec: WsFeedSpec,
    private readonly clock: WaitingClock = wallClock,
  ) {
    this.description = spec.text;
    const url = new URL(spec.url);
    this.where = `${url.origin}${url.pathname}`;
  }

  close(): void {
    this.stop.abort();
  }

  async *messages(events: FeedEvents): AsyncGenerator<FeedMessage> {
    const { spec, clock, where } = this;
    const signal = this.stop.signal;
    const watch = new SilenceWatch(spec.staleMs, (ms) => events.stale(ms), () => clock.nowMs());
    const frames = spec.ticks ? new TickFrames(events.warning) : new BarFrames(events.warning);
    /** Connection attempts in a row that failed (a drop counts as the first). */
    let failures = 0;
    let lostAtMs = Number.NaN;
    watch.start();
    try {
      while (!signal.aborted) {
        const connection = new WsConnection(spec.url, spec.heartbeatMs);
        let opened = false;
        let why = '';
        try {
          for (;;) {
            const event = await connection.next(signal);
            if (event === undefined) return;
            if (event.kind === 'closed') {
              why = event.why;
              break;
            }
            if (event.kind === 'open') {
              opened = true;
              if (failures > 0 && Number.isNaN(lostAtMs)) events.warning(`connected to ${where} at attempt ${failures + 1}`);
              else if (failures > 0) {
                events.warning(`reconnected to ${where} after ${seconds(clock.nowMs() - lostAtMs)} offline (attempt ${failures}); bars sent meanwhile arrive only if the server re-sends them`);
              }
              watch.reconnected();
              failures = 0;
              continue;
            }
            watch.heard();
            const read = frames.read(event.text);
            if (typeof read === 'string') {
              yield read;
              continue;
            }
            for (const bar of read.bars) yield bar;
            if (read.end) return;
          }
        } finally {
          connection.dispose();
        }
        if (signal.aborted) return;
        if (opened) lostAtMs = clock.nowMs();
        failures++;
        if (failures > spec.maxAttempts) throw new Error(`${where}: gave up after ${spec.maxAttempts} reconnect attempts in a row (last: ${why})`);
        const delayMs = Math.min(Math.max(MAX_RECONNECT_DELAY_MS, spec.reconnectMs), spec.reconnectMs * 2 ** (failures - 1));
        const what = opened ? `connection to ${where} lost` : `could not connect to ${where}`;
        events.warning(`${what} (${why}); reconnecting in ${seconds(delayMs)} (attempt ${failures} of ${spec.maxAttempts})`);
        await clock.sleep(delayMs, signal);
      }
    } finally {
      watch.stop();
      frames.done();
    }
  }
}

/** The end of the feed, as {@link BarFrames.read} reports it. */
const END = Object.freeze({ bars: [] as readonly BarMessage[], end: true });

/** What a frame gives: a bar frame to pass on, or bars built from ticks (and whether the feed ended). */
type FrameRead = string | { readonly bars: readonly BarMessage[]; readonly end: boolean };

/** Bar frames: passed on as they are, except the end message. */
class BarFrames {
  private hinted = false;
  constructor(private readonly warn: (message: string) => void) {}

  read(text: string): FrameRead {
    // Only a frame that names a type can be a control message: bars need no second parse.
    if (!text.includes('"type"')) return text;
    const type = typeOf(text);
    if (type === 'end') return END;
    if ((type === 'tick' || type === 'quote') && !this.hinted) {
      this.hinted = true;
      this.warn(`the server sends ${type} messages: add ticks=1 to the --feed URL to build bars from them`);
    }
    return text;
  }

  done(): void {}
}

/** Tick frames: checked and built into bars; the end message closes the last bars. */
class TickFrames {
  private readonly bars = new TickBars();
  private rejected = 0;
  constructor(private readonly warn: (message: string) => void) {}

  read(text: string): FrameRead {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return this.reject(`malformed JSON (${error instanceof Error ? error.message : String(error)}): ${text.length > 120 ? `${text.slice(0, 117)}…` : text}`);
    }
    if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'end') return { bars: this.bars.flush(), end: true };
    const parsed = parseTick(value);
    if (parsed.tick === undefined) return this.reject(parsed.problem);
    const added = this.bars.add(parsed.tick);
    return added.closed === undefined ? this.reject(added.problem) : { bars: added.closed, end: false };
  }

  done(): void {
    if (this.rejected > MAX_TICK_WARNINGS) this.warn(`${this.rejected} ticks rejected in all`);
  }

  private reject(problem: string): FrameRead {
    this.rejected++;
    if (this.rejected <= MAX_TICK_WARNINGS) this.warn(`rejected tick: ${problem}`);
    if (this.rejected === MAX_TICK_WARNINGS + 1) this.warn('more rejected ticks follow; only their count is reported at the end');
    return { bars: [], end: false };
  }
}

function typeOf(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  } catch {
    return undefined;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 0)} s`;
}
