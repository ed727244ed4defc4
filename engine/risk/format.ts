/** Number formatting for risk reasons: stable, locale-free, short (`2.1`, `97900`, `-0.35`). */

/** `x` rounded to at most two decimals, trailing zeros dropped (`2.1000000000000001` → `2.1`). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const rounded = Math.round(x * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

/** `>` when `value` is strictly beyond `limit`, `>=` when it just reached it (limits trigger on reaching). */
export function reachedSign(value: number, limit: number): string {
  return value > limit ? '>' : '>=';
}
