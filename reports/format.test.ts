import { describe, expect, it } from 'vitest';
import { formatDuration, formatMoney, formatNumber, formatPct } from './format.js';

describe('report number formats', () => {
  it('formats percent, money and ratios', () => {
    expect(formatPct(12.3456)).toBe('12.35 %');
    expect(formatPct(-0.5)).toBe('-0.50 %');
    expect(formatPct(null)).toBe('–');
    expect(formatPct(-0.0001)).toBe('0.00 %');
    expect(formatMoney(-0.004)).toBe('0.00');
    expect(formatMoney(137507.00819)).toBe('137,507.01');
    expect(formatMoney(-1234567.5)).toBe('-1,234,567.50');
    expect(formatNumber(0.2006697)).toBe('0.20');
    expect(formatNumber(5105, 0)).toBe('5,105');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
  });

  it('formats holding times', () => {
    expect(formatDuration(3 * 86_400_000)).toBe('3 d');
    expect(formatDuration(1.5 * 86_400_000)).toBe('1.5 d');
    expect(formatDuration(5.5 * 3_600_000)).toBe('5 h 30 m');
    expect(formatDuration(null)).toBe('–');
  });
});
