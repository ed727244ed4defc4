/**
 * The "trades only" benchmark floor: `sma-cross` (long only) as one plain loop over `Float64Array`
 * columns, with no objects, events or calls per bar. It makes the same decisions as the engine bit
 * for bit:
 *
 * - the rolling means are `RollingMean`'s compensated (Kahan–Babuška) sums, inlined;
 * - a cross at bar t is `fast[t-1] < slow[t-1] && fast[t] > slow[t]` (mirror for down), NaN-safe;
 * - orders fill at the next bar's open: a buy while flat for `floor(cash / (open × (1 + rate)))`
 *   units (refused when that is 0), a sell of the whole position on a cross down while long;
 * - a percent commission `rate × price × qty` per fill, zero slippage, lot 1, multiplier 1;
 * - equity is `cash + qty × close` at every close, folded into running figures (the same drawdown
 *   arithmetic as `EquityAccumulator`), or also written to a column when `keepEquity` is set.
 *
 * It computes only the trades and a few running figures (final equity, drawdown depth, equity sum,
 * exposed bars) — much less than the engine's lean run returns (every metric, the trade records and
 * the sha256 digest) — so it is the strictest speed limit for this strategy in JavaScript, not a
 * like-with-like comparison. `floor-full.ts` is the "same outputs" floor: the same loop plus
 * everything the lean run returns, digest included; the bench's aims refer to that one. The bench
 * asserts that the engine and both floors agree on closed trades, final equity and max drawdown
 * (and the same-output floor on the digest) before it prints a ratio.
 *
 * V8 note: one call over millions of bars starts in on-stack-replacement code, which runs this loop
 * 3–4× slower than regularly optimized code (doubles stay boxed), and a GC can throw optimized code
 * away ("weak objects"). The bench therefore primes every case on a few thousand bars (for at least
 * 0.1 s: `PRIMING` in measure.ts) right before
 * each timed sample (measured here: 12 ns/bar primed, 35–65 ns/bar unprimed on 2 M bars).
 * Splitting the loop into chunks avoids OSR but cost ~30 % in steady state, so the loop stays whole.
 */

/** Inputs of {@link floorSmaCross} (and, extended, of `floorSmaCrossFull`). */
export interface FloorInput {
  readonly open: Float64Array;
  readonly close: Float64Array;
  /** Fast SMA period, bars (the engine's default is 10). */
  readonly fast: number;
  /** Slow SMA period, bars (default 30). */
  readonly slow: number;
  /** Starting cash, account currency. */
  readonly initialCapital: number;
  /** Percent-of-value commission as a fraction (`0.001` = 0.1 %); 0 for none. */
  readonly commissionRate: number;
  /**
   * Also write equity at every close into a freshly allocated `Float64Array(bars)` (what keeping
   * the equity curve costs, page faults of a new large array included). Default false.
   */
  readonly keepEquity?: boolean;
}

/** What the floor computed. */
export interface FloorResult {
  readonly bars: number;
  /** Round trips closed (one per sell fill). */
  readonly closedTrades: number;
  /** 1 when a position is still open after the last bar, else 0. */
  readonly openTrades: number;
  /** Equity at the last close (the initial capital when there are no bars). */
  readonly finalEquity: number;
  /** Largest peak-to-trough fall in percent of the peak (initial capital is the first peak). */
  readonly maxDrawdownPct: number;
  /** Σ equity over all closes. */
  readonly equitySum: number;
  /** Closes at which a position was open. */
  readonly exposedBars: number;
  /** Buy orders refused because the size rounded to 0. */
  readonly refusedOrders: number;
  /** Equity at every close, only with `keepEquity`. */
  readonly equity: Float64Array | undefined;
}

/** Runs the floor loop. Throws `RangeError` on bad periods or mismatched columns. */
export function floorSmaCross(input: FloorInput): FloorResult {
  const { open, close, fast, slow, commissionRate: rate } = input;
  const n = close.length;
  if (open.length !== n) throw new RangeError(`open has ${open.length} values, close ${n}`);
  if (!(Number.isInteger(fast) && Number.isInteger(slow) && fast >= 1 && fast < slow)) {
    throw new RangeError(`need whole periods 1 <= fast < slow, got fast ${fast}, slow ${slow}`);
  }
  const equity = input.keepEquity === true ? new Float64Array(n) : undefined;

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
  let cash = input.initialCapital;
  let qty = 0;
  let pendingBuy = false;
  let pendingSell = false;
  let closedTrades = 0;
  let refusedOrders = 0;
  let peak = input.initialCapital;
  let worst = 0;
  let equitySum = 0;
  let exposedBars = 0;
  let last = input.initialCapital;

  for (let i = 0; i < n; i++) {
    // Broker phase: orders placed at the previous close fill at this open.
    if (pendingBuy) {
      pendingBuy = false;
      const price = open[i]!;
      const size = Math.floor(cash / (price * (1 + rate)));
      const fee = rate * price * size;
      if (size > 0 && size * price <= (cash - fee) * (1 + 1e-12)) {
        cash += -size * price - fee;
        qty = size;
      } else refusedOrders++;
    } else if (pendingSell) {
      pendingSell = false;
      const price = open[i]!;
      const fee = rate * price * qty;
      cash += qty * price - fee;
      qty = 0;
      closedTrades++;
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

    // Marks and running figures.
    const e = qty !== 0 ? cash + qty * c : cash;
    last = e;
    equitySum += e;
    if (qty !== 0) exposedBars++;
    if (e >= peak) peak = e;
    else {
      const dd = ((peak - e) / peak) * 100;
      if (dd > worst) worst = dd;
    }
    if (equity !== undefined) equity[i] = e;
  }

  return {
    bars: n,
    closedTrades,
    openTrades: qty !== 0 ? 1 : 0,
    finalEquity: last,
    maxDrawdownPct: worst,
    equitySum,
    exposedBars,
    refusedOrders,
    equity,
  };
}
