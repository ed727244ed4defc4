function requireCapital(initialCapital: number): void {
  if (!(initialCapital > 0) || !Number.isFinite(initialCapital)) {
    throw new RangeError(`initialCapital must be a finite number > 0, got ${initialCapital}`);
  }
}

/**
 * Drawdown at each bar in percent of the running peak, reported positive:
 * `(peak_t − E_t) / peak_t × 100` with `peak_t = max(initialCapital, E_0 … E_t)`, so the initial
 * capital is the first peak. 0 at a new high; above 100 only if equity goes below zero.
 * @param equity account equity at each bar close, account currency.
 * @param initialCapital account currency before the first bar, > 0.
 * @returns a new `Float64Array` of the same length.
 * @throws RangeError when `initialCapital` is not a finite number > 0.
 */
export function drawdownSeries(equity: Float64Array, initialCapital: number): Float64Array {
  requireCapital(initialCapital);
  const out = new Float64Array(equity.length);
  let peak = initialCapital;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    out[i] = ((peak - e) / peak) * 100;
  }
  return out;
}

/**
 * Maximum drawdown in percent (positive), over the equity series with the initial capital as
 * the first peak: `max_t (peak_t − E_t) / peak_t × 100`; 0 for an empty or never-falling series.
 * @throws RangeError when `initialCapital` is not a finite number > 0.
 */
export function maxDrawdownPct(equity: Float64Array, initialCapital: number): number {
  requireCapital(initialCapital);
  let peak = initialCapital;
  let worst = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    const dd = ((peak - e) / peak) * 100;
    if (dd > worst) worst = dd;
  }
  return worst;
}
