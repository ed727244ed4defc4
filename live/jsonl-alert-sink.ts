import { open, type FileHandle } from 'node:fs/promises';
import { ConfigError } from '../engine/config-error.js';
import { alertJson } from './alert-format.js';
import type { Alert, AlertSink } from './alerts.js';

/**
 * Appends one JSON line per alert ({@link alertJson}) to a file. `send` only queues the line; one
 * write at a time takes everything queued (so lines are never interleaved or reordered), and
 * {@link flush} waits for the queue to empty. A write that fails is reported to `onError` and its
 * lines are lost; the sink goes on with the next ones.
 */
export class JsonlAlertSink implements AlertSink {
  private pending: string[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    /** The file as given. */
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly onError: (error: Error) => void,
  ) {}

  /**
   * Opens (creates or appends to) `path`.
   * @throws ConfigError with path `--alerts` when the file cannot be opened (no such folder, no permission).
   */
  static async open(path: string, options: { readonly onError?: (error: Error) => void } = {}): Promise<JsonlAlertSink> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'a');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ConfigError('--alerts', `cannot open jsonl:${path} (${code}) — check that its folder exists and is writable`);
    }
    return new JsonlAlertSink(path, handle, options.onError ?? (() => {}));
  }

  send(alert: Alert): void {
    if (this.closed) return;
    let line: string;
    try {
      line = `${JSON.stringify(alertJson(alert))}\n`;
    } catch (error) {
      this.onError(new Error(`jsonl:${this.path}: alert not serializable (${(error as Error).message}) — dropped`));
      return;
    }
    this.pending.push(line);
    this.writing ??= this.drain();
  }

  async flush(): Promise<void> {
    await this.writing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    try {
      await this.handle.close();
    } catch (error) {
      this.onError(new Error(`jsonl:${this.path}: ${(error as Error).message}`));
    }
  }

  private async drain(): Promise<void> {
    // Let the caller's synchronous burst of sends queue up: one write for all of them.
    await Promise.resolve();
    while (this.pending.length > 0) {
      const chunk = this.pending.join('');
      this.pending = [];
      try {
        await this.handle.appendFile(chunk, 'utf8');
      } catch (error) {
        this.onError(new Error(`jsonl:${this.path}: write failed (${(error as Error).message}) — ${chunk.split('\n').length - 1} alert(s) lost`));
      }
    }
    this.writing = undefined;
  }
}
