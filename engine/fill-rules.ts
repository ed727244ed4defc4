/**
 * Fill rules on OHLC bars — the single place that decides whether and at what market price a
 * working order fills on a bar. Pure functions; every returned price lies inside [low, high].
 *
 * Rules (see README "Fill rules"):
 * - market: fills at the bar's open.
 * - limit buy: open <= limit → open (gap, better price); else low <= limit → limit. Sell mirrored.
 * - stop buy: open >= stop → open (gap, worse price); else high >= stop → stop. Sell mirrored.
 * - stop-limit: triggers like a stop; once triggered it rests as a limit. Triggered by a gap at the
 *   open it fills at the open when the open is within the limit; triggered inside the bar at the
 *   stop price it fills at the stop when the stop is within the limit, else at the limit when the
 *   rest of the bar's path reaches it (a buy: the low; a sell: the close — see below); otherwise
 *   it stays working (triggered) for later bars.
 */

/** The prices of one bar. */
export interface BarPrices {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** Result of matching one order against one bar. `price` is NaN when it did not fill. */
export interface MatchResult {
  /** Market fill price, or NaN when not filled. */
  price: number;
  /** True when the fill happened at the bar's open (market order or a gap through the price). */
  atOpen: boolean;
  /** Stop-limit only: the stop triggered on this bar (whether or not it filled). */
  triggered: boolean;
}

const NO_FILL: MatchResult = Object.freeze({ price: Number.NaN, atOpen: false, triggered: false }) as MatchResult;

/** Market order: the open. */
export function matchMarket(bar: BarPrices): MatchResult {
  return { price: bar.open, atOpen: true, triggered: false };
}

/** Limit order: at the limit or the better open on a gap. */
export function matchLimit(side: 'buy' | 'sell', limit: number, bar: BarPrices): MatchResult {
  if (side === 'buy') {
    if (bar.open <= limit) return { price: bar.open, atOpen: true, triggered: false };
    if (bar.low <= limit) return { price: limit, atOpen: false, triggered: false };
  } else {
    if (bar.open >= limit) return { price: bar.open, atOpen: true, triggered: false };
    if (bar.high >= limit) return { price: limit, atOpen: false, triggered: false };
  }
  return NO_FILL;
}

/** Stop order: triggers on touch, fills at the stop or the worse open on a gap. */
export function matchStop(side: 'buy' | 'sell', stop: number, bar: BarPrices): MatchResult {
  if (side === 'buy') {
    if (bar.open >= stop) return { price: bar.open, atOpen: true, triggered: true };
    if (bar.high >= stop) return { price: stop, atOpen: false, triggered: true };
  } else {
    if (bar.open <= stop) return { price: bar.open, atOpen: true, triggered: true };
    if (bar.low <= stop) return { price: stop, atOpen: false, triggered: true };
  }
  return NO_FILL;
}

/**
 * Stop-limit order. `alreadyTriggered` is true when an earlier bar triggered the stop; then it
 * matches as a plain limit.
 */
export function matchStopLimit(
  side: 'buy' | 'sell',
  stop: number,
  limit: number,
  alreadyTriggered: boolean,
  bar: BarPrices,
): MatchResult {
  if (alreadyTriggered) {
    const asLimit = matchLimit(side, limit, bar);
    return { price: asLimit.price, atOpen: asLimit.atOpen, triggered: true };
  }
  const trigger = matchStop(side, stop, bar);
  if (!trigger.triggered) return NO_FILL;
  const buy = side === 'buy';
  if (trigger.atOpen) {
    // Gapped through the stop: the open is the first price after triggering.
    if (buy ? bar.open <= limit : bar.open >= limit) return { price: bar.open, atOpen: true, triggered: true };
    // Rests as a limit for the rest of the bar.
    if (buy ? bar.low <= limit : bar.high >= limit) return { price: limit, atOpen: false, triggered: true };
    return { price: Number.NaN, atOpen: false, triggered: true };
  }
  if (buy ? stop <= limit : stop >= limit) return { price: stop, atOpen: false, triggered: true };
  // The limit is on the far side of the stop: after triggering, the price must come back. On the
  // open→high→low→close path a buy stop triggers while rising (O→H) and can then fall to the limit
  // (H→L); a sell stop triggers while falling (H→L) and only the last leg (L→C) can bring it back
  // up, so it fills on this bar only if the close reaches the limit.
  if (buy ? bar.low <= limit : bar.close >= limit) return { price: limit, atOpen: false, triggered: true };
  return { price: Number.NaN, atOpen: false, triggered: true };
}

/**
 * A protective stop activated inside the bar by its parent's fill at `entryPrice` (bracket child on
 * its entry bar). Pessimistic: the adverse move is assumed to follow the entry, so the stop fills
 * if the bar's range reaches it — at the stop, or at the entry price if the stop was already
 * crossed there. Take-profit children never fill on an intrabar entry's bar (the favourable move
 * may have come before the entry).
 */
export function matchStopAfterEntry(
  side: 'buy' | 'sell',
  stop: number,
  entryPrice: number,
  bar: BarPrices,
): MatchResult {
  if (side === 'sell') {
    if (entryPrice <= stop) return { price: entryPrice, atOpen: false, triggered: true };
    if (bar.low <= stop) return { price: stop, atOpen: false, triggered: true };
  } else {
    if (entryPrice >= stop) return { price: entryPrice, atOpen: false, triggered: true };
    if (bar.high >= stop) return { price: stop, atOpen: false, triggered: true };
  }
  return NO_FILL;
}
