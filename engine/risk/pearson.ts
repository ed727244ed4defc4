import { NOISE_FLOOR } from '../metrics/stats.js';

/**
 * Pearson correlation of columns `i` and `j` of `rows`, over the rows where both have a value.
 * @returns a value in [−1, 1], or `undefined` with fewer than 3 pairs or a constant column.
 */
export function pearsonCorrelation(rows: readonly (readonly (number | null)[])[], i: number, j: number): number | undefined {
  let n = 0;
  let sumX = 0;
  let sumY = 0;
  for (const row of rows) {
    const x = row[i] ?? null;
    const y = row[j] ?? null;
    if (x === null || y === null) continue;
    n++;
    sumX += x;
    sumY += y;
  }
  if (n < 3) return undefined;
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const row of rows) {
    const x = row[i] ?? null;
    const y = row[j] ?? null;
    if (x === null || y === null) continue;
    sxx += (x - meanX) ** 2;
    syy += (y - meanY) ** 2;
    sxy += (x - meanX) * (y - meanY);
  }
  // Compare standard deviations (not variances) with the noise floor: a constant column is no signal.
  if (Math.sqrt(sxx / n) <= NOISE_FLOOR || Math.sqrt(syy / n) <= NOISE_FLOOR) return undefined;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
