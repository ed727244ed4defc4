/** Return of one calendar period (UTC), percent. */
export interface PeriodReturn {
  readonly year: number;
  /** 1–12 for monthly returns; absent for yearly ones. */
  readonly month?: number;
  /** `(last equity of the period / last equity before it − 1) × 100`. */
  readonly returnPct: number;
}

/**
 * Calendar-month returns of an equity curve (UTC months). The first month's base is
 * `startEquity` (the capital before the first bar), so the months compound to the total return.
 */
export function monthlyReturns(timeMs: ArrayLike<number>, equity: ArrayLike<number>, startEquity: number): PeriodReturn[] {
  return periodReturns(timeMs, equity, startEquity, (d) => d.getUTCFullYear() * 12 + d.getUTCMonth()).map((p) => ({
    year: Math.floor(p.key / 12),
    month: (p.key % 12) + 1,
    returnPct: p.returnPct,
  }));
}

/** Calendar-year returns of an equity curve (UTC years), compounding like {@link monthlyReturns}. */
export function yearlyReturns(timeMs: ArrayLike<number>, equity: ArrayLike<number>, startEquity: number): PeriodReturn[] {
  return periodReturns(timeMs, equity, startEquity, (d) => d.getUTCFullYear()).map((p) => ({ year: p.key, returnPct: p.returnPct }));
}

function periodReturns(timeMs: ArrayLike<number>, equity: ArrayLike<number>, startEquity: number, keyOf: (d: Date) => number) {
  const out: { key: number; returnPct: number }[] = [];
  let base = startEquity;
  for (let i = 0; i < timeMs.length; i++) {
    const key = keyOf(new Date(timeMs[i]!));
    const lastOfPeriod = i + 1 === timeMs.length || keyOf(new Date(timeMs[i + 1]!)) !== key;
    if (!lastOfPeriod) continue;
    const close = equity[i]!;
    out.push({ key, returnPct: base > 0 ? (close / base - 1) * 100 : Number.NaN });
    base = close;
  }
  return out;
}
