/**
 * Calmar ratio: `cagrPct / maxDrawdownPct` (both in percent, so the ratio is unitless).
 * @returns 0 when there was no drawdown (the ratio would be unbounded).
 */
export function calmarRatio(cagrPct: number, maxDrawdownPct: number): number {
  return maxDrawdownPct > 0 ? cagrPct / maxDrawdownPct : 0;
}
