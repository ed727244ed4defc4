/**
 * Picks at most about `maxPoints` indices of a series for plotting: the series is cut into equal
 * buckets and each bucket keeps its first, last, minimum and maximum point, so peaks and drawdown
 * troughs survive (a plain stride would skip them). Returns increasing indices; the first and last
 * index are always kept. Series no longer than `maxPoints` are returned whole.
 */
export function downsampleIndices(values: ArrayLike<number>, maxPoints = 2000): number[] {
  const n = values.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const picked = new Set<number>();
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    if (end <= start) continue;
    let min = start;
    let max = start;
    for (let i = start + 1; i < end; i++) {
      if (values[i]! < values[min]!) min = i;
      if (values[i]! > values[max]!) max = i;
    }
    picked.add(start).add(min).add(max).add(end - 1);
  }
  picked.add(0).add(n - 1);
  return [...picked].sort((a, b) => a - b);
}
