import type { Alert, AlertKind } from './alerts.js';

/** A price or quantity without float noise (`101.25`, not `101.24999999999999`). */
export function formatPrice(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(10))) : String(value);
}

/** A quantity: as {@link formatPrice} (units may be fractional). */
export const formatQty = formatPrice;

/** Money with a sign and two decimals (`+37.50`, `-12.00`); `n/a` when not finite. */
export function signedMoney(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const cents = Math.round(Math.abs(value) * 100);
  return `${value < 0 && cents > 0 ? '-' : '+'}${(cents / 100).toFixed(2)}`;
}

/** An epoch-ms time as ISO-8601 UTC, or `—` before the first bar. */
export function isoTime(timeMs: number): string {
  return Number.isFinite(timeMs) ? new Date(timeMs).toISOString() : '—';
}

/** ANSI SGR code per kind (the label only is coloured). */
const COLORS: Readonly<Record<AlertKind, string>> = {
  OPPORTUNITY: '36',
  FILL: '32',
  EXIT: '35',
  WARNING: '33',
  ERROR: '1;31',
};

/** Width of the longest kind, so that messages line up. */
const KIND_WIDTH = 'OPPORTUNITY'.length;

/**
 * One line for a terminal or a chat message: bar time, kind, message — e.g.
 * `2024-03-01T15:30:00.000Z EXIT        sold 10 SPX @ 105 — target (take-profit), flat; P&L +37.50`.
 * With `color`, the kind is wrapped in its ANSI colour. No trailing newline.
 */
export function formatAlertLine(alert: Alert, color = false): string {
  const label = alert.kind.padEnd(KIND_WIDTH);
  const kind = color ? `\u001b[${COLORS[alert.kind]}m${label}\u001b[0m` : label;
  return `${isoTime(alert.timeMs)} ${kind} ${oneLine(alert.message)}`;
}

/**
 * The JSON form of an alert (JSON-lines file, webhook body): its fields plus `time`, the bar time
 * as ISO-8601 (null before the first bar). Non-finite numbers become null, as `JSON.stringify` does.
 */
export function alertJson(alert: Alert): Record<string, unknown> {
  const { kind, timeMs, step, symbol, message, reason, data } = alert;
  return { kind, time: Number.isFinite(timeMs) ? new Date(timeMs).toISOString() : null, timeMs, step, symbol, message, reason, data };
}

/** Messages are one line: a newline in a strategy tag or feed text must not split a log line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
