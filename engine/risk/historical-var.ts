/**
 * Historical-simulation value at risk of a portfolio, in money.
 *
 * Each row of `returns` is one past bar: the simultaneous return of every symbol (`null` when the
 * symbol had no bar then — its price did not move, so it contributes 0). Scenario P&L of a row is
 * `Σ values[i] × returns[row][i]`; VaR is minus the lower empirical quantile of the scenarios at
 * `1 − confidence`: the k-th smallest with `k = ceil((1 − confidence) × n)` (at least 1), so
 * 20 scenarios at 95 % use the worst one, 100 scenarios at 95 % the 5th worst.
 * @param values signed position value per symbol (qty × price × multiplier), account currency.
 * @param confidence fraction in (0, 1), e.g. 0.95.
 * @returns VaR in account currency (>= 0; 0 when the quantile scenario is a gain or there are no rows).
 */
export function historicalVar(values: ArrayLike<number>, returns: readonly (readonly (number | null)[])[], confidence: number): number {
  const n = returns.length;
  if (n === 0) return 0;
  const scenarios = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const row = returns[s]!;
    let pnl = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v !== 0) pnl += v * (row[i] ?? 0);
    }
    scenarios[s] = pnl;
  }
  scenarios.sort();
  return Math.max(0, -scenarios[varRank(n, confidence) - 1]!);
}

/** 1-based rank of the VaR scenario among `n` sorted ascending; the 1e-9 keeps 0.05 × 20 at 1 despite float noise. */
export function varRank(n: number, confidence: number): number {
  return Math.min(n, Math.max(1, Math.ceil((1 - confidence) * n - 1e-9)));
}
