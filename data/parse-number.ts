/**
 * Byte-level decimal parsing for the CSV hot loop: no string is created for a well-formed number.
 *
 * Exactness: a number with at most 15 significant digits and a decimal exponent within ±22 is
 * computed as one correctly rounded multiply or divide of two exact doubles (Clinger's fast path),
 * which is the value `parseFloat` returns. Anything else falls back to `Number(text)`, so every
 * result is bit-identical to `parseFloat` on the same text.
 */

/** Result status of {@link scanNumber}: parsed, empty field (only spaces), or not a number. */
export const ScanStatus = { Ok: 0, Empty: 1, Bad: 2 } as const;
/** One of the {@link ScanStatus} values. */
export type ScanStatus = (typeof ScanStatus)[keyof typeof ScanStatus];

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Scan cursor shared with callers: position just after the last scanned field and its status. */
export const scan = { end: 0, status: ScanStatus.Ok as ScanStatus };

const SPACE = 32;
const TAB = 9;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** True when byte `c` ends a CSV field (comma, line end); `undefined` means end of buffer. */
export function isDelimiter(c: number | undefined): boolean {
  return c === COMMA || c === LF || c === CR || c === undefined;
}

/**
 * Parses a decimal number (`-12.5`, `1e-3`, `.5`, `NaN`, `Infinity`) starting at `pos`, allowing
 * spaces around it, and stops at the first byte that cannot continue it. Sets `scan.end` to that
 * position and `scan.status`; the caller checks that a delimiter follows. Returns NaN unless Ok.
 */
export function scanNumber(buf: Uint8Array, pos: number, limit: number): number {
  let i = pos;
  let c = buf[i];
  while (c === SPACE || c === TAB) c = buf[++i];
  if (i >= limit || isDelimiter(c)) return finish(i, ScanStatus.Empty, Number.NaN);
  const start = i;
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    c = buf[++i];
  }
  let mantissa = 0;
  let significant = 0;
  let exponent = 0;
  let digits = 0;
  while (c !== undefined && c >= 48 && c <= 57) {
    if (mantissa !== 0 || c !== 48) {
      mantissa = mantissa * 10 + (c - 48);
      significant++;
    }
    digits++;
    c = buf[++i];
  }
  if (c === 46) {
    c = buf[++i];
    while (c !== undefined && c >= 48 && c <= 57) {
      if (mantissa !== 0 || c !== 48) {
        mantissa = mantissa * 10 + (c - 48);
        significant++;
      }
      exponent--;
      digits++;
      c = buf[++i];
    }
  }
  if (digits === 0) return scanWord(buf, start, limit);
  if (c === 101 || c === 69) {
    c = buf[++i];
    let expNegative = false;
    if (c === 45 || c === 43) {
      expNegative = c === 45;
      c = buf[++i];
    }
    let expValue = 0;
    let expDigits = 0;
    while (c !== undefined && c >= 48 && c <= 57) {
      if (expValue < 100_000) expValue = expValue * 10 + (c - 48);
      expDigits++;
      c = buf[++i];
    }
    if (expDigits === 0) return finish(i, ScanStatus.Bad, Number.NaN);
    exponent += expNegative ? -expValue : expValue;
  }
  let value: number;
  if (significant <= 15 && exponent >= -22 && exponent <= 22) {
    value = exponent < 0 ? mantissa / (POW10[-exponent] as number) : mantissa * (POW10[exponent] as number);
    if (negative) value = -value;
  } else {
    value = Number(latin1(buf, start, i));
  }
  while (c === SPACE || c === TAB) c = buf[++i];
  return finish(i, ScanStatus.Ok, value);
}

/** The non-numeric words accepted as numbers: NaN and (signed) Infinity, case-insensitive. */
function scanWord(buf: Uint8Array, start: number, limit: number): number {
  let i = start;
  while (i < limit && !isDelimiter(buf[i])) i++;
  const word = latin1(buf, start, i).trim().toLowerCase();
  const sign = word.startsWith('-') ? -1 : 1;
  const body = word.replace(/^[+-]/, '');
  if (body === 'nan') return finish(i, ScanStatus.Ok, Number.NaN);
  if (body === 'inf' || body === 'infinity') return finish(i, ScanStatus.Ok, sign * Number.POSITIVE_INFINITY);
  return finish(i, ScanStatus.Bad, Number.NaN);
}

function finish(end: number, status: ScanStatus, value: number): number {
  scan.end = end;
  scan.status = status;
  return value;
}

/** Decodes bytes `[start, end)` as Latin-1 (ASCII-compatible; used for numbers and messages). */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  // Buffer#toString with a range avoids allocating a view object per call (the slow-path cost).
  if (Buffer.isBuffer(buf)) return buf.toString('latin1', start, Math.max(start, end));
  return Buffer.from(buf.buffer, buf.byteOffset + start, Math.max(0, end - start)).toString('latin1');
}

/**
 * Parses a whole string as a number with the same rules as the CSV reader (spaces allowed around
 * it, `NaN`/`Infinity` words). Returns `undefined` for an empty string and `null` for non-numbers.
 */
export function parseNumberText(text: string): number | undefined | null {
  const bytes = Buffer.from(text, 'latin1');
  const value = scanNumber(bytes, 0, bytes.length);
  if (scan.status === ScanStatus.Empty) return undefined;
  if (scan.status === ScanStatus.Bad || scan.end !== bytes.length) return null;
  return value;
}
