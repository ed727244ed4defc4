import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseNumberText, scan, scanNumber, ScanStatus } from './parse-number.js';

function parse(text: string): number | undefined | null {
  return parseNumberText(text);
}

describe('scanNumber', () => {
  it('returns exactly what parseFloat returns for any double written by toString', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(parse(String(x)), parseFloat(String(x)))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('matches parseFloat on fixed-point prices and on long digit strings', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 12 }), fc.boolean(), (units, decimals, negative) => {
        const text = `${negative ? '-' : ''}${(units / 10 ** decimals).toFixed(decimals)}`;
        expect(parse(text)).toBe(parseFloat(text));
      }),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{0,25}\.\d{0,25}$/), (text) => {
        expect(parse(text)).toBe(parseFloat(text));
      }),
    );
  });

  it('accepts signs, exponents, leading dots, spaces and the NaN/Infinity words', () => {
    expect(parse(' +1.5e3 ')).toBe(1500);
    expect(parse('.5')).toBe(0.5);
    expect(parse('5.')).toBe(5);
    expect(parse('-0')).toBe(-0);
    expect(parse('1E-2')).toBe(0.01);
    expect(parse('1e400')).toBe(Number.POSITIVE_INFINITY);
    expect(parse('nan')).toBeNaN();
    expect(parse('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(parse('inf')).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects text that is not a whole number and reports empty fields', () => {
    for (const bad of ['1l', '1,5', '--1', 'e5', '1e', '1.2.3', '$5', '0x10', 'abc']) expect(parse(bad), bad).toBeNull();
    expect(parse('')).toBeUndefined();
    expect(parse('   ')).toBeUndefined();
  });

  it('stops at the delimiter and reports where', () => {
    const bytes = Buffer.from('12.5,7\n');
    expect(scanNumber(bytes, 0, bytes.length)).toBe(12.5);
    expect(scan.end).toBe(4);
    expect(scan.status).toBe(ScanStatus.Ok);
    expect(scanNumber(bytes, 5, bytes.length)).toBe(7);
    expect(scan.end).toBe(6);
  });
});
