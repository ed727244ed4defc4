/**
 * Small numeric helpers over plain loops (no allocation), shared by the metric functions.
 * Summation is left to right, so results are bit-for-bit reproducible.
 */

/** Arithmetic mean; 0 for an empty input. */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  return sum / n;
}

/** Sample standard deviation (divides by n − 1); 0 for fewer than two values. */
export function sampleStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - m;
    squares += d * d;
  }
  return Math.sqrt(squares / (n - 1));
}

/**
 * Dispersions below this are float noise from averaging a constant series (0.1 + 0.1 + 0.1 ≠ 0.3),
 * not risk; ratios with such a denominator are reported as 0 rather than as ~1e16.
 */
export const NOISE_FLOOR = 1e-14;

/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/** UTC calendar day number of an epoch-ms timestamp (days since 1970-01-01). */
export function utcDay(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS);
}
