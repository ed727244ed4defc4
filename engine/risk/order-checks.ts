import { capitalAtRisk, heldExposures, notional, orderExposure, sideOf, type Exposure } from './exposure.js';
import { formatNumber } from './format.js';
import { historicalVar } from './historical-var.js';
import { pearsonCorrelation } from './pearson.js';
import { positionLimitRejection } from './position-limits.js';
import type { ResolvedRiskConfig } from './risk-config.js';
import type { RiskState } from './risk-state.js';
import type { OrderIntent } from './risk-types.js';

/**
 * The pre-trade limits of an entry against what is held or committed (see {@link heldExposures}),
 * in a fixed order: notional, position counts, capital at risk, correlation, VaR.
 * @returns the first `ORDER_REJECTED: …` reason, or `undefined` when the entry is allowed.
 */
export function entryRejection(config: ResolvedRiskConfig, state: RiskState, symbolIndex: ReadonlyMap<string, number>, order: OrderIntent): string | undefined {
  const added = orderExposure(order);
  if (config.maxNotionalPerOrder !== undefined && notional(added) > config.maxNotionalPerOrder) {
    return `ORDER_REJECTED: notional ${formatNumber(notional(added))} > max ${formatNumber(config.maxNotionalPerOrder)}`;
  }
  const held = heldExposures(state);
  const limit = positionLimitRejection(config, held, order.symbol, sideOf(order));
  if (limit !== undefined) return limit;
  if (config.maxCapitalAtRisk !== undefined) {
    let total = capitalAtRisk(added);
    for (const e of held) total += capitalAtRisk(e);
    if (total > config.maxCapitalAtRisk) {
      return `ORDER_REJECTED: capital at risk ${formatNumber(total)} > max ${formatNumber(config.maxCapitalAtRisk)}`;
    }
  }
  return correlationRejection(config, state, symbolIndex, held, added) ?? varRejection(config, state, symbolIndex, held, added);
}

/** The last `lookback` simultaneous-return rows, or `undefined` while fewer have been seen (rule warming up). */
function lastRows(state: RiskState, lookback: number): (number | null)[][] | undefined {
  return state.stepReturns.length >= lookback ? state.stepReturns.slice(-lookback) : undefined;
}

function indexOf(symbolIndex: ReadonlyMap<string, number>, symbol: string): number {
  const i = symbolIndex.get(symbol);
  if (i === undefined) throw new RangeError(`RiskManager: unknown symbol ${symbol} — pass it in the constructor's symbols`);
  return i;
}

/** Rejects an entry correlated above `max` with a held symbol in the same direction (hedges pass). */
function correlationRejection(config: ResolvedRiskConfig, state: RiskState, symbolIndex: ReadonlyMap<string, number>, held: readonly Exposure[], added: Exposure): string | undefined {
  const rule = config.correlation;
  if (rule === undefined) return undefined;
  const rows = lastRows(state, rule.lookback);
  if (rows === undefined) return undefined;
  const i = indexOf(symbolIndex, added.symbol);
  const seen = new Set<string>([added.symbol]);
  for (const e of held) {
    if (Math.sign(e.qty) !== Math.sign(added.qty) || seen.has(e.symbol)) continue;
    seen.add(e.symbol);
    const rho = pearsonCorrelation(rows, i, indexOf(symbolIndex, e.symbol));
    if (rho !== undefined && rho > rule.max) {
      const side = added.qty > 0 ? 'long' : 'short';
      return `ORDER_REJECTED: correlation ${formatNumber(rho)} of ${added.symbol} with ${side} ${e.symbol} > max ${formatNumber(rule.max)}`;
    }
  }
  return undefined;
}

/** Rejects an entry that leaves the portfolio's VaR above `maxPct` of equity — unless it lowers VaR (a hedge). */
function varRejection(config: ResolvedRiskConfig, state: RiskState, symbolIndex: ReadonlyMap<string, number>, held: readonly Exposure[], added: Exposure): string | undefined {
  const rule = config.var;
  if (rule === undefined) return undefined;
  const rows = lastRows(state, rule.lookback);
  if (rows === undefined) return undefined;
  const values = new Float64Array(symbolIndex.size);
  for (const e of held) values[indexOf(symbolIndex, e.symbol)]! += e.qty * e.price * e.multiplier;
  const before = historicalVar(values, rows, rule.confidence);
  values[indexOf(symbolIndex, added.symbol)]! += added.qty * added.price * added.multiplier;
  const after = historicalVar(values, rows, rule.confidence);
  const pct = state.equity > 0 ? (after / state.equity) * 100 : Infinity;
  if (pct > rule.maxPct && after > before) {
    return `ORDER_REJECTED: VaR(${formatNumber(rule.confidence * 100)}%) ${formatNumber(pct)}% of equity > max ${formatNumber(rule.maxPct)}%`;
  }
  return undefined;
}
