import type { BarColumns } from '../engine/bars.js';
import type { DataProblem } from './data-error.js';
import { formatTime } from './parse-time.js';

/** A problem without its location (the caller knows the line). */
export type RowProblem = Omit<DataProblem, 'line'>;

const DROP = 'fix the row or pass --repair drop';

function notFinite(field: string, value: number): RowProblem | undefined {
  if (Number.isFinite(value)) return undefined;
  return { field, reason: `${field} is ${Number.isNaN(value) ? 'missing (NaN)' : String(value)}`, fix: DROP };
}

/**
 * Checks the values of one row in isolation: finite time, finite positive prices, high ≥ low,
 * open and close within [low, high], finite non-negative volume, no infinite extra value
 * (extra NaN means "no value" and is allowed). Returns the first problem, or `undefined`.
 */
export function checkRow(columns: BarColumns, index: number): RowProblem | undefined {
  const time = columns.timeMs[index] as number;
  if (!Number.isFinite(time)) return { field: 'time', reason: 'time is missing', fix: DROP };
  const open = columns.open[index] as number;
  const high = columns.high[index] as number;
  const low = columns.low[index] as number;
  const close = columns.close[index] as number;
  const bad =
    notFinite('open', open) ?? notFinite('high', high) ?? notFinite('low', low) ?? notFinite('close', close);
  if (bad !== undefined) return bad;
  for (const [field, value] of [['open', open], ['high', high], ['low', low], ['close', close]] as const) {
    if (value <= 0) return { field, reason: `${field} ${value} is not positive`, fix: DROP };
  }
  if (high < low) return { field: 'high', reason: `high ${high} < low ${low}`, fix: DROP };
  if (open < low || open > high) return { field: 'open', reason: `open ${open} is outside [low ${low}, high ${high}]`, fix: DROP };
  if (close < low || close > high) {
    return { field: 'close', reason: `close ${close} is outside [low ${low}, high ${high}]`, fix: DROP };
  }
  if (columns.volume !== undefined) {
    const volume = columns.volume[index] as number;
    const badVolume = notFinite('volume', volume);
    if (badVolume !== undefined) return badVolume;
    if (volume < 0) return { field: 'volume', reason: `volume ${volume} is negative`, fix: DROP };
  }
  for (const [field, column] of Object.entries(columns.extras ?? {})) {
    const value = column[index] as number;
    if (value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) {
      return { field, reason: `${field} is ${value}`, fix: `${DROP} (leave the cell empty for "no value")` };
    }
  }
  return undefined;
}

/** The problem for a row whose time is not after the previous kept row's (line `previousLine`). */
export function orderProblem(timeMs: number, previousMs: number, previousLine: number, unit: string): RowProblem {
  if (timeMs === previousMs) {
    return {
      field: 'time',
      reason: `duplicate time ${formatTime(timeMs)} (same as ${unit} ${previousLine})`,
      fix: 'remove the duplicate row or pass --repair drop',
    };
  }
  return {
    field: 'time',
    reason: `time ${formatTime(timeMs)} is before ${formatTime(previousMs)} on ${unit} ${previousLine} (rows must be in time order)`,
    fix: 'sort the file by time or pass --repair sort',
  };
}
