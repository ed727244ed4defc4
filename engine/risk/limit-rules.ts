import { formatNumber, reachedSign } from './format.js';
import { pauseSuffix, startBlock } from './risk-blocks.js';
import type { ResolvedRiskConfig } from './risk-config.js';
import type { RiskState } from './risk-state.js';
import type { RiskAction } from './risk-types.js';

/**
 * One loss limit measured against its current value: a halt when `value >= limit`, else a
 * WARNING (once per session per limit) when `value >= warnAt × limit`.
 */
function checkLimit(
  config: ResolvedRiskConfig,
  state: RiskState,
  limit: { readonly key: string; readonly name: string; readonly value: number; readonly max: number; readonly unit: string },
  halt: () => RiskAction[],
): RiskAction[] {
  const { key, name, value, max, unit } = limit;
  if (value >= max) return halt();
  if (value >= config.warnAt * max && !state.warned.includes(key)) {
    state.warned.push(key);
    const used = formatNumber((value / max) * 100);
    return [{ kind: 'WARNING', reason: `WARNING: ${used}% of ${name} used (${formatNumber(value)}${unit} of ${formatNumber(max)}${unit})` }];
  }
  return [];
}

/** The halt-for-session of the daily limits: flatten and cancel every order. */
function haltForSession(state: RiskState, label: string): RiskAction[] {
  return startBlock(state, { rule: 'daily', kind: 'halt', label, until: 'session', lastBar: -1, lastSession: state.sessionIndex }, true, true);
}

/**
 * The equity rules after a bar: daily loss in % of start-of-day equity (halt for the session) and
 * drawdown in % of the high-water mark (halt until the end of the run).
 */
export function checkEquityLimits(config: ResolvedRiskConfig, state: RiskState): RiskAction[] {
  const actions: RiskAction[] = [];
  const { dailyLossPct, maxDrawdownPct } = config;
  if (dailyLossPct !== undefined && state.startOfDayEquity > 0) {
    const loss = ((state.startOfDayEquity - state.equity) / state.startOfDayEquity) * 100;
    const label = `daily loss ${formatNumber(loss)}% ${reachedSign(loss, dailyLossPct)} ${formatNumber(dailyLossPct)}%`;
    actions.push(...checkLimit(config, state, { key: 'dailyLossPct', name: 'daily loss', value: loss, max: dailyLossPct, unit: '%' }, () => haltForSession(state, label)));
  }
  if (maxDrawdownPct !== undefined && state.highWaterMark > 0) {
    const drawdown = ((state.highWaterMark - state.equity) / state.highWaterMark) * 100;
    const label = `drawdown ${formatNumber(drawdown)}% ${reachedSign(drawdown, maxDrawdownPct)} ${formatNumber(maxDrawdownPct)}%`;
    const flatten = config.flattenOnDrawdown;
    const halt = (): RiskAction[] => startBlock(state, { rule: 'drawdown', kind: 'halt', label, until: 'end', lastBar: -1, lastSession: -1 }, flatten, flatten);
    actions.push(...checkLimit(config, state, { key: 'maxDrawdownPct', name: 'max drawdown', value: drawdown, max: maxDrawdownPct, unit: '%' }, halt));
  }
  return actions;
}

/** The daily R rules after a closed trade: session R loss and session R profit, both halt for the session. */
export function checkDailyR(config: ResolvedRiskConfig, state: RiskState): RiskAction[] {
  const actions: RiskAction[] = [];
  const { dailyLossR, dailyProfitR } = config;
  const lossR = -state.dailyR;
  if (dailyLossR !== undefined) {
    const label = `daily loss ${formatNumber(lossR)}R ${reachedSign(lossR, dailyLossR)} ${formatNumber(dailyLossR)}R`;
    actions.push(...checkLimit(config, state, { key: 'dailyLossR', name: 'daily loss R', value: lossR, max: dailyLossR, unit: 'R' }, () => haltForSession(state, label)));
  }
  if (dailyProfitR !== undefined && state.dailyR >= dailyProfitR) {
    actions.push(...haltForSession(state, `daily profit ${formatNumber(state.dailyR)}R ${reachedSign(state.dailyR, dailyProfitR)} ${formatNumber(dailyProfitR)}R`));
  }
  return actions;
}

/**
 * The consecutive-loss rule after a closed trade: a loss (`pnl < 0`) extends the streak, anything
 * else ends it; at `max` losses entries pause for `pauseBars` bars — the current bar (the trade
 * closed on it, before the strategy ran) and the ones after — and the streak restarts.
 */
export function checkConsecutiveLosses(config: ResolvedRiskConfig, state: RiskState, pnl: number): RiskAction[] {
  state.consecutiveLosses = pnl < 0 ? state.consecutiveLosses + 1 : 0;
  const rule = config.consecutiveLosses;
  if (rule === undefined || state.consecutiveLosses < rule.max) return [];
  const label = `${state.consecutiveLosses} consecutive losses`;
  state.consecutiveLosses = 0;
  const block = { rule: 'consecutiveLosses', kind: 'pause', label, until: 'bars', lastBar: state.bar + rule.pauseBars - 1, lastSession: -1 } as const;
  return startBlock(state, block, false, false, pauseSuffix(rule.pauseBars, 'bar'));
}

/** The volatility-spike pause: entries blocked on the spike bar and the bars after it, `pauseBars` in all. */
export function pauseForSpike(config: ResolvedRiskConfig, state: RiskState, label: string): RiskAction[] {
  const pauseBars = config.volSpike?.pauseBars ?? 1;
  const block = { rule: 'volSpike', kind: 'pause', label, until: 'bars', lastBar: state.bar + pauseBars - 1, lastSession: -1 } as const;
  return startBlock(state, block, false, false, pauseSuffix(pauseBars, 'bar'));
}
