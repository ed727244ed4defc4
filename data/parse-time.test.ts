import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { civilFromDays, daysFromCivil, formatDay, formatTime, parseIsoTime, scanIsoTime } from './parse-time.js';

function fast(text: string): number {
  const bytes = Buffer.from(text, 'latin1');
  return scanIsoTime(bytes, 0, bytes.length);
}

describe('calendar arithmetic', () => {
  it('daysFromCivil and civilFromDays agree with Date.UTC over ±10 000 years', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3_000_000, max: 3_000_000 }), (days) => {
        const date = new Date(days * 86_400_000);
        expect(daysFromCivil(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())).toBe(days);
        expect(civilFromDays(days)).toEqual({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
      }),
    );
    expect(formatDay(0)).toBe('1970-01-01');
    expect(formatDay(18263)).toBe('2020-01-02');
  });
});

describe('scanIsoTime (fast path)', () => {
  it('agrees with Date.parse on the shapes it accepts', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        const iso = date.toISOString();
        expect(fast(iso)).toBe(date.getTime());
        expect(fast(iso.slice(0, 19))).toBe(Math.floor(date.getTime() / 1000) * 1000);
        expect(fast(iso.slice(0, 16).replace('T', ' '))).toBe(Math.floor(date.getTime() / 60_000) * 60_000);
        expect(fast(iso.slice(0, 10))).toBe(Date.parse(iso.slice(0, 10)));
      }),
    );
  });

  it('leaves other shapes and impossible values to the strict parser (NaN)', () => {
    for (const text of ['2020-01-02T10:00:00+01:00', '2020-01-02T10:00:00.5Z', '2020-02-30', '2021-02-29', '2020-01-02T24:00', '2020-1-02', '200x-01-02', '2020-01-02T10:60']) {
      expect(fast(text), text).toBeNaN();
    }
    expect(fast('2020-02-29')).toBe(Date.UTC(2020, 1, 29));
  });
});

describe('parseIsoTime (strict general parser)', () => {
  it('honours offsets and fractions', () => {
    expect(parseIsoTime('2020-01-02T10:00:00+01:00')).toBe(Date.UTC(2020, 0, 2, 9));
    expect(parseIsoTime('2020-01-02 10:00-05')).toBe(Date.UTC(2020, 0, 2, 15));
    expect(parseIsoTime('2020-01-02T10:00:00.5z')).toBe(Date.UTC(2020, 0, 2, 10, 0, 0, 500));
    expect(parseIsoTime('2020-01-02T10:00:00,25+0000')).toBe(Date.UTC(2020, 0, 2, 10, 0, 0, 250));
    expect(parseIsoTime(' 2020-01-02 ')).toBe(Date.UTC(2020, 0, 2));
  });

  it('rejects what Date.parse would guess at', () => {
    for (const text of ['Jan 2 2020', '2020/01/02', '2020-01-02T10', '2020-13-01', '2020-01-02T10:00+25:00', '1577975400', '']) {
      expect(parseIsoTime(text), text).toBeNaN();
    }
  });

  it('formatTime writes a date for midnight and full ISO otherwise', () => {
    expect(formatTime(Date.UTC(2020, 0, 2))).toBe('2020-01-02');
    expect(formatTime(Date.UTC(2020, 0, 2, 9, 30))).toBe('2020-01-02T09:30:00.000Z');
  });
});
