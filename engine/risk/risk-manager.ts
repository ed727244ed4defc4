import { blockedReason, expireBlocks, resumedAction } from './risk-blocks.js';
import type { ResolvedRiskConfig } from './risk-config.js';
import { checkConsecutiveLosses, checkDailyR, checkEquityLimits, pauseForSpike } from './limit-rules.js';
import { entryRejection } from './order-checks.js';
import { recordReturns, requireKnownSymbols } from './return-history.js';
import { copyRiskState, initialRiskState, type RiskSnapshot, type RiskState } from './risk-state.js';
import type { OrderIntent, RiskAction, RiskBar, WorkingEntry } from './risk-types.js';
import { enterSession } from './session-rules.js';

/**
 * The risk manager of one run: pre-trade limits on every entry, circuit breakers after every bar
 * and every closed trade. Deterministic (no clock, no randomness): the same calls in the same
 * order give the same decisions, and a {@link snapshot} restores to the same decisions.
 *
 * Call order per bar (the engine's risk phase, after the portfolio marked the bar and before the
 * strategy): `onBar`, then `onTradeClosed` for each trade the broker closed on this bar (so it
 * counts in this bar's session), then `checkOrder` for each order the strategy wants to place.
 * Act on every returned {@link RiskAction}.
 */
export class RiskManager {
  readonly #config: ResolvedRiskConfig;
  readonly #symbols: readonly string[];
  readonly #symbolIndex: ReadonlyMap<string, number>;
  #state: RiskState;

  /**
   * @param config from {@link resolveRiskOptions}.
   * @param symbols every symbol the run may trade or report a close for, in the run's fixed order.
   */
  constructor(config: ResolvedRiskConfig, symbols: readonly string[]) {
    const index = new Map<string, number>();
    symbols.forEach((s, i) => {
      if (index.has(s)) throw new RangeError(`RiskManager: symbol ${s} is listed twice`);
      index.set(s, i);
    });
    this.#config = config;
    this.#symbols = Object.freeze([...symbols]);
    this.#symbolIndex = index;
    this.#state = initialRiskState(symbols.length);
  }

  /** `true` while entries are blocked (a halt or a pause). */
  get halted(): boolean {
    return this.#state.blocks.length > 0;
  }

  /** Sum of the R of the trades closed in the current session. */
  get dailyR(): number {
    return this.#state.dailyR;
  }

  /** Sum of the R of every trade closed in the run. */
  get cumulativeR(): number {
    return this.#state.cumulativeR;
  }

