/**
 * Stable time sort of row indices, and the smallest set of rows the sort moved.
 */

/** Sorts `rows` (indices into `timeMs`) by time, ties kept in their original order. Returns a new array. */
export function sortRowsByTime(rows: Int32Array, timeMs: Float64Array): Int32Array {
  const sorted = rows.slice();
  sorted.sort((a, b) => (timeMs[a] as number) - (timeMs[b] as number) || a - b);
  return sorted;
}

/** True when the times of `rows` never decrease. */
export function isTimeOrdered(rows: Int32Array, timeMs: Float64Array): boolean {
  for (let k = 1; k < rows.length; k++) {
    if ((timeMs[rows[k] as number] as number) < (timeMs[rows[k - 1] as number] as number)) return false;
  }
  return true;
}

/**
 * The rows a stable sort had to move: the complement of a longest non-decreasing subsequence of
 * the times (the largest set of rows already in order relative to each other), in input order.
 * O(n log n) patience sorting.
 */
export function movedRows(rows: Int32Array, timeMs: Float64Array): Int32Array {
  const n = rows.length;
  const tailTime = new Float64Array(n);
  const tailPos = new Int32Array(n);
  const parent = new Int32Array(n);
  let length = 0;
  for (let k = 0; k < n; k++) {
    const t = timeMs[rows[k] as number] as number;
    // First pile whose tail is > t (non-decreasing subsequence: equal times extend it).
    let lo = 0;
    let hi = length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((tailTime[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    parent[k] = lo > 0 ? (tailPos[lo - 1] as number) : -1;
    tailTime[lo] = t;
    tailPos[lo] = k;
    if (lo === length) length++;
  }
  const inOrder = new Uint8Array(n);
  for (let k = length > 0 ? (tailPos[length - 1] as number) : -1; k >= 0; k = parent[k] as number) inOrder[k] = 1;
  const moved: number[] = [];
  for (let k = 0; k < n; k++) if (inOrder[k] === 0) moved.push(rows[k] as number);
  return Int32Array.from(moved);
}
