import { loadRunData } from '../experiments/run.js';

/** Buy-and-hold equity at given times, or why it could not be computed. */
export type BuyAndHold =
  | { readonly ok: true; readonly symbol: string; readonly equity: Float64Array }
  | { readonly ok: false; readonly reason: string };

/**
 * Equity of buying the data file's close at the first run time and holding it, scaled to
 * `startEquity` (no costs), sampled at `timeMs` (the last close at or before each time).
 * Loads the file through `loadRunData` (the same loader the run used); a missing or unreadable
 * file gives `{ ok: false }` with the reason instead of throwing.
 */
export async function buyAndHold(file: string, symbol: string | undefined, timeMs: Float64Array, startEquity: number): Promise<BuyAndHold> {
  let close: Float64Array;
  let times: Float64Array;
  try {
    const [loaded] = await loadRunData([{ file, symbol }], process.cwd());
    if (loaded === undefined) return { ok: false, reason: `${file}: no bars` };
    close = loaded.bars.close;
    times = loaded.bars.timeMs;
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
  const equity = new Float64Array(timeMs.length);
  let j = -1;
  let base = Number.NaN;
  for (let i = 0; i < timeMs.length; i++) {
    while (j + 1 < times.length && times[j + 1]! <= timeMs[i]!) j++;
    if (j < 0) {
      equity[i] = startEquity;
      continue;
    }
    if (Number.isNaN(base)) base = close[j]!;
    equity[i] = (startEquity * close[j]!) / base;
  }
  if (Number.isNaN(base)) return { ok: false, reason: `${file}: no bars inside the run's time span` };
  return { ok: true, symbol: symbol ?? file, equity };
}
