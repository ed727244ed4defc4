/**
 * Total return in percent: `(finalEquity / initialCapital − 1) × 100`.
 * @param initialCapital account currency, > 0.
 * @param finalEquity account currency.
 */
export function totalReturnPct(initialCapital: number, finalEquity: number): number {
  return (finalEquity / initialCapital - 1) * 100;
}
