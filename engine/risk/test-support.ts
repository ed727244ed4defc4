/** Builders shared by the risk tests: bars, positions and orders with plain defaults. */
import { resolveRiskOptions, type RiskOptions } from './risk-config.js';
import { RiskManager } from './risk-manager.js';
import type { OrderIntent, RiskBar, RiskPosition } from './risk-types.js';

export const T0_MS = Date.UTC(2024, 0, 2, 21);
const HOUR_MS = 3_600_000;

/** A manager for `options` over `symbols` (default AAA, BBB, CCC, DDD). */
export function manager(options: RiskOptions, symbols: readonly string[] = ['AAA', 'BBB', 'CCC', 'DDD']): RiskManager {
  return new RiskManager(resolveRiskOptions(options), symbols);
}

/** A bar at step `step` of session `session` (default 1) with no positions and no closes. */
export function bar(equity: number, fields: Partial<RiskBar> & { readonly step?: number } = {}): RiskBar {
  const { step = 0, ...rest } = fields;
  return { timeMs: T0_MS + step * HOUR_MS, session: 1, equity, positions: [], closes: {}, ...rest };
}

/** An open position: `qty` signed, mark = entry = `price` (default 100), multiplier 1, no stop. */
export function position(symbol: string, qty: number, fields: Partial<RiskPosition> = {}): RiskPosition {
  return { symbol, qty, price: 100, multiplier: 1, entryPrice: fields.price ?? 100, stop: undefined, ...fields };
}

/** An entry order at `price` (default 100), multiplier 1, no stop. */
export function entry(symbol: string, side: 'buy' | 'sell', qty: number, fields: Partial<OrderIntent> = {}): OrderIntent {
  return { symbol, side, qty, price: 100, multiplier: 1, stop: undefined, isEntry: true, ...fields };
}

/** Feeds one bar per row of closes (session 1, equity 100000), returning the manager. */
export function feedCloses(risk: RiskManager, rows: readonly Readonly<Record<string, number>>[], positions: readonly RiskPosition[] = []): RiskManager {
  rows.forEach((closes, step) => risk.onBar(bar(100_000, { step, closes, positions })));
  return risk;
}