  /**
   * Books a marked bar: session change (daily reset, losing days), ends of pauses and session
   * halts, return histories (volatility spike), daily loss and drawdown from the high-water mark.
   * Entries allowed since the previous bar stop holding a slot: the bar's `positions` and
   * `workingEntries` now show them.
   * @returns the actions to take now, in order (RESUMED first).
   * @throws RangeError on a close or position of a symbol not given to the constructor.
   */
  onBar(bar: RiskBar): readonly RiskAction[] {
    requireKnownSymbols(bar.closes, this.#symbolIndex);
    for (const p of bar.positions) {
      if (!this.#symbolIndex.has(p.symbol)) throw new RangeError(`RiskManager.onBar: position in unknown symbol ${p.symbol}`);
    }
    const state = this.#state;
    state.bar++;
    const actions: RiskAction[] = [];
    actions.push(...enterSession(this.#config, state, bar.session, bar.equity));
    state.equity = bar.equity;
    state.highWaterMark = Math.max(state.highWaterMark, bar.equity);
    // Copies: the engine may reuse or mutate its arrays and records after this call.
    state.positions = bar.positions.map(({ symbol, qty, price, multiplier, entryPrice, stop }) => ({ symbol, qty, price, multiplier, entryPrice, stop }));
    state.workingEntries = (bar.workingEntries ?? []).map(({ symbol, side, qty, price, multiplier, stop }) => ({ symbol, side, qty, price, multiplier, stop }));
    state.reserved = [];
    const ended = expireBlocks(state);
    const spike = recordReturns(this.#config, state, this.#symbols, bar.closes);
    if (spike !== undefined) actions.push(...pauseForSpike(this.#config, state, spike));
    actions.push(...checkEquityLimits(this.#config, state));
    if (ended !== undefined && state.blocks.length === 0) actions.unshift(resumedAction(ended));
    return actions;
  }

  /**
   * Replaces the resting entry orders given at the last `onBar` — for an engine that cancelled or
   * changed some since (e.g. cancel-and-replace in one step), so a freed slot can be used again.
   * Entries allowed since the last `onBar` keep their slots; do not list them here.
   */
  setWorkingEntries(entries: readonly WorkingEntry[]): void {
    this.#state.workingEntries = entries.map(({ symbol, side, qty, price, multiplier, stop }) => ({ symbol, side, qty, price, multiplier, stop }));
  }

  /**
   * Pre-trade check of one order against the state of the last bar. Exits (`isEntry: false`) are
   * always allowed. An allowed entry holds its slot (counts as a position) until the next `onBar`.
   * @returns `undefined` when allowed, else the reason, e.g. `ORDER_REJECTED: max positions 5 reached`.
   * @throws Error before the first `onBar` (there is no equity or position state yet).
   */
  checkOrder(order: OrderIntent): string | undefined {
    if (!order.isEntry) return undefined;
    if (this.#state.bar < 0) throw new Error('RiskManager.checkOrder: called before the first onBar');
    const reason = blockedReason(this.#state) ?? entryRejection(this.#config, this.#state, this.#symbolIndex, order);
    if (reason === undefined) {
      const { symbol, side, qty, price, multiplier, stop } = order;
      this.#state.reserved.push({ symbol, side, qty, price, multiplier, stop });
    }
    return reason;
  }

  /**
   * Books a closed trade: its R (`rMultiple`, or `pnl / riskPerTrade` when the trade had no stop
   * and `riskPerTrade` is set, else 0) into the daily and cumulative R, and its P&L into the
   * consecutive-loss streak.
   * @param pnl net P&L of the trade, account currency.
   * @returns HALTED/WARNING actions of the daily R limits and the consecutive-loss pause.
   */
  onTradeClosed(pnl: number, rMultiple: number | undefined): readonly RiskAction[] {
    const state = this.#state;
    const perTrade = this.#config.riskPerTrade;
    const r = rMultiple ?? (perTrade === undefined ? 0 : pnl / perTrade);
    state.dailyR += r;
    state.cumulativeR += r;
    return [...checkDailyR(this.#config, state), ...checkConsecutiveLosses(this.#config, state, pnl)];
  }

  /** The whole state as plain JSON (a deep copy), for {@link RiskManager.restore}. */
  snapshot(): RiskSnapshot {
    return { version: 1, symbols: [...this.#symbols], state: copyRiskState(this.#state) };
  }

  /**
   * A manager in the state of `snapshot` (which may have been through JSON), taking the same
   * decisions as the one that made it.
   * @throws RangeError when the snapshot's version or symbols differ.
   */
  static restore(config: ResolvedRiskConfig, symbols: readonly string[], snapshot: RiskSnapshot): RiskManager {
    if (snapshot.version !== 1) throw new RangeError(`RiskManager.restore: unsupported snapshot version ${String(snapshot.version)}`);
    if (snapshot.symbols.length !== symbols.length || snapshot.symbols.some((s, i) => s !== symbols[i])) {
      throw new RangeError(`RiskManager.restore: snapshot symbols [${snapshot.symbols.join(', ')}] differ from [${symbols.join(', ')}]`);
    }
    const manager = new RiskManager(config, symbols);
    manager.#state = copyRiskState(snapshot.state);
    return manager;
  }
}
