import { createHash } from 'node:crypto';
import { DIGEST_VERSION } from '../engine/digest.js';
import { metricsFromSummary, type EquitySummary, type Metrics } from '../engine/metrics/index.js';
import { DAY_MS } from '../engine/metrics/stats.js';
import type { FloorInput } from './floor.js';
import { equitySummary, TRADE_FIELDS, tradeRows, type FloorTrades } from './floor-full-finish.js';

/**
 * The "same outputs" floor: `floor.ts`'s plain loop, extended to compute everything the engine's
 * lean run (`keepSeries: false, keepEvents: false`) returns, still in ONE loop over the columns
 * with no per-bar objects or calls (the only call is `hash.update` once per 512 bars, as the
 * engine's `DigestWriter` does):
 *
 * - the same trades as {@link floorSmaCross}, recorded into typed arrays that grow by doubling,
 *   with the engine's P&L arithmetic (`Portfolio.closeLot` + `TradeLog.push`, and
 *   `Portfolio.openTrades` for the position still open at the end);
 * - the full `EquityAccumulator` summary of the net equity curve: drawdown depth and duration in
 *   bars and UTC days, daily-return moments (shifted sums, downside squares against
 *   `riskFreeRate / 252`), exposure count, equity sum, first and last time — and, when commission
 *   is charged, the same for the curve with costs added back, as the engine's gross curve;
 * - the sha256 digest in `engine/digest.ts`'s canonical form (equity of every step, then 11
 *   float64 per trade, then the symbol names);
 * - at the end, the engine's own `metricsFromSummary` on those summaries and trades (O(trades)
 *   work, the same finishing code as `finishRun`, so metrics and grossMetrics are comparable).
 *
 * The arithmetic mirrors `engine/metrics/equity-accumulator.ts` operation for operation, so every
 * figure is bit-identical to the engine's (tested in `floor-full.test.ts`). A change to the
 * accumulator, the P&L arithmetic or the digest format must be mirrored here (and in
 * `floor-full-finish.ts`, which finishes the summaries and reads the trades back).
 *
 * V8 note: this one big function takes ~30–40 ms to optimize here, longer than the trades-only
 * loop; timed before that code is installed (after a GC dropped it, or in OSR) it runs 3–4× slower.
 * The bench therefore primes each case for at least 0.1 s (`PRIMING` in measure.ts).
 */

/** Inputs of {@link floorSmaCrossFull}: the trade floor's inputs plus what the digest and the daily statistics need. */
export interface FloorFullInput extends Omit<FloorInput, 'keepEquity'> {
  /** The symbol name (hashed into the digest when there is a trade). */
  readonly symbol: string;
  /** Bar close times, epoch ms UTC, non-decreasing (same length as `close`). */
  readonly timeMs: Float64Array;
  /** Annual risk-free rate as a fraction (default 0); Sortino's downside target is this ÷ 252. */
  readonly riskFreeRate?: number;
  /** Also keep the day-end equity of the net curve (`summary.dayEndEquity`), as a grid cell does. Default false. */
  readonly keepDayEnds?: boolean;
}

/** What {@link floorSmaCrossFull} computed: what `runBacktest(…, keepSeries: false, keepEvents: false)` returns. */
export interface FloorFullResult {
  readonly bars: number;
  readonly symbol: string;
  /** Streamed statistics of the net equity curve (as `EquityAccumulator.summary()`). */
  readonly summary: EquitySummary;
  /** The curve with fees and slippage added back; undefined without costs (as the engine). */
  readonly grossSummary: EquitySummary | undefined;
  readonly trades: FloorTrades;
  /** Σ |qty × price| over all fills, account currency. */
  readonly tradedValue: number;
  /** Total commission, account currency. */
  readonly feesPaid: number;
  /** Total slippage cost (always 0: the floor models no slippage). */
  readonly slippagePaid: number;
  /** Buy orders refused because the size rounded to 0. */
  readonly refusedOrders: number;
  /** Net metrics, from `metricsFromSummary`. */
  readonly metrics: Metrics;
  /** Gross-of-costs metrics (the same object as `metrics` without costs, as the engine). */
  readonly grossMetrics: Metrics;
  /** sha256 hex in `engine/digest.ts`'s form; equals the engine's `result.digest`. */
  readonly digest: string;
}

