import { closeSync, openSync, writeSync } from 'node:fs';
import type { BarSeries } from '../engine/bars.js';
import { DAY_MS, formatDay } from './parse-time.js';

/** Rows formatted per `write` call: bounds memory (under 1 MB of text) and keeps garbage short-lived. */
const ROWS_PER_CHUNK = 8192;

/**
 * Writes bars as CSV: `date` (`YYYY-MM-DD`) when every time is midnight UTC, else `time`
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`); then `open,high,low,close`, `volume` if present and the extra
 * columns. Numbers use the shortest text that reads back to the same double; NaN is an empty cell.
 * Streams in chunks of {@link ROWS_PER_CHUNK} rows, so 10 million rows never build one string.
 */
export function writeCsv(path: string, bars: BarSeries): void {
  const { timeMs } = bars;
  let daily = true;
  for (let i = 0; i < bars.length && daily; i++) daily = (timeMs[i] as number) % DAY_MS === 0;
  const columns: Float64Array[] = [bars.open, bars.high, bars.low, bars.close];
  const names = [daily ? 'date' : 'time', 'open', 'high', 'low', 'close'];
  if (bars.volume !== undefined) {
    columns.push(bars.volume);
    names.push('volume');
  }
  for (const [name, column] of Object.entries(bars.extras)) {
    columns.push(column);
    names.push(csvCell(name));
  }
  const formatTime = timeFormatter(daily);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${names.join(',')}\n`);
    for (let start = 0; start < bars.length; start += ROWS_PER_CHUNK) {
      const end = Math.min(bars.length, start + ROWS_PER_CHUNK);
      const lines = new Array<string>(end - start);
      const cells = new Array<string | number>(columns.length + 1);
      for (let i = start; i < end; i++) {
        cells[0] = formatTime(timeMs[i] as number);
        for (let j = 0; j < columns.length; j++) {
          const value = (columns[j] as Float64Array)[i] as number;
          // join() writes numbers with Number#toString: the shortest text that reads back exactly.
          cells[j + 1] = Number.isNaN(value) ? '' : value;
        }
        lines[i - start] = cells.join(',');
      }
      writeSync(fd, `${lines.join('\n')}\n`);
    }
  } finally {
    closeSync(fd);
  }
}

/** Quotes a header cell when it contains a comma, quote or line break. */
function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * A formatter from epoch ms to ISO text that caches the date part (consecutive bars share a day),
 * which keeps 10 million intraday timestamps cheap. Fractional ms are written to the microsecond.
 */
function timeFormatter(daily: boolean): (epochMs: number) => string {
  let cachedDay = Number.NaN;
  let cachedText = '';
  const day = (days: number): string => {
    if (days !== cachedDay) {
      cachedDay = days;
      cachedText = formatDay(days);
    }
    return cachedText;
  };
  if (daily) return (ms) => day(ms / DAY_MS);
  return (epochMs) => {
    const ms = Math.floor(epochMs);
    const days = Math.floor(ms / DAY_MS);
    const inDay = ms - days * DAY_MS;
    const hours = Math.floor(inDay / 3_600_000);
    const minutes = Math.floor(inDay / 60_000) % 60;
    const seconds = Math.floor(inDay / 1000) % 60;
    const millis = inDay % 1000;
    let msText = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : String(millis);
    // Sub-millisecond times (rare: from a parsed `.ffffff` fraction) keep microseconds.
    if (ms !== epochMs) msText += String(Math.round((epochMs - ms) * 1000)).padStart(3, '0');
    return `${day(days)}T${TWO_DIGITS[hours] as string}:${TWO_DIGITS[minutes] as string}:${TWO_DIGITS[seconds] as string}.${msText}Z`;
  };
}
