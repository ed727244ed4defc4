/**
 * Position sizing: pure functions returning a quantity in units (shares, contracts, combo units)
 * that is a whole number of lots and never negative.
 *
 * Conventions shared by every function here:
 * - inputs that make a positive size impossible (equity, price, risk or stop distance that is
 *   zero, negative or not finite) return 0 — the strategy simply does not trade;
 * - invalid *configuration* (lot size or multiplier <= 0, a negative commission rate or fraction,
 *   min above max) throws a RangeError naming the field;
 * - budget-based sizes round down, so a fill never costs more than the budget.
 */

function requirePositive(fn: string, field: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${fn}: ${field} must be a finite number > 0, got ${value}`);
  }
}

function requireNonNegative(fn: string, field: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`${fn}: ${field} must be a finite number >= 0, got ${value}`);
  }
}

/** `lots × lotSize`, with float noise from fractional lots (0.1 × 3) rounded away. */
function lotsToQuantity(lots: number, lotSize: number): number {
  if (!(lots > 0)) return 0;
  const qty = lots * lotSize;
  return Number.isInteger(lotSize) ? qty : Number(qty.toPrecision(15));
}

/**
 * Rounds a quantity down to whole lots. A relative tolerance of 1e-12 keeps `0.3` with lot `0.1`
 * at 3 lots despite `0.3 / 0.1 = 2.9999999999999996`. Returns units, 0 for non-positive or
 * non-finite `qty`.
 * @throws RangeError when `lotSize` is not > 0.
 */
export function fixedQuantity(qty: number, lotSize: number): number {
  requirePositive('fixedQuantity', 'lotSize', lotSize);
  if (!(qty > 0) || !Number.isFinite(qty)) return 0;
  return lotsToQuantity(Math.floor((qty / lotSize) * (1 + 1e-12)), lotSize);
}

/** Inputs of {@link equityFractionQuantity}. */
export interface EquityFractionSizing {
  /** Account equity (or cash) to size against, account currency. */
  readonly equity: number;
  /** Share of `equity` to commit: 1 = all of it (the broker passes its buying power as `equity`, so leverage is applied there). */
  readonly fraction: number;
  /** Expected fill price per unit (e.g. the next bar's open). */
  readonly price: number;
  /** Instrument contract multiplier. */
  readonly multiplier: number;
  /** Percent-of-value commission rate as a fraction (`0.001` = 0.1 %), so the fee fits the budget. */
  readonly commissionRate: number;
  readonly lotSize: number;
}

/**
 * Whole lots worth `fraction` of equity at `price`, net of a percent commission:
 * `floor(equity × fraction / (price × multiplier × (1 + commissionRate)))` units, then rounded
 * down to lots. With lot 1 and multiplier 1 this is exactly "all cash at the next open":
 * `floor(cash / (open × (1 + commissionRate)))`, e.g. 100 000 at 1456.62 → 68.
 * @returns units (>= 0).
 * @throws RangeError on `multiplier`/`lotSize` <= 0 or negative `fraction`/`commissionRate`.
 */
export function equityFractionQuantity(p: EquityFractionSizing): number {
  const fn = 'equityFractionQuantity';
  requirePositive(fn, 'multiplier', p.multiplier);
  requirePositive(fn, 'lotSize', p.lotSize);
  requireNonNegative(fn, 'fraction', p.fraction);
  requireNonNegative(fn, 'commissionRate', p.commissionRate);
  if (!(p.equity > 0) || !(p.price > 0) || !Number.isFinite(p.equity) || !Number.isFinite(p.price)) return 0;
  const units = (p.equity * p.fraction) / (p.price * p.multiplier * (1 + p.commissionRate));
  const lots = Math.floor(p.lotSize === 1 ? units : units / p.lotSize);
  return lotsToQuantity(lots, p.lotSize);
}

/** Inputs of {@link fixedRiskQuantity}. */
export interface FixedRiskSizing {
  /** Money lost if the stop is hit (1 R), account currency. */
  readonly riskAmount: number;
  /** Distance from entry to stop, price units (> 0 to trade). */
  readonly stopDistance: number;
  readonly multiplier: number;
  readonly lotSize: number;
  /** Fewest lots worth trading; a smaller result returns 0. Default 0. */
  readonly minLots?: number | undefined;
  /** Most lots allowed; larger results are capped. Default: no cap. */
  readonly maxLots?: number | undefined;
}

/**
 * Fixed-risk (R) sizing: `floor(riskAmount / (stopDistance × multiplier))` units rounded down to
 * lots, then 0 if below `minLots` lots and capped at `maxLots` lots.
 * @returns units (>= 0); 0 when `stopDistance` or `riskAmount` is not > 0.
 * @throws RangeError on `multiplier`/`lotSize` <= 0, negative `minLots`/`maxLots`, or min > max.
 */
export function fixedRiskQuantity(p: FixedRiskSizing): number {
  const fn = 'fixedRiskQuantity';
  requirePositive(fn, 'multiplier', p.multiplier);
  requirePositive(fn, 'lotSize', p.lotSize);
  const minLots = p.minLots ?? 0;
  requireNonNegative(fn, 'minLots', minLots);
  if (p.maxLots !== undefined) {
    requireNonNegative(fn, 'maxLots', p.maxLots);
    if (minLots > p.maxLots) throw new RangeError(`${fn}: minLots (${minLots}) must be <= maxLots (${p.maxLots})`);
  }
  const { riskAmount, stopDistance } = p;
  if (!(riskAmount > 0) || !(stopDistance > 0) || !Number.isFinite(riskAmount) || !Number.isFinite(stopDistance)) return 0;
  const units = riskAmount / (stopDistance * p.multiplier);
  let lots = Math.floor(p.lotSize === 1 ? units : units / p.lotSize);
  if (lots < minLots) return 0;
  if (p.maxLots !== undefined && lots > p.maxLots) lots = Math.floor(p.maxLots);
  return lotsToQuantity(lots, p.lotSize);
}

/** Inputs of {@link kellyFraction}. */
export interface KellyInputs {
  /** Probability of a winning trade, in [0, 1]. */
  readonly winRate: number;
  /** Average win / |average loss| (>= 0). */
  readonly payoff: number;
  /** Largest fraction to return (e.g. 0.25 for quarter-Kelly style caps), >= 0. */
  readonly cap: number;
}

/**
 * Kelly fraction of equity to risk: `max(0, min(cap, winRate − (1 − winRate) / payoff))`.
 * A payoff of 0 returns 0 (nothing to win).
 * @returns a fraction of equity in `[0, cap]`.
 * @throws RangeError when `winRate` is outside [0, 1], or `payoff`/`cap` is negative or NaN.
 */
export function kellyFraction(p: KellyInputs): number {
  const fn = 'kellyFraction';
  if (!(p.winRate >= 0 && p.winRate <= 1)) throw new RangeError(`${fn}: winRate must be in [0, 1], got ${p.winRate}`);
  if (!(p.payoff >= 0)) throw new RangeError(`${fn}: payoff must be >= 0, got ${p.payoff}`);
  requireNonNegative(fn, 'cap', p.cap);
  if (p.payoff === 0) return 0;
  const kelly = p.winRate - (1 - p.winRate) / p.payoff;
  return Math.max(0, Math.min(p.cap, kelly));
}
