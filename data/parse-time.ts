/**
 * Timestamp parsing without `Date.parse` (which accepts too much and depends on the host):
 * a byte-level fast path for the common ISO shapes and a strict ISO 8601 parser for the rest.
 * All results are epoch milliseconds UTC.
 */

/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function digit(buf: Uint8Array, i: number): number {
  const c = buf[i];
  // A non-digit poisons any sum it takes part in (see the range checks in scanIsoTime).
  return c !== undefined && c >= 48 && c <= 57 ? c - 48 : -100_000;
}

function two(buf: Uint8Array, i: number): number {
  return digit(buf, i) * 10 + digit(buf, i + 1);
}

/**
 * Fast path for `YYYY-MM-DD` and `YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z]` in `buf[start, end)`
 * (no surrounding spaces). Returns epoch ms UTC, or NaN when the text has another shape or an
 * impossible value (the caller then tries {@link parseIsoTime}).
 */
export function scanIsoTime(buf: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length < 10 || buf[start + 4] !== 45 || buf[start + 7] !== 45) return Number.NaN;
  const year = two(buf, start) * 100 + two(buf, start + 2);
  const month = two(buf, start + 5);
  const day = two(buf, start + 8);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  const dayMs = daysFromCivil(year, month, day) * DAY_MS;
  if (length === 10) return dayMs;
  const sep = buf[start + 10];
  if ((sep !== 84 && sep !== 32) || length < 16 || buf[start + 13] !== 58) return Number.NaN;
  const hour = two(buf, start + 11);
  const minute = two(buf, start + 14);
  let second = 0;
  let millis = 0;
  let i = start + 16;
  if (i < end && buf[i] === 58) {
    second = two(buf, i + 1);
    i += 3;
    if (i < end && buf[i] === 46) {
      if (end - i < 4) return Number.NaN;
      millis = digit(buf, i + 1) * 100 + digit(buf, i + 2) * 10 + digit(buf, i + 3);
      i += 4;
    }
  }
  if (i < end && buf[i] === 90) i++;
  if (i !== end || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) {
    return Number.NaN;
  }
  return dayMs + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis;
}

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * Strict ISO 8601 date or date-time → epoch ms UTC, or NaN when `text` is not one.
 * Accepts `YYYY-MM-DD` (midnight UTC), a `T` or space separator, seconds with up to 9 fraction
 * digits (sub-millisecond digits give a fractional ms), and `Z` or an offset `±HH[:MM]`, which is
 * honoured (`10:00+02:00` is 08:00 UTC). A date-time without an offset is UTC.
 */
export function parseIsoTime(text: string): number {
  const m = ISO_PATTERN.exec(text.trim());
  if (m === null) return Number.NaN;
  const [, ys, mos, ds, hs, mis, ss, fraction, , sign, ohs, oms] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  const hour = Number(hs ?? 0);
  const minute = Number(mis ?? 0);
  const second = Number(ss ?? 0);
  const offsetHours = Number(ohs ?? 0);
  const offsetMinutes = Number(oms ?? 0);
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return Number.NaN;
  const fractionMs = fraction === undefined ? 0 : Number(`0.${fraction}`) * 1000;
  const offsetMs = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const ms = daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000;
  return ms + roundMicro(fractionMs) - offsetMs;
}

/** Rounds to a microsecond so that `.123456` gives exactly 123.456 ms, not 123.45600000000002. */
function roundMicro(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Pads a non-negative integer to `width` digits. */
function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Epoch ms → `YYYY-MM-DD` (UTC) when it is midnight, else `YYYY-MM-DDTHH:MM:SS.sssZ`. */
export function formatTime(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return String(epochMs);
  const iso = new Date(epochMs).toISOString();
  return epochMs % DAY_MS === 0 ? iso.slice(0, 10) : iso;
}

/**
 * Civil date parts of an epoch-ms instant (UTC), without allocating a `Date`
 * (Howard Hinnant's `civil_from_days`). Used by the fast CSV writer.
 */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** `YYYY-MM-DD` for a day number since 1970-01-01 (years 0–9999). */
export function formatDay(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}
