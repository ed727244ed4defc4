import type { RiskAction } from './risk-types.js';
import type { RiskBlock, RiskState } from './risk-state.js';

/**
 * Starts a block and returns the HALTED action to report (`HALTED: <label><suffix>`). A rule that
 * is already blocking keeps its first label and only has its end pushed out, and nothing is
 * reported, so a limit that stays breached bar after bar is reported once.
 */
export function startBlock(state: RiskState, block: RiskBlock, flatten: boolean, cancelOrders: boolean, suffix = ''): RiskAction[] {
  const at = state.blocks.findIndex((b) => b.rule === block.rule);
  const existing = state.blocks[at];
  if (existing !== undefined) {
    state.blocks[at] = { ...existing, lastBar: Math.max(existing.lastBar, block.lastBar), lastSession: Math.max(existing.lastSession, block.lastSession) };
    return [];
  }
  state.blocks.push(block);
  return [{ kind: 'HALTED', reason: `HALTED: ${block.label}${suffix}`, flatten, cancelOrders, until: block.until }];
}

/** `, pause 5 bars` / `, pause 1 session`: the suffix of a pause's HALTED reason. */
export function pauseSuffix(count: number, unit: 'bar' | 'session'): string {
  return `, pause ${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * Drops the blocks that are over at the current bar and session.
 * @returns the first block that ended, or `undefined`.
 */
export function expireBlocks(state: RiskState): RiskBlock | undefined {
  let first: RiskBlock | undefined;
  state.blocks = state.blocks.filter((b) => {
    const over = (b.until === 'bars' && state.bar > b.lastBar) || (b.until === 'session' && state.sessionIndex > b.lastSession);
    first ??= over ? b : undefined;
    return !over;
  });
  return first;
}

/** The RESUMED action for a block that ended, e.g. `RESUMED: new session`. */
export function resumedAction(ended: RiskBlock): RiskAction {
  return { kind: 'RESUMED', reason: ended.until === 'session' ? 'RESUMED: new session' : `RESUMED: pause over (${ended.label})` };
}

const PRECEDENCE: Readonly<Record<RiskBlock['until'], number>> = { end: 0, session: 1, bars: 2 };

/**
 * The rejection of an entry while blocked, naming the longest-lasting block:
 * `ORDER_REJECTED: halted (daily loss 2.1% > 2%)` or `ORDER_REJECTED: paused (3 consecutive losses)`.
 * `undefined` when entries are allowed.
 */
export function blockedReason(state: RiskState): string | undefined {
  let chosen: RiskBlock | undefined;
  for (const b of state.blocks) {
    if (chosen === undefined || PRECEDENCE[b.until] < PRECEDENCE[chosen.until]) chosen = b;
  }
  if (chosen === undefined) return undefined;
  return `ORDER_REJECTED: ${chosen.kind === 'halt' ? 'halted' : 'paused'} (${chosen.label})`;
}