/** Equity values per `hash.update` (the engine's `DigestWriter` chunk). */
const CHUNK = 512;
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * Runs the same-output floor. Throws `RangeError` on bad periods, mismatched columns or a
 * non-positive capital.
 */
export function floorSmaCrossFull(input: FloorFullInput): FloorFullResult {
  const { open, close, timeMs: time, fast, slow, commissionRate: rate } = input;
  const n = close.length;
  const capital = input.initialCapital;
  if (open.length !== n || time.length !== n) throw new RangeError(`open has ${open.length} values, timeMs ${time.length}, close ${n}`);
  if (!(Number.isInteger(fast) && Number.isInteger(slow) && fast >= 1 && fast < slow)) {
    throw new RangeError(`need whole periods 1 <= fast < slow, got fast ${fast}, slow ${slow}`);
  }
  if (!(capital > 0) || !Number.isFinite(capital)) throw new RangeError(`initialCapital must be a finite number > 0, got ${capital}`);
  if (!LITTLE_ENDIAN) throw new RangeError('the floor hashes float64 bytes in place: little-endian hosts only');
  const riskFreeRate = input.riskFreeRate ?? 0;
  const target = riskFreeRate / 252;
  // The engine keeps a gross-of-costs curve only when some cost is non-zero.
  const gross = rate !== 0;
  const slippagePaid = 0;

  // Digest: version line, then equity bytes in chunks of 512 values.
  const hash = createHash('sha256');
  hash.update(`${DIGEST_VERSION}\n`);
  const chunk = new Float64Array(CHUNK);
  const chunkBytes = new Uint8Array(chunk.buffer);
  let filled = 0;

  // Trades: TRADE_FIELDS per record, grown by doubling.
  let capacity = 64;
  let records = new Float64Array(capacity * TRADE_FIELDS);
  let grossPnlColumn = new Float64Array(capacity);
  let entryStepColumn = new Float64Array(capacity);
  let exitStepColumn = new Float64Array(capacity);
  let tradeCount = 0;

  // Day-end equity of the net curve (only with keepDayEnds).
  const keepDayEnds = input.keepDayEnds === true;
  let dayEnds = new Float64Array(keepDayEnds ? 256 : 0);
  let days = 0;

  // RollingMean state, twice (see engine/indicators.ts; the arithmetic must stay identical).
  const fastWindow = new Float64Array(fast);
  let fastCount = 0;
  let fastHead = 0;
  let fastSum = 0;
  let fastComp = 0;
  const slowWindow = new Float64Array(slow);
  let slowCount = 0;
  let slowHead = 0;
  let slowSum = 0;
  let slowComp = 0;

  let previousFast = Number.NaN;
  let previousSlow = Number.NaN;
  let cash = capital;
  let qty = 0;
  let pendingBuy = false;
  let pendingSell = false;
  let refusedOrders = 0;
  let feesPaid = 0;
  let tradedValue = 0;
  // The open lot.
  let entryPrice = 0;
  let entryTime = 0;
  let entryStep = 0;
  let entryFeePerUnit = 0;

  // EquityAccumulator state. The day is shared (it depends on time only); `net…` and `gross…`
  // mirror one accumulator each.
  let day = Number.NaN;
  let nextDayStart = Number.NEGATIVE_INFINITY;
  let exposedBars = 0;
  let netPreviousDayEnd = Number.NaN;
  let netReturnCount = 0;
  let netReturnShift = 0;
  let netShiftedSum = 0;
  let netShiftedSquares = 0;
  let netDownside = 0;
  let netLast = Number.NaN;
  let netSum = 0;
  let netPeak = capital;
  let netWorst = 0;
  let netPeakIndex = -1;
  let netPeakDay = Number.NaN;
  let netUnderwater = false;
  let netLongestBars = 0;
  let netLongestDays = 0;
  let grossPreviousDayEnd = Number.NaN;
  let grossReturnCount = 0;
  let grossReturnShift = 0;
  let grossShiftedSum = 0;
  let grossShiftedSquares = 0;
  let grossDownside = 0;
  let grossLast = Number.NaN;
  let grossSum = 0;
  let grossPeak = capital;
  let grossWorst = 0;
  let grossPeakIndex = -1;
  let grossPeakDay = Number.NaN;
  let grossUnderwater = false;
  let grossLongestBars = 0;
  let grossLongestDays = 0;

  for (let i = 0; i < n; i++) {
    const timeMs = time[i]!;
    // Broker phase: orders placed at the previous close fill at this open (Portfolio.applyFill).
    if (pendingBuy) {
      pendingBuy = false;
      const price = open[i]!;
      const size = Math.floor(cash / (price * (1 + rate)));
      const fee = rate * price * size;
      if (size > 0 && size * price <= (cash - fee) * (1 + 1e-12)) {
        cash += -size * price - fee;
        feesPaid += fee;
        tradedValue += Math.abs(size * price);
        qty = size;
        entryPrice = price;
        entryTime = timeMs;
        entryStep = i;
        entryFeePerUnit = fee / size;
      } else refusedOrders++;
    } else if (pendingSell) {
      pendingSell = false;
      const price = open[i]!;
      const fee = rate * price * qty;
      cash += qty * price - fee;
      feesPaid += fee;
      tradedValue += Math.abs(qty * price);
      // Portfolio.closeLot + TradeLog.push (long, multiplier 1, no slippage).
      const grossPnl = (price - entryPrice) * qty * 1 * 1;
      const fees = (entryFeePerUnit + fee / qty) * qty;
      const slippageCost = (0 + 0) * qty * 1;
      if (tradeCount === capacity) {
        capacity *= 2;
        records = grownCopy(records, capacity * TRADE_FIELDS);
        grossPnlColumn = grownCopy(grossPnlColumn, capacity);
        entryStepColumn = grownCopy(entryStepColumn, capacity);
        exitStepColumn = grownCopy(exitStepColumn, capacity);
      }
      const at = tradeCount * TRADE_FIELDS;
      records[at] = 0;
      records[at + 1] = 1;
      records[at + 2] = qty;
      records[at + 3] = entryTime;
      records[at + 4] = timeMs;
      records[at + 5] = entryPrice;
      records[at + 6] = price;
      records[at + 7] = grossPnl - fees - slippageCost;
      records[at + 8] = fees;
      records[at + 9] = slippageCost;
      records[at + 10] = 0;
      grossPnlColumn[tradeCount] = grossPnl;
      entryStepColumn[tradeCount] = entryStep;
      exitStepColumn[tradeCount] = i;
      tradeCount++;
      qty = 0;
    }

    // Strategy phase.
    const c = close[i]!;
    let x: number;
    let t: number;
    if (fastCount === fast) {
      x = -fastWindow[fastHead]!;
      t = fastSum + x;
      if (Math.abs(fastSum) >= Math.abs(x)) fastComp += fastSum - t + x;
      else fastComp += x - t + fastSum;
      fastSum = t;
    } else fastCount++;
    fastWindow[fastHead] = c;
    fastHead = fastHead + 1 === fast ? 0 : fastHead + 1;
    t = fastSum + c;
    if (Math.abs(fastSum) >= Math.abs(c)) fastComp += fastSum - t + c;
    else fastComp += c - t + fastSum;
    fastSum = t;
    const f = fastCount === fast ? (fastSum + fastComp) / fast : Number.NaN;

    if (slowCount === slow) {
      x = -slowWindow[slowHead]!;
      t = slowSum + x;
      if (Math.abs(slowSum) >= Math.abs(x)) slowComp += slowSum - t + x;
      else slowComp += x - t + slowSum;
      slowSum = t;
    } else slowCount++;
    slowWindow[slowHead] = c;
    slowHead = slowHead + 1 === slow ? 0 : slowHead + 1;
    t = slowSum + c;
    if (Math.abs(slowSum) >= Math.abs(c)) slowComp += slowSum - t + c;
    else slowComp += c - t + slowSum;
    slowSum = t;
    const s = slowCount === slow ? (slowSum + slowComp) / slow : Number.NaN;

    if (previousFast < previousSlow && f > s) {
      if (qty <= 0) pendingBuy = true;
    } else if (previousFast > previousSlow && f < s) {
      if (qty > 0) pendingSell = true;
    }
    previousFast = f;
    previousSlow = s;

    // Marks: the engine's equity, then EquityAccumulator.push for each curve, then the digest.
    const exposed = qty !== 0;
    const e = exposed ? cash + qty * c : cash;
    const g = e + (feesPaid + slippagePaid);
    if (timeMs >= nextDayStart) {
      // A new UTC day: the previous bar closed the previous day (pushDayEnd).
      if (i > 0) {
        if (!Number.isNaN(netPreviousDayEnd)) {
          const r = netPreviousDayEnd === 0 ? 0 : netLast / netPreviousDayEnd - 1;
          if (netReturnCount++ === 0) netReturnShift = r;
          const d = r - netReturnShift;
          netShiftedSum += d;
          netShiftedSquares += d * d;
          const shortfall = Math.min(0, r - target);
          netDownside += shortfall * shortfall;
        }
        netPreviousDayEnd = netLast;
        if (keepDayEnds) {
          if (days === dayEnds.length) dayEnds = grownCopy(dayEnds, dayEnds.length * 2);
          dayEnds[days++] = netLast;
        }
        if (gross && !Number.isNaN(grossPreviousDayEnd)) {
          const r = grossPreviousDayEnd === 0 ? 0 : grossLast / grossPreviousDayEnd - 1;
          if (grossReturnCount++ === 0) grossReturnShift = r;
          const d = r - grossReturnShift;
          grossShiftedSum += d;
          grossShiftedSquares += d * d;
          const shortfall = Math.min(0, r - target);
          grossDownside += shortfall * shortfall;
        }
        grossPreviousDayEnd = grossLast;
      }
      day = Math.floor(timeMs / DAY_MS);
      nextDayStart = (day + 1) * DAY_MS;
      if (i === 0) {
        netPeakDay = day;
        grossPeakDay = day;
      }
    }
    if (exposed) exposedBars++;
    netLast = e;
    netSum += e;
    if (e >= netPeak) {
      if (netUnderwater) {
        if (i - netPeakIndex > netLongestBars) netLongestBars = i - netPeakIndex;
        if (day - netPeakDay > netLongestDays) netLongestDays = day - netPeakDay;
      }
      netUnderwater = false;
      netPeak = e;
      netPeakIndex = i;
      netPeakDay = day;
    } else {
      netUnderwater = true;
      const dd = ((netPeak - e) / netPeak) * 100;
      if (dd > netWorst) netWorst = dd;
    }
    if (gross) {
      grossLast = g;
      grossSum += g;
      if (g >= grossPeak) {
        if (grossUnderwater) {
          if (i - grossPeakIndex > grossLongestBars) grossLongestBars = i - grossPeakIndex;
          if (day - grossPeakDay > grossLongestDays) grossLongestDays = day - grossPeakDay;
        }
        grossUnderwater = false;
        grossPeak = g;
        grossPeakIndex = i;
        grossPeakDay = day;
      } else {
        grossUnderwater = true;
        const dd = ((grossPeak - g) / grossPeak) * 100;
        if (dd > grossWorst) grossWorst = dd;
      }
    }
    chunk[filled++] = e;
    if (filled === CHUNK) {
      hash.update(chunkBytes);
      filled = 0;
    }
  }
  if (filled > 0) hash.update(chunkBytes.subarray(0, filled * 8));

  const closed = tradeCount;
  if (qty !== 0) {
    // Portfolio.openTrades: the open lot marked at the last close, entry fee only.
    const mark = close[n - 1]!;
    const grossPnl = (mark - entryPrice) * qty * 1 * 1;
    const fees = entryFeePerUnit * qty;
    const slippageCost = 0 * qty * 1;
    if (tradeCount === capacity) {
      capacity *= 2;
      records = grownCopy(records, capacity * TRADE_FIELDS);
      grossPnlColumn = grownCopy(grossPnlColumn, capacity);
      entryStepColumn = grownCopy(entryStepColumn, capacity);
      exitStepColumn = grownCopy(exitStepColumn, capacity);
    }
    const at = tradeCount * TRADE_FIELDS;
    records[at] = 0;
    records[at + 1] = 1;
    records[at + 2] = qty;
    records[at + 3] = entryTime;
    records[at + 4] = Number.NaN;
    records[at + 5] = entryPrice;
    records[at + 6] = mark;
    records[at + 7] = grossPnl - fees - slippageCost;
    records[at + 8] = fees;
    records[at + 9] = slippageCost;
    records[at + 10] = 1;
    grossPnlColumn[tradeCount] = grossPnl;
    entryStepColumn[tradeCount] = entryStep;
    exitStepColumn[tradeCount] = Number.NaN;
    tradeCount++;
  }
  if (tradeCount > 0) hash.update(new Uint8Array(records.buffer, 0, tradeCount * TRADE_FIELDS * 8));
  hash.update(`\n${tradeCount > 0 ? input.symbol : ''}\n`);
  const digest = hash.digest('hex');

  const startTimeMs = n > 0 ? time[0]! : null;
  const endTimeMs = n > 0 ? time[n - 1]! : null;
  const summary = equitySummary({
    capital, n, startTimeMs, endTimeMs, target, exposedBars, day,
    last: netLast, sum: netSum, worst: netWorst, underwater: netUnderwater, peakIndex: netPeakIndex, peakDay: netPeakDay,
    longestBars: netLongestBars, longestDays: netLongestDays, previousDayEnd: netPreviousDayEnd,
    returnCount: netReturnCount, returnShift: netReturnShift, shiftedSum: netShiftedSum, shiftedSquares: netShiftedSquares, downside: netDownside,
    dayEnds: keepDayEnds ? dayEnds.subarray(0, days) : undefined,
  });
  const grossSummary = !gross
    ? undefined
    : equitySummary({
        capital, n, startTimeMs, endTimeMs, target, exposedBars, day,
        last: grossLast, sum: grossSum, worst: grossWorst, underwater: grossUnderwater, peakIndex: grossPeakIndex, peakDay: grossPeakDay,
        longestBars: grossLongestBars, longestDays: grossLongestDays, previousDayEnd: grossPreviousDayEnd,
        returnCount: grossReturnCount, returnShift: grossReturnShift, shiftedSum: grossShiftedSum, shiftedSquares: grossShiftedSquares, downside: grossDownside,
        dayEnds: undefined,
      });
  const trades: FloorTrades = {
    count: tradeCount,
    closed,
    records: records.subarray(0, tradeCount * TRADE_FIELDS),
    grossPnl: grossPnlColumn.subarray(0, tradeCount),
    entryStep: entryStepColumn.subarray(0, tradeCount),
    exitStep: exitStepColumn.subarray(0, tradeCount),
  };
  // finishRun's metrics: the same function over the same figures.
  const extras = { tradedValue, riskFreeRate };
  const metrics = metricsFromSummary(summary, { ...extras, trades: tradeRows(input.symbol, trades, false), feesPaid, slippagePaid });
  const grossMetrics =
    grossSummary === undefined
      ? metrics
      : metricsFromSummary(grossSummary, { ...extras, trades: tradeRows(input.symbol, trades, true), feesPaid: 0, slippagePaid: 0 });
  return { bars: n, symbol: input.symbol, summary, grossSummary, trades, tradedValue, feesPaid, slippagePaid, refusedOrders, metrics, grossMetrics, digest };
}

/** A copy of `column` in a new array of `length` values (growth by doubling). */
function grownCopy(column: Float64Array, length: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(length);
  grown.set(column);
  return grown;
}
