import { setTimeout as sleep } from 'node:timers/promises';
import { alertJson, formatAlertLine } from './alert-format.js';
import type { Alert, AlertSink } from './alerts.js';

/** Options of {@link WebhookAlertSink}. */
export interface WebhookOptions {
  /** Attempts per alert, the first included (default 3). */
  readonly tries?: number;
  /** Wait before the n-th retry: `backoffMs × 2^(n−1)` ms — 200, 400, … (default 200). */
  readonly backoffMs?: number;
  /** Longest wait for one request's response, ms (default 5000). */
  readonly timeoutMs?: number;
  /** Alerts waiting at most; beyond, the oldest is dropped and reported (default 1000). */
  readonly maxQueue?: number;
  /** Receives every alert given up on (after the last try, or dropped from a full queue). Default: none. */
  readonly onError?: (error: Error, alert: Alert) => void;
  /** The fetch to use (default the global one). */
  readonly fetch?: typeof fetch;
}

/** {@link WebhookOptions} with every default filled in. */
type ResolvedWebhookOptions = Required<WebhookOptions>;

/**
 * POSTs each alert as JSON — {@link alertJson} plus `text`, the {@link formatAlertLine} line (what
 * Slack-style incoming webhooks show) — one request at a time, in order. A network error, a
 * timeout, HTTP 408, 429 or 5xx is retried with exponential backoff; another status (a wrong URL,
 * a refused token) is not. An alert given up on goes to `onError`; nothing is ever thrown to the
 * caller. `close()` delivers what is queued first, which with a dead endpoint takes up to
 * `tries × timeoutMs` plus the backoff per queued alert — race it with a deadline when stopping.
 */
export class WebhookAlertSink implements AlertSink {
  private readonly queue: Alert[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly options: ResolvedWebhookOptions;
  /** The URL's origin only: the path of a chat webhook is its secret, kept out of error messages. */
  readonly where: string;

  constructor(
    private readonly url: string,
    options: WebhookOptions = {},
  ) {
    this.where = `webhook ${new URL(url).origin}`;
    this.options = {
      tries: Math.max(1, Math.floor(options.tries ?? 3)),
      backoffMs: Math.max(0, options.backoffMs ?? 200),
      timeoutMs: Math.max(1, options.timeoutMs ?? 5000),
      maxQueue: Math.max(1, options.maxQueue ?? 1000),
      onError: options.onError ?? (() => {}),
      fetch: options.fetch ?? fetch,
    };
  }

  send(alert: Alert): void {
    if (this.closed) return;
    if (this.queue.length >= this.options.maxQueue) {
      const dropped = this.queue.shift()!;
      this.report(`queue full (${this.options.maxQueue} alerts waiting) — dropped the oldest`, dropped);
    }
    this.queue.push(alert);
    this.running ??= this.run();
  }

  async flush(): Promise<void> {
    await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async run(): Promise<void> {
    // Never blocks the sender: the first request starts after the caller's synchronous work.
    await Promise.resolve();
    for (let alert = this.queue.shift(); alert !== undefined; alert = this.queue.shift()) await this.deliver(alert);
    this.running = undefined;
  }

  private async deliver(alert: Alert): Promise<void> {
    const { tries, backoffMs, timeoutMs } = this.options;
    let body: string;
    try {
      body = JSON.stringify({ text: formatAlertLine(alert), ...alertJson(alert) });
    } catch (error) {
      this.report(`alert not serializable (${(error as Error).message})`, alert);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.post(body, timeoutMs);
      if (outcome === undefined) return;
      if (!outcome.retry || attempt >= tries) {
        this.report(`${outcome.problem}; gave up after ${attempt} ${attempt === 1 ? 'try' : 'tries'}`, alert);
        return;
      }
      await sleep(backoffMs * 2 ** (attempt - 1));
    }
  }

  /** One request: undefined on success, else what went wrong and whether another try may help. */
  private async post(body: string, timeoutMs: number): Promise<{ problem: string; retry: boolean } | undefined> {
    try {
      const response = await this.options.fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'replaylab-alerts' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Read the (ignored) body so that the connection can be reused.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return undefined;
      const status = response.status;
      return { problem: `HTTP ${status}`, retry: status >= 500 || status === 408 || status === 429 };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      const problem = e.name === 'TimeoutError' || e.name === 'AbortError' ? `no response within ${timeoutMs} ms` : `${e.message}${e.cause?.code === undefined ? '' : ` (${e.cause.code})`}`;
      return { problem, retry: true };
    }
  }

  private report(problem: string, alert: Alert): void {
    try {
      this.options.onError(new Error(`${this.where}: ${problem} — alert lost: ${alert.kind} ${alert.message}`), alert);
    } catch {
      // A failing error handler must not stop the delivery loop.
    }
  }
}
