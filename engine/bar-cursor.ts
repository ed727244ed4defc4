import type { BarSeries } from './bars.js';
import type { BrokerBar } from './broker.js';

/**
 * One bar of one series as the broker sees it, read from the columns on demand. The broker meets
 * a bar only when orders are working, and then often needs one price (a market order: the open);
 * on long data those bars are far apart, so each column read is a trip to memory. Reading the
 * columns as they are asked for — not all seven up front — measured a clear part of an order's
 * cost on minute bars. Point it at a bar with {@link BarCursor.moveTo}; it never looks past it.
 */
export class BarCursor implements BrokerBar {
  private bars: BarSeries;
  private spreads: Float64Array | undefined;
  private i = 0;

  constructor(bars: BarSeries) {
    this.bars = bars;
    this.spreads = bars.extras['spread'];
  }

  /** Points at bar `i` of `bars`; returns itself. */
  moveTo(bars: BarSeries, i: number): this {
    if (bars !== this.bars) {
      this.bars = bars;
      this.spreads = bars.extras['spread'];
    }
    this.i = i;
    return this;
  }

  get timeMs(): number {
    return this.bars.timeMs[this.i]!;
  }

  get open(): number {
    return this.bars.open[this.i]!;
  }

  get high(): number {
    return this.bars.high[this.i]!;
  }

  get low(): number {
    return this.bars.low[this.i]!;
  }

  get close(): number {
    return this.bars.close[this.i]!;
  }

  /** NaN when the data has no volume. */
  get volume(): number {
    const volume = this.bars.volume;
    return volume === undefined ? Number.NaN : volume[this.i]!;
  }

  /** NaN when the data has no `spread` column. */
  get spread(): number {
    const spreads = this.spreads;
    return spreads === undefined ? Number.NaN : spreads[this.i]!;
  }
}
