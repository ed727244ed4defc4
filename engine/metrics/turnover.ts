import { mean } from './stats.js';

/**
 * Turnover over the whole run: traded value / mean equity (not annualized; 2 means the account
 * traded twice its average equity).
 * @param tradedValue Σ |fill notional| over all fills, account currency.
 * @param equity account equity at each bar close.
 * @returns a multiple (unitless); 0 for no bars or a non-positive mean equity.
 */
export function turnover(tradedValue: number, equity: Float64Array): number {
  const average = mean(equity);
  return average > 0 ? tradedValue / average : 0;
}
