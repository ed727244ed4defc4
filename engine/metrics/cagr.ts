import { DAY_MS } from './stats.js';

/** One average calendar year (365.25 days) in milliseconds. */
export const YEAR_MS = 365.25 * DAY_MS;

/**
 * Compound annual growth rate in percent:
 * `((finalEquity / initialCapital) ^ (365.25 days / (endTimeMs − startTimeMs)) − 1) × 100`.
 * @param initialCapital account currency, > 0.
 * @param finalEquity account currency.
 * @param startTimeMs time of the first bar, epoch ms.
 * @param endTimeMs time of the last bar, epoch ms.
 * @returns percent per year; 0 when the span is not positive (one bar); −100 when final equity
 *   is 0 or below. Very short spans can overflow to `Infinity` (serialized as `null` in JSON).
 */
export function cagrPct(initialCapital: number, finalEquity: number, startTimeMs: number, endTimeMs: number): number {
  const span = endTimeMs - startTimeMs;
  if (!(span > 0)) return 0;
  const ratio = finalEquity / initialCapital;
  if (!(ratio > 0)) return -100;
  return (ratio ** (YEAR_MS / span) - 1) * 100;
}
