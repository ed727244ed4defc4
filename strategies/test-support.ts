/** Shared by the strategies' golden tests (tests only; not built into dist). */
import { readFileSync } from 'node:fs';
import { makeBarSeries, type BarSeries } from '../engine/bars.js';

/**
 * The bundled S&P 500 file as symbol `SPX`, read by a minimal independent reader so the golden
 * tests do not lean on data/ (whose own tests cover the real loader).
 */
export function loadSp500(): BarSeries {
  const lines = readFileSync(new URL('../data/samples/sp500-2000.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
  const n = lines.length;
  const cols = { timeMs: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n) };
  lines.forEach((line, i) => {
    const [date, open, high, low, close] = line.split(',');
    cols.timeMs[i] = Date.parse(`${date}T00:00:00Z`);
    cols.open[i] = Number(open);
    cols.high[i] = Number(high);
    cols.low[i] = Number(low);
    cols.close[i] = Number(close);
  });
  return makeBarSeries({ symbol: 'SPX', ...cols });
}

/** `YYYY-MM-DD` of an epoch-ms time (undefined stays undefined). */
export const day = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 10));

/** |a − b| / |b|. */
export const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
