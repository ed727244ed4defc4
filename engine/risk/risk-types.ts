/** Inputs and outputs of the {@link RiskManager}: plain, JSON-able records. */

/**
 * One open position (one lot / open trade) as the risk manager sees it. Several entries may share a
 * symbol (pyramiding); each counts as one position for the position-count limits.
 */
export interface RiskPosition {
  readonly symbol: string;
  /** Signed quantity in units: > 0 long, < 0 short. */
  readonly qty: number;
  /** Mark price (this bar's close). */
  readonly price: number;
  /** Contract multiplier (money per unit of price per unit of qty). */
  readonly multiplier: number;
  /** Entry price of the position. */
  readonly entryPrice: number;
  /** Protective stop price; `undefined` when the position has none (its whole notional counts as at risk). */
  readonly stop: number | undefined;
}

/** An entry order the engine accepted that has not filled or been cancelled yet. */
export type WorkingEntry = Pick<OrderIntent, 'symbol' | 'side' | 'qty' | 'price' | 'multiplier' | 'stop'>;

/** The state of the account after the portfolio marked this bar (risk phase input). */
export interface RiskBar {
  /** Bar close time, epoch ms. */
  readonly timeMs: number;
  /** Session (trading day) key; a change starts a new session and resets the daily figures. */
  readonly session: number;
  /** Account equity after marking, account currency. */
  readonly equity: number;
  readonly positions: readonly RiskPosition[];
  /** This bar's close per symbol that has a bar at this time. */
  readonly closes: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /**
   * Entry orders still working (accepted, not filled, not cancelled). They count as positions for
   * every pre-trade limit, so resting entries cannot overshoot a limit when they fill. Default none.
   */
  readonly workingEntries?: readonly WorkingEntry[] | undefined;
}

/** An order the strategy wants to place, as the pre-trade check sees it. */
export interface OrderIntent {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  /** Units, > 0 (the side gives the direction). */
  readonly qty: number;
  /** Expected fill price. */
  readonly price: number;
  readonly multiplier: number;
  /** Protective stop price, `undefined` when none. */
  readonly stop: number | undefined;
  /** `true` when the order opens a new position; exits (`false`) are always allowed. */
  readonly isEntry: boolean;
}

/**
 * What the risk manager asks the engine to do. `reason` is the full line for the log, e.g.
 * `HALTED: daily loss 2.1% > 2%`, `RESUMED: new session`, `WARNING: 80% of daily loss used (1.6% of 2%)`.
 */
export type RiskAction =
  | {
      readonly kind: 'HALTED';
      readonly reason: string;
      /** Close every open position now. */
      readonly flatten: boolean;
      /** Cancel every working order (entries and exits). */
      readonly cancelOrders: boolean;
      /** When entries become allowed again: next session, after some bars, or never. */
      readonly until: 'session' | 'bars' | 'end';
    }
  | { readonly kind: 'RESUMED'; readonly reason: string }
  | { readonly kind: 'WARNING'; readonly reason: string };
