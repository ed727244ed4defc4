import { describe, expect, it } from 'vitest';
import { monthlyReturns, yearlyReturns } from './period-returns.js';

const d = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('monthly and yearly returns', () => {
  // Hand-checked: start 100; Jan ends 110 (+10 %), Feb ends 99 (99/110 − 1 = −10 %),
  // Dec ends 99 (0 %), next Jan ends 148.5 (+50 %). Year 2020: 99/100 − 1 = −1 %; 2021: +50 %.
  const time = [d('2020-01-02'), d('2020-01-31'), d('2020-02-03'), d('2020-02-28'), d('2020-12-31'), d('2021-01-04')];
  const equity = [105, 110, 100, 99, 99, 148.5];

  it('compounds calendar months from the start capital', () => {
    const months = monthlyReturns(time, equity, 100);
    expect(months.map((m) => [m.year, m.month])).toEqual([[2020, 1], [2020, 2], [2020, 12], [2021, 1]]);
    expect(months.map((m) => Math.round(m.returnPct * 1e9) / 1e9)).toEqual([10, -10, 0, 50]);
    const compounded = months.reduce((acc, m) => acc * (1 + m.returnPct / 100), 1);
    expect(compounded).toBeCloseTo(1.485, 12);
  });

  it('gives calendar-year returns', () => {
    const years = yearlyReturns(time, equity, 100);
    expect(years.map((y) => y.year)).toEqual([2020, 2021]);
    expect(years[0]!.returnPct).toBeCloseTo(-1, 12);
    expect(years[1]!.returnPct).toBeCloseTo(50, 12);
  });

  it('is empty for an empty series', () => {
    expect(monthlyReturns([], [], 100)).toEqual([]);
  });
});
