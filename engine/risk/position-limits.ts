import type { Exposure } from './exposure.js';
import type { ResolvedRiskConfig } from './risk-config.js';

/**
 * The position-count limits for an entry that would open one more position (in `symbol`, on
 * `side`): total, per side, per symbol and per group. A limit is hit when the held count already
 * equals it, e.g. `ORDER_REJECTED: max positions 5 reached`.
 * @returns the rejection, or `undefined` when every count stays within its limit.
 */
export function positionLimitRejection(config: ResolvedRiskConfig, held: readonly Exposure[], symbol: string, side: 'long' | 'short'): string | undefined {
  const { maxOpenPositions, maxPositionsPer, groups } = config;
  if (maxOpenPositions !== undefined && held.length >= maxOpenPositions) {
    return `ORDER_REJECTED: max positions ${maxOpenPositions} reached`;
  }
  if (maxPositionsPer.side !== undefined) {
    const count = held.filter((e) => (e.qty > 0 ? 'long' : 'short') === side).length;
    if (count >= maxPositionsPer.side) return `ORDER_REJECTED: max ${side} positions ${maxPositionsPer.side} reached`;
  }
  if (maxPositionsPer.symbol !== undefined) {
    const count = held.filter((e) => e.symbol === symbol).length;
    if (count >= maxPositionsPer.symbol) return `ORDER_REJECTED: max positions per symbol ${maxPositionsPer.symbol} reached for ${symbol}`;
  }
  const group = Object.hasOwn(groups, symbol) ? groups[symbol] : undefined;
  if (maxPositionsPer.group !== undefined && group !== undefined) {
    const count = held.filter((e) => Object.hasOwn(groups, e.symbol) && groups[e.symbol] === group).length;
    if (count >= maxPositionsPer.group) return `ORDER_REJECTED: max positions per group ${maxPositionsPer.group} reached for ${group}`;
  }
  return undefined;
}
