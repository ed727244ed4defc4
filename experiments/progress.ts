/** How progress is shown: a redrawn one-line bar (TTY), plain periodic lines (CI, logs), or nothing. */
export type ProgressMode = 'bar' | 'lines' | 'none';

/** Where progress text goes (stderr, so `--json` stdout stays clean). */
export interface ProgressStream {
  write(text: string): unknown;
}

/** Options of {@link GridProgress}. */
export interface ProgressOptions {
  readonly mode: ProgressMode;
  readonly stream: ProgressStream;
  /** Cells in the whole grid. */
  readonly total: number;
  /** Cells already done before this run (resume); not counted in the speed. */
  readonly initial: number;
  /** Monotonic clock, ms (default `performance.now`). */
  readonly now?: () => number;
  /** Bar mode: least time between redraws, ms (default 100). */
  readonly redrawMs?: number;
  /** Lines mode: a line at least this often, ms (default 5000), and at every 10 %. */
  readonly lineEveryMs?: number;
}

/** The progress mode for a stream: none when quiet, a bar on a TTY, else lines. */
export function progressMode(stream: { readonly isTTY?: boolean }, quiet: boolean): ProgressMode {
  if (quiet) return 'none';
  return stream.isTTY === true ? 'bar' : 'lines';
}

/**
 * Grid progress: cells done of total, percent, cells per second (this run only) and ETA.
 * Bar mode redraws one line with `\r`; lines mode prints a line every 10 % or 5 s.
 */
export class GridProgress {
  private readonly started: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastDecile = 0;
  private done = 0;
  private finished = false;
  private lastDrawnDone = -1;

  constructor(private readonly options: ProgressOptions) {
    this.started = this.now();
    this.done = options.initial;
    this.lastDecile = this.decile(options.initial);
    this.lastDraw = options.mode === 'lines' ? this.started : Number.NEGATIVE_INFINITY;
  }

  /** Records that `done` cells (in total, including the initial ones) are finished. */
  update(done: number): void {
    this.done = done;
    const { mode } = this.options;
    if (mode === 'none' || this.finished) return;
    const now = this.now();
    if (mode === 'bar') {
      if (now - this.lastDraw >= (this.options.redrawMs ?? 100)) this.draw(now);
      return;
    }
    const decile = this.decile(done);
    if (decile > this.lastDecile || now - this.lastDraw >= (this.options.lineEveryMs ?? 5000)) {
      this.lastDecile = decile;
      this.draw(now);
    }
  }

  /** Draws the final state (ending the bar's line). */
  finish(): void {
    if (this.finished || this.options.mode === 'none') return;
    this.finished = true;
    const now = this.now();
    if (this.options.mode === 'bar') {
      this.draw(now);
      this.options.stream.write('\n');
    } else if (this.lastDrawnDone !== this.done) this.draw(now);
  }

  /** The status text, e.g. `45/90 cells  50%  12.3 cells/s  ETA 0:04`. */
  text(now = this.now()): string {
    const { total, initial } = this.options;
    const pct = total === 0 ? 100 : (this.done / total) * 100;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? (this.done - initial) / seconds : 0;
    const eta = rate > 0 ? duration((total - this.done) / rate) : '?';
    return `${this.done}/${total} cells  ${pct.toFixed(0).padStart(3)}%  ${rate.toFixed(1)} cells/s  ETA ${eta}`;
  }

  private draw(now: number): void {
    this.lastDraw = now;
    this.lastDrawnDone = this.done;
    if (this.options.mode === 'bar') this.options.stream.write(`\r${bar(this.done, this.options.total)} ${this.text(now)}\x1b[K`);
    else this.options.stream.write(`grid: ${this.text(now)}\n`);
  }

  private decile(done: number): number {
    return this.options.total === 0 ? 10 : Math.floor((done / this.options.total) * 10);
  }

  private now(): number {
    return (this.options.now ?? (() => performance.now()))();
  }
}

function bar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** Seconds as `m:ss` or `h:mm:ss`. */
function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
