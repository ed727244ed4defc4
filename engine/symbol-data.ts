import type { BarSeries } from './bars.js';

/**
 * A strategy's read-only view of one symbol's bars up to the current bar. Asking for a bar
 * beyond the current one is impossible: `ago` counts back from the current bar and must be >= 0.
 */
export class SymbolData {
  /** Index of the current (latest known) bar of this symbol; -1 before its first bar. */
  index = -1;
  /** True when this symbol has a new bar at the current step. */
  updated = false;

  constructor(
    private readonly bars: BarSeries,
    /** Position of the symbol in the engine's symbol list (its stream rank). */
    readonly rank: number,
  ) {}

  /** The symbol. */
  get symbol(): string {
    return this.bars.symbol;
  }

  /** Number of bars known so far (current bar included). */
  get length(): number {
    return this.index + 1;
  }

  /** Open of the bar `ago` bars before the current one (0 = current). */
  open(ago = 0): number {
    return this.bars.open[this.at(ago)]!;
  }

  high(ago = 0): number {
    return this.bars.high[this.at(ago)]!;
  }

  low(ago = 0): number {
    return this.bars.low[this.at(ago)]!;
  }

  close(ago = 0): number {
    return this.bars.close[this.at(ago)]!;
  }

  /** Volume, NaN when the data has none. */
  volume(ago = 0): number {
    const column = this.bars.volume;
    return column === undefined ? Number.NaN : column[this.at(ago)]!;
  }

  /** Bar close time, epoch ms UTC. */
  timeMs(ago = 0): number {
    return this.bars.timeMs[this.at(ago)]!;
  }

  /** True when the data has an extra column with this (lower-case) name. */
  has(column: string): boolean {
    return Object.hasOwn(this.bars.extras, column);
  }

  /** Value of an extra column (e.g. `vix`, `signal`) `ago` bars back. Throws if there is no such column. */
  value(column: string, ago = 0): number {
    const values = this.bars.extras[column];
    if (values === undefined) {
      const known = Object.keys(this.bars.extras).join(', ') || '(none)';
      throw new RangeError(`${this.symbol} has no column "${column}" — columns: ${known}`);
    }
    return values[this.at(ago)]!;
  }

  /** The last `count` closes (or all so far) as a zero-copy view ending at the current bar. */
  closes(count = this.index + 1): Float64Array {
    const end = this.index + 1;
    return this.bars.close.subarray(Math.max(0, end - count), end);
  }

  private at(ago: number): number {
    const i = this.index - ago;
    // `ago | 0` === ago: a whole number in int32 range (the message is built out of line).
    if ((ago | 0) !== ago || ago < 0 || i < 0) throw this.noBar(ago);
    return i;
  }

  private noBar(ago: number): RangeError {
    return new RangeError(`${this.symbol}: no bar ${ago} bars ago (${this.index + 1} bars known so far)`);
  }
}
