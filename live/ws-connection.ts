import WebSocket from 'ws';

/** What one connection reports, in order: `open` (maybe), frames, then `closed` (always last). */
export type SocketEvent =
  | { readonly kind: 'open' }
  | { readonly kind: 'frame'; readonly text: string }
  /** `why`: the error that closed it (refused, handshake failed, heartbeat lost) or the close code and reason. */
  | { readonly kind: 'closed'; readonly code: number; readonly why: string };

/** Longest wait for the opening handshake, ms. */
const HANDSHAKE_MS = 10_000;
/** After a close frame, the server gets this long to answer before the socket is cut, ms. */
const CLOSE_GRACE_MS = 1000;
/** Frames queued before the socket stops reading (TCP back-pressure), and when it reads again. */
const HIGH_WATER = 4096;
const LOW_WATER = 1024;

/**
 * One WebSocket connection turned into a pull queue of {@link SocketEvent}s, so the feed's async
 * loop reads socket events in order, at its own pace. Keeps the connection alive: with a heartbeat
 * it pings every `heartbeatMs` and cuts the connection when the previous ping got no pong (a dead
 * peer or a half-open TCP connection never says so itself).
 */
export class WsConnection {
  private readonly socket: WebSocket;
  private readonly queue: SocketEvent[] = [];
  private head = 0;
  private wake: (() => void) | undefined;
  private error: string | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(url: string, heartbeatMs: number) {
    const socket = new WebSocket(url, { handshakeTimeout: HANDSHAKE_MS });
    this.socket = socket;
    // Always listened to: an 'error' event without a listener would end the process.
    socket.on('error', (error) => (this.error ??= error.message));
    socket.on('open', () => {
      this.push({ kind: 'open' });
      if (heartbeatMs > 0) this.startHeartbeat(heartbeatMs);
    });
    socket.on('message', (data) => this.push({ kind: 'frame', text: textOf(data) }));
    socket.on('close', (code, reason) => {
      clearInterval(this.heartbeat);
      const text = reason.toString();
      this.push({ kind: 'closed', code, why: this.error ?? `close code ${code}${text === '' ? '' : ` ${JSON.stringify(text)}`}` });
    });
  }

  /** The next event, waiting for one; undefined as soon as `signal` aborts. */
  async next(signal: AbortSignal): Promise<SocketEvent | undefined> {
    while (this.head === this.queue.length) {
      if (signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const onAbort = (): void => resolve();
        signal.addEventListener('abort', onAbort, { once: true });
        this.wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
      });
      this.wake = undefined;
    }
    if (signal.aborted) return undefined;
    const event = this.queue[this.head++]!;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    if (this.socket.isPaused && this.queue.length - this.head < LOW_WATER) this.socket.resume();
    return event;
  }

  /** Closes the connection (a close frame, then a cut after a grace period) and stops the heartbeat. Idempotent. */
  dispose(): void {
    clearInterval(this.heartbeat);
    const socket = this.socket;
    if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    else if (socket.readyState === WebSocket.OPEN) {
      socket.close(1000, 'client done');
      setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
    }
  }

  private push(event: SocketEvent): void {
    this.queue.push(event);
    if (this.queue.length - this.head > HIGH_WATER && !this.socket.isPaused) this.socket.pause();
    this.wake?.();
  }

  private startHeartbeat(everyMs: number): void {
    let answered = true;
    this.socket.on('pong', () => (answered = true));
    this.heartbeat = setInterval(() => {
      if (!answered) {
        this.error ??= `heartbeat: no pong within ${everyMs} ms of a ping`;
        this.socket.terminate();
        return;
      }
      answered = false;
      this.socket.ping();
    }, everyMs);
    this.heartbeat.unref();
  }
}

/** Text frames as sent; binary frames decoded as UTF-8 (the driver rejects what is not a bar). */
function textOf(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}
