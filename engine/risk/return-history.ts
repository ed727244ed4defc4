import { mean, NOISE_FLOOR, sampleStd } from '../metrics/stats.js';
import { formatNumber } from './format.js';
import type { ResolvedRiskConfig } from './risk-config.js';
import type { RiskState } from './risk-state.js';
import type { RiskBar } from './risk-types.js';

/** This bar's close of `symbol`, `undefined` when it has no bar now. */
function closeOf(closes: RiskBar['closes'], symbol: string): number | undefined {
  return closes instanceof Map ? closes.get(symbol) : (closes as Readonly<Record<string, number>>)[symbol];
}

/** Throws on a close of a symbol the manager was not built with (a wiring mistake, not data). */
export function requireKnownSymbols(closes: RiskBar['closes'], symbolIndex: ReadonlyMap<string, number>): void {
  const keys = closes instanceof Map ? closes.keys() : Object.keys(closes);
  for (const symbol of keys) {
    if (!symbolIndex.has(symbol)) throw new RangeError(`RiskManager.onBar: close of unknown symbol ${symbol} — pass it in the constructor's symbols`);
  }
}

/**
 * Books this bar's returns (`close / previous close − 1` per symbol with a bar now) into the
 * per-symbol windows (for `volSpike`) and the simultaneous-return rows (for `var` and
 * `correlation`), each kept only when its rule is on.
 * @returns the label of the first volatility spike in symbol order — a return more than
 *   `k` sample SDs from the mean of the symbol's previous `lookback` returns — or `undefined`.
 */
export function recordReturns(config: ResolvedRiskConfig, state: RiskState, symbols: readonly string[], closes: RiskBar['closes']): string | undefined {
  const rowLength = Math.max(config.var?.lookback ?? 0, config.correlation?.lookback ?? 0);
  const row: (number | null)[] = [];
  let anyReturn = false;
  let spike: string | undefined;
  for (let i = 0; i < symbols.length; i++) {
    const close = closeOf(closes, symbols[i]!);
    const previous = state.lastClose[i] ?? null;
    let r: number | null = null;
    if (close !== undefined && Number.isFinite(close)) {
      if (previous !== null && previous !== 0) r = close / previous - 1;
      state.lastClose[i] = close;
    }
    row.push(r);
    if (r === null) continue;
    anyReturn = true;
    if (config.volSpike !== undefined) {
      // Every symbol's return is booked, also after a spike in an earlier symbol.
      const label = bookSymbolReturn(config.volSpike, state.symbolReturns[i]!, r, symbols[i]!);
      spike ??= label;
    }
  }
  if (rowLength > 0 && anyReturn) {
    state.stepReturns.push(row);
    if (state.stepReturns.length > rowLength) state.stepReturns.shift();
  }
  return spike;
}

function bookSymbolReturn(rule: NonNullable<ResolvedRiskConfig['volSpike']>, window: number[], r: number, symbol: string): string | undefined {
  let spike: string | undefined;
  if (window.length >= rule.lookback) {
    const sd = sampleStd(window);
    const deviation = Math.abs(r - mean(window));
    if (sd > NOISE_FLOOR && deviation > rule.k * sd) {
      spike = `volatility spike ${symbol} return ${formatNumber(r * 100)}% beyond ${rule.k} sd (${formatNumber(sd * 100)}%)`;
    }
  }
  window.push(r);
  if (window.length > rule.lookback) window.shift();
  return spike;
}
