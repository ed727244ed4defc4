import { mean, NOISE_FLOOR, sampleStd } from './stats.js';

/**
 * System Quality Number (Van Tharp) over trade P&Ls: `√N × mean(pnl) / sampleStd(pnl)`.
 * Uses every trade given (no cap at 100) and money P&L, not R-multiples.
 * @param pnls net P&L per closed trade, account currency.
 * @returns unitless; 0 when N < 2 or the P&Ls do not vary.
 */
export function systemQualityNumber(pnls: ArrayLike<number>): number {
  const n = pnls.length;
  if (n < 2) return 0;
  const std = sampleStd(pnls);
  if (!(std > NOISE_FLOOR)) return 0;
  return (Math.sqrt(n) * mean(pnls)) / std;
}
