/**
 * One round trip of a lot: opened by an entry fill, closed (possibly in parts, FIFO) by later fills.
 * A lot partially closed yields one closed trade per closing fill.
 */
export interface Trade {
  readonly instrumentId: string;
  readonly side: 'long' | 'short';
  readonly qty: number;
  readonly entryTimeMs: number;
  /** `undefined` while open. */
  readonly exitTimeMs: number | undefined;
  /** Average entry market price (before slippage). */
  readonly entryPrice: number;
  /** Exit market price (before slippage); for open trades, the last mark. */
  readonly exitPrice: number;
  /** Net P&L in account currency: gross minus fees minus slippage cost. For open trades, unrealized. */
  readonly pnl: number;
  /** P&L from market prices alone (no fees, no slippage). */
  readonly grossPnl: number;
  /** Commission paid on entry (pro rata) and exit. */
  readonly fees: number;
  /** Slippage and spread cost in account currency. */
  readonly slippageCost: number;
  readonly entryStep: number;
  /** `undefined` while open. */
  readonly exitStep: number | undefined;
  readonly entryTag: string;
  readonly exitTag: string | undefined;
  readonly open: boolean;
  /**
   * Money at risk when the trade was opened: qty × |entry − protective stop| × multiplier, for
   * entries placed with a stop-loss (brackets); undefined otherwise. R multiple = pnl ÷ initialRisk.
   */
  readonly initialRisk?: number | undefined;
}
