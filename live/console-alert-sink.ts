import { formatAlertLine } from './alert-format.js';
import type { Alert, AlertSink } from './alerts.js';

/** A text stream the console sink writes to (`process.stderr`, or a test double). */
export interface AlertStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly writableNeedDrain?: boolean;
  once?(event: 'drain', listener: () => void): unknown;
}

/**
 * Whether to colour: only on a terminal, and not when `NO_COLOR` is set to a non-empty value
 * (https://no-color.org: an empty `NO_COLOR` counts as unset).
 */
export function wantsColor(stream: Pick<AlertStream, 'isTTY'>, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return stream.isTTY === true && (env['NO_COLOR'] ?? '') === '';
}

/**
 * Writes one line per alert ({@link formatAlertLine}) to a stream — for `replaylab paper`,
 * stderr, so that `--json` output on stdout stays parseable. The kind is coloured by
 * {@link wantsColor} unless `color` says otherwise.
 */
export class ConsoleAlertSink implements AlertSink {
  private closed = false;
  private readonly color: boolean;

  constructor(
    private readonly stream: AlertStream,
    options: { readonly color?: boolean; readonly env?: Readonly<Record<string, string | undefined>> } = {},
  ) {
    this.color = options.color ?? wantsColor(stream, options.env);
  }

  send(alert: Alert): void {
    if (!this.closed) this.stream.write(`${formatAlertLine(alert, this.color)}\n`);
  }

  /** Waits until the stream has taken its buffered output (a slow pipe), if it says it is behind. */
  async flush(): Promise<void> {
    const stream = this.stream;
    if (stream.writableNeedDrain === true && stream.once !== undefined) await new Promise<void>((resolve) => stream.once!('drain', resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
