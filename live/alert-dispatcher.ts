import type { Alert, AlertSink } from './alerts.js';

/**
 * Fans alerts out to several sinks. {@link send} returns at once — each sink queues its own work —
 * so the engine loop never waits for a file or a network; a sink that throws from `send` (a bug)
 * is reported to `onError` and the others still get the alert.
 */
export class AlertDispatcher implements AlertSink {
  private closed = false;

  constructor(
    readonly sinks: readonly AlertSink[],
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  send(alert: Alert): void {
    if (this.closed) return;
    for (const sink of this.sinks) {
      try {
        sink.send(alert);
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /** Resolves when every sink has delivered (or given up on) what it was sent. */
  async flush(): Promise<void> {
    await Promise.all(this.sinks.map((sink) => sink.flush().catch((error: unknown) => this.onError(asError(error)))));
  }

  /** Flushes and closes every sink; later sends are ignored. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.sinks.map((sink) => sink.close().catch((error: unknown) => this.onError(asError(error)))));
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
