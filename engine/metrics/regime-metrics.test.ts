import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegimeStats } from './regime-metrics.js';

const DAY = 86_400_000;

/** Sample standard deviation written out: √(Σ(x − mean)² / (n − 1)). */
function sampleStd(values: readonly number[]): number {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  return Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1));
}

describe('RegimeStats', () => {
  it('hand-worked: 6 bars, two labels, trades by entry regime', () => {
    // Capital 100; bar returns +10 % (A), −10 % (A), +10 % (B), +10 % (B), −10 % (A), +5 % (B).
    const stats = new RegimeStats(100);
    const bars: [string, number][] = [
      ['A', 110],
      ['A', 99],
      ['B', 108.9],
      ['B', 119.79],
      ['A', 107.811],
      ['B', 113.20155],
    ];
    bars.forEach(([label, equity], i) => stats.push(label, equity, i * DAY));
    stats.addTrade('A', 5);
    stats.addTrade('A', -2);
    stats.addTrade('B', 0);
    stats.addTrade('C', 3);
    const [a, b, c, ...rest] = stats.summary();
    expect(rest).toEqual([]);

    // A: returns 0.1, −0.1, −0.1 → 1.1 × 0.9 × 0.9 = 0.891 → −10.9 %; its own curve 1 → 1.1 → 0.99 → 0.891
    // falls (1.1 − 0.891) / 1.1 = 19 % from its peak.
    expect(a!.regime).toBe('A');
    expect(a!.bars).toBe(3);
    expect(a!.returnPct).toBeCloseTo(-10.9, 10);
    expect(a!.maxDrawdownPct).toBeCloseTo(19, 10);
    expect(a!.sharpe).toBeCloseTo(((-0.1 / 3) / sampleStd([0.1, -0.1, -0.1])) * Math.sqrt(252), 8);
    expect(a!.trades).toBe(2);
    expect(a!.winRatePct).toBe(50);

    // B: returns 0.1, 0.1, 0.05 → 1.1 × 1.1 × 1.05 = 1.2705 → 27.05 %, never below its start.
    expect(b!.regime).toBe('B');
    expect(b!.bars).toBe(3);
    expect(b!.returnPct).toBeCloseTo(27.05, 10);
    expect(b!.maxDrawdownPct).toBe(0);
    expect(b!.sharpe).toBeCloseTo(((0.25 / 3) / sampleStd([0.1, 0.1, 0.05])) * Math.sqrt(252), 8);
    // A trade with P&L exactly 0 is not a win.
    expect(b!.trades).toBe(1);
    expect(b!.winRatePct).toBe(0);

    // C was only seen as an entry regime: no bars, no return, no Sharpe.
    expect(c).toEqual({ regime: 'C', bars: 0, trades: 1, winRatePct: 100, returnPct: 0, sharpe: null, maxDrawdownPct: 0 });

    // The labels' growth factors multiply to the run's: 0.891 × 1.2705 = 1.1320155.
    expect((1 + a!.returnPct / 100) * (1 + b!.returnPct / 100)).toBeCloseTo(113.20155 / 100, 12);
  });

  it('a first bar loss counts as drawdown of its label; Sharpe is null below two returns or with zero spread', () => {
    const stats = new RegimeStats(100, { periodsPerYear: 12 });
    stats.push('low', 95, 0);
    stats.push('high', 104.5, 1);
    stats.push('high', 114.95, 2);
    const [low, high] = stats.summary();
    expect(low!.maxDrawdownPct).toBeCloseTo(5, 10);
    expect(low!.sharpe).toBeNull();
    // Two +10 % returns: std is float noise, not risk.
    expect(high!.returnPct).toBeCloseTo(21, 10);
    expect(high!.sharpe).toBeNull();
  });

  it('annualizes with the given periods per year', () => {
    const daily = new RegimeStats(100);
    const monthly = new RegimeStats(100, { periodsPerYear: 12 });
    for (const s of [daily, monthly]) [101, 100, 103].forEach((e, i) => s.push('x', e, i));
    expect(daily.summary()[0]!.sharpe! / monthly.summary()[0]!.sharpe!).toBeCloseTo(Math.sqrt(252 / 12), 12);
  });

  it('keeps first-seen order and returns frozen rows', () => {
    const stats = new RegimeStats(100);
    ['unknown', 'b', 'a', 'b', 'unknown', 'c'].forEach((label, i) => stats.push(label, 100 + i, i));
    const rows = stats.summary();
    expect(rows.map((r) => r.regime)).toEqual(['unknown', 'b', 'a', 'c']);
    expect(rows.map((r) => r.bars)).toEqual([2, 2, 1, 1]);
    expect(Object.isFrozen(rows)).toBe(true);
    expect(Object.isFrozen(rows[0])).toBe(true);
  });

  it('rejects bad input', () => {
    expect(() => new RegimeStats(0)).toThrow('initialCapital must be a finite number > 0, got 0');
    expect(() => new RegimeStats(100, { periodsPerYear: 0 })).toThrow('periodsPerYear must be a finite number > 0, got 0');
    const stats = new RegimeStats(100);
    expect(() => stats.push('a', Number.NaN, 0)).toThrow('equity must be a finite number, got NaN at 0');
    stats.push('a', 100, 10);
    expect(() => stats.push('a', 100, 5)).toThrow("bar time 5 is before the previous bar's 10");
  });

  it('Π over labels of (1 + returnPct / 100) = finalEquity / initialCapital (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.array(fc.tuple(fc.constantFrom('unknown', 'low', 'medium', 'high'), fc.double({ min: -0.05, max: 0.05, noNaN: true })), { maxLength: 300 }),
        (capital, steps) => {
          const stats = new RegimeStats(capital);
          let equity = capital;
          steps.forEach(([label, r], i) => {
            equity *= 1 + r;
            stats.push(label, equity, i * DAY);
          });
          const rows = stats.summary();
          const product = rows.reduce((p, row) => p * (1 + row.returnPct / 100), 1);
          expect(Math.abs(product - equity / capital)).toBeLessThanOrEqual(1e-9 * (equity / capital));
          expect(rows.reduce((n, row) => n + row.bars, 0)).toBe(steps.length);
          for (const row of rows) expect(row.maxDrawdownPct).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
