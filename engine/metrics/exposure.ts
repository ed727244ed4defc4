/**
 * Share of bars with a position, in percent: bars whose exposure is non-zero (gross position
 * value / equity > 0) over all bars × 100. NaN entries count as flat.
 * @param exposure per-bar gross exposure (fraction of equity, 0 when flat).
 * @returns percent in [0, 100]; 0 for no bars.
 */
export function exposurePct(exposure: Float64Array): number {
  const n = exposure.length;
  if (n === 0) return 0;
  let invested = 0;
  for (let i = 0; i < n; i++) {
    const x = exposure[i]!;
    if (x !== 0 && !Number.isNaN(x)) invested++;
  }
  return (invested / n) * 100;
}
