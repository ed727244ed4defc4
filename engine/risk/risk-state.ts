import type { RiskPosition, WorkingEntry } from './risk-types.js';

/** Why entries are blocked and until when. */
export interface RiskBlock {
  /** The rule that set it; a rule has at most one block at a time. */
  readonly rule: 'daily' | 'drawdown' | 'consecutiveLosses' | 'losingDays' | 'volSpike';
  /** `halt` for the loss limits (with flatten), `pause` for the cool-downs. */
  readonly kind: 'halt' | 'pause';
  /** What happened, e.g. `daily loss 2.1% > 2%`. */
  readonly label: string;
  readonly until: 'session' | 'bars' | 'end';
  /** For `bars`: the last bar index on which entries stay blocked. */
  readonly lastBar: number;
  /** For `session`: the last session index on which entries stay blocked. */
  readonly lastSession: number;
}

/**
 * Everything the risk manager remembers, as plain JSON-able data (arrays indexed like the
 * manager's `symbols`), so a snapshot is a deep copy and a restore is a deep copy back.
 */
export interface RiskState {
  /** Index of the last `onBar` (0-based), −1 before the first. */
  bar: number;
  /** Session key of the last bar, `null` before the first. */
  session: number | null;
  /** How many session changes have been seen (0 in the first session). */
  sessionIndex: number;
  /** Equity at the last bar of the previous session (the first bar's equity in the first session). */
  startOfDayEquity: number;
  /** Equity of the last bar. */
  equity: number;
  highWaterMark: number;
  /** Sum of the R of trades closed this session. */
  dailyR: number;
  /** Sum of the R of every trade closed in the run. */
  cumulativeR: number;
  consecutiveLosses: number;
  /** Losing sessions in a row, counted at each session change. */
  losingDays: number;
  blocks: RiskBlock[];
  /** Warnings already raised this session (one per limit per session). */
  warned: string[];
  /** Last close per symbol, `null` before its first bar. */
  lastClose: (number | null)[];
  /** Per symbol, its last `volSpike.lookback` bar returns, oldest first (only with `volSpike`). */
  symbolReturns: number[][];
  /** Per bar with any return, the return of each symbol on that bar (`null`: no bar), oldest first. */
  stepReturns: (number | null)[][];
  positions: readonly RiskPosition[];
  workingEntries: readonly WorkingEntry[];
  /** Entries allowed since the last `onBar`: they hold their slot until the engine reports them. */
  reserved: WorkingEntry[];
}

/** Plain-JSON state of a {@link RiskManager}, for crash-safe paper trading. */
export interface RiskSnapshot {
  readonly version: 1;
  readonly symbols: readonly string[];
  readonly state: RiskState;
}

/** The state of a manager that has seen no bar. */
export function initialRiskState(symbolCount: number): RiskState {
  return {
    bar: -1,
    session: null,
    sessionIndex: 0,
    startOfDayEquity: 0,
    equity: 0,
    highWaterMark: 0,
    dailyR: 0,
    cumulativeR: 0,
    consecutiveLosses: 0,
    losingDays: 0,
    blocks: [],
    warned: [],
    lastClose: new Array<number | null>(symbolCount).fill(null),
    symbolReturns: Array.from({ length: symbolCount }, () => []),
    stepReturns: [],
    positions: [],
    workingEntries: [],
    reserved: [],
  };
}

/** A deep copy through JSON (the state holds only JSON values; `undefined` stops become absent). */
export function copyRiskState(state: RiskState): RiskState {
  return JSON.parse(JSON.stringify(state)) as RiskState;
}
