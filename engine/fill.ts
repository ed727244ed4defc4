/** A fill as booked by the portfolio. */
export interface Fill {
  readonly orderId: number;
  readonly instrumentId: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  /** The market price of the fill, always inside the bar's [low, high]. */
  readonly price: number;
  /** Adverse price adjustment per unit from slippage and half-spread (>= 0); paid price = price ± slippage. */
  readonly slippage: number;
  /** Commission for the whole fill, in account currency (>= 0). */
  readonly fee: number;
  readonly timeMs: number;
  readonly step: number;
  readonly tag: string;
  /**
   * For an entry with a protective stop (a bracket's stop-loss): that stop's price, so the trade's
   * initial risk and R multiple are known. Undefined otherwise.
   */
  readonly protectiveStop?: number | undefined;
}
