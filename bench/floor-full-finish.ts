import type { EquitySummary } from '../engine/metrics/index.js';
import type { Trade } from '../engine/trade.js';

/**
 * The end of a same-output floor run (`floor-full.ts`): the trade record layout, what
 * `EquityAccumulator.summary()` adds to the loop's end state, and the recorded trades as `Trade`
 * rows for the metrics. O(1) or O(trades) work, after the loop.
 */

/** Digest fields per trade (see `engine/digest.ts`). */
export const TRADE_FIELDS = 11;

/**
 * The trades, closed ones in closing order then the open one (if any), as `TRADE_FIELDS` float64
 * per trade in the digest's order: symbol number, side (+1), qty, entry time, exit time (NaN while
 * open), entry price, exit price, pnl, fees, slippage cost, open (1/0); plus columns the digest
 * does not hold.
 */
export interface FloorTrades {
  /** Trades recorded (closed + open). */
  readonly count: number;
  readonly closed: number;
  /** `count × TRADE_FIELDS` values (a view of the grown array). */
  readonly records: Float64Array;
  /** P&L from prices alone, per trade. */
  readonly grossPnl: Float64Array;
  /** Step (bar index) of the entry and exit fills (NaN exit while open). */
  readonly entryStep: Float64Array;
  readonly exitStep: Float64Array;
}

/** The end state of one accumulator, as {@link equitySummary} finishes it. */
export interface AccumulatorState {
  readonly capital: number;
  readonly n: number;
  readonly startTimeMs: number | null;
  readonly endTimeMs: number | null;
  readonly target: number;
  readonly exposedBars: number;
  readonly day: number;
  readonly last: number;
  readonly sum: number;
  readonly worst: number;
  readonly underwater: boolean;
  readonly peakIndex: number;
  readonly peakDay: number;
  readonly longestBars: number;
  readonly longestDays: number;
  readonly previousDayEnd: number;
  readonly returnCount: number;
  readonly returnShift: number;
  readonly shiftedSum: number;
  readonly shiftedSquares: number;
  readonly downside: number;
  /** Day ends pushed so far (the last day's is added here), or undefined when not kept. */
  readonly dayEnds: Float64Array | undefined;
}

/** `EquityAccumulator.summary()` on the loop's end state: the open drawdown span and the last day's return. */
export function equitySummary(a: AccumulatorState): EquitySummary {
  const n = a.n;
  let longestBars = a.longestBars;
  let longestDays = a.longestDays;
  if (a.underwater) {
    longestBars = Math.max(longestBars, n - 1 - a.peakIndex);
    longestDays = Math.max(longestDays, a.day - a.peakDay);
  }
  let dayEnds: Float64Array | undefined;
  if (a.dayEnds !== undefined) {
    dayEnds = new Float64Array(n > 0 ? a.dayEnds.length + 1 : 0);
    if (n > 0) {
      dayEnds.set(a.dayEnds);
      dayEnds[a.dayEnds.length] = a.last;
    }
  }
  let count = a.returnCount;
  let shift = a.returnShift;
  let sum = a.shiftedSum;
  let squares = a.shiftedSquares;
  let downside = a.downside;
  if (n > 0 && !Number.isNaN(a.previousDayEnd)) {
    const r = a.previousDayEnd === 0 ? 0 : a.last / a.previousDayEnd - 1;
    if (count === 0) shift = r;
    count++;
    const d = r - shift;
    sum += d;
    squares += d * d;
    const shortfall = Math.min(0, r - a.target);
    downside += shortfall * shortfall;
  }
  const mean = count > 0 ? shift + sum / count : 0;
  const m2 = count > 0 ? Math.max(0, squares - (sum * sum) / count) : 0;
  return Object.freeze({
    initialCapital: a.capital,
    bars: n,
    startTimeMs: a.startTimeMs,
    endTimeMs: a.endTimeMs,
    finalEquity: n > 0 ? a.last : a.capital,
    equitySum: a.sum,
    maxDrawdownPct: a.worst,
    maxDrawdownDurationBars: longestBars,
    maxDrawdownDurationDays: longestDays,
    dayEndEquity: dayEnds,
    dailyReturns: Object.freeze({ count, mean, m2, downsideSquares: downside, downsideTarget: a.target }),
    exposedBars: a.exposedBars,
  });
}

/**
 * The recorded trades as `Trade`s through ONE reused row (as `finishRun` reads its trade log);
 * `asGross` gives them as if they had cost nothing (the engine's gross views). Read each row
 * inside the loop; never keep it.
 */
export function* tradeRows(symbol: string, trades: FloorTrades, asGross = false): Generator<Trade> {
  const row: { -readonly [K in keyof Trade]: Trade[K] } = {
    instrumentId: symbol, side: 'long', qty: 0, entryTimeMs: 0, exitTimeMs: undefined, entryPrice: 0, exitPrice: 0,
    pnl: 0, grossPnl: 0, fees: 0, slippageCost: 0, entryStep: 0, exitStep: undefined,
    entryTag: 'cross-up', exitTag: undefined, open: false, initialRisk: undefined,
  };
  const r = trades.records;
  for (let k = 0; k < trades.count; k++) {
    const at = k * TRADE_FIELDS;
    const open = r[at + 10] === 1;
    row.side = r[at + 1] === 1 ? 'long' : 'short';
    row.qty = r[at + 2]!;
    row.entryTimeMs = r[at + 3]!;
    row.exitTimeMs = open ? undefined : r[at + 4]!;
    row.entryPrice = r[at + 5]!;
    row.exitPrice = r[at + 6]!;
    row.grossPnl = trades.grossPnl[k]!;
    row.pnl = asGross ? row.grossPnl : r[at + 7]!;
    row.fees = asGross ? 0 : r[at + 8]!;
    row.slippageCost = asGross ? 0 : r[at + 9]!;
    row.entryStep = trades.entryStep[k]!;
    row.exitStep = open ? undefined : trades.exitStep[k]!;
    row.exitTag = open ? undefined : 'cross-down';
    row.open = open;
    yield row;
  }
}
