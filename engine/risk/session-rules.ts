import { pauseSuffix, startBlock } from './risk-blocks.js';
import type { ResolvedRiskConfig } from './risk-config.js';
import type { RiskState } from './risk-state.js';
import type { RiskAction } from './risk-types.js';

/**
 * Moves the state to the session of a new bar. On the first bar, the bar's equity is the
 * start-of-day equity and the high-water mark. On a session change, the previous session is
 * closed (losing when its last equity is below its start-of-day equity), the daily figures reset
 * (start-of-day equity = the previous session's last equity, daily R 0, warnings re-armed) and the
 * losing-days rule may pause entries for `pauseDays` sessions, this one included.
 * @returns the HALTED action of a losing-days pause, if one starts.
 */
export function enterSession(config: ResolvedRiskConfig, state: RiskState, session: number, equity: number): RiskAction[] {
  if (state.session === null) {
    state.session = session;
    state.startOfDayEquity = equity;
    state.highWaterMark = equity;
    return [];
  }
  if (session === state.session) return [];
  state.losingDays = state.equity < state.startOfDayEquity ? state.losingDays + 1 : 0;
  state.session = session;
  state.sessionIndex++;
  state.startOfDayEquity = state.equity;
  state.dailyR = 0;
  state.warned = [];
  const rule = config.losingDays;
  if (rule === undefined || state.losingDays < rule.max) return [];
  const label = `${state.losingDays} losing sessions in a row`;
  state.losingDays = 0;
  const block = { rule: 'losingDays', kind: 'pause', label, until: 'session', lastBar: -1, lastSession: state.sessionIndex + rule.pauseDays - 1 } as const;
  return startBlock(state, block, false, false, pauseSuffix(rule.pauseDays, 'session'));
}
