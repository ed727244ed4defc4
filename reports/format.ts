/** Number formatting shared by the report pages (fixed `en-US` grouping so pages are reproducible). */

const groups = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true });

/** A percent value (already in percent units) as `12.34 %`; `–` for null/NaN. */
export function formatPct(pct: number | null | undefined, digits = 2): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return '–';
  return `${groups(digits).format(noNegativeZero(pct, digits))} %`;
}

/** Money in account currency with thousands separators and cents: `137,507.01`. */
export function formatMoney(amount: number | null | undefined, digits = 2): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '–';
  return groups(digits).format(noNegativeZero(amount, digits));
}

/** A unitless number (ratio, count) with grouping: `0.20`, `5,105`. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '–';
  return groups(digits).format(noNegativeZero(value, digits));
}

/** 0 for values that round to zero at `digits` decimals, so `-0.001` never shows as `-0.00`. */
function noNegativeZero(value: number, digits: number): number {
  return Math.abs(value) < 0.5 * 10 ** -digits ? 0 : value;
}

/** A UTC date `YYYY-MM-DD` from epoch ms (or an ISO string). */
export function formatDate(time: number | string | null): string {
  if (time === null) return '–';
  const ms = typeof time === 'number' ? time : Date.parse(time);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '–';
}

const DAY_MS = 86_400_000;

/** A holding time in ms as `12 d`, `5 h 30 m` or `45 m`. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms >= DAY_MS) return `${formatNumber(ms / DAY_MS, ms % DAY_MS === 0 ? 0 : 1)} d`;
  const minutes = Math.round(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} m` : `${minutes} m`;
}

/** Rounds to `digits` significant decimals for compact embedded JSON. */
export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
