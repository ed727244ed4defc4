import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equityFractionQuantity, fixedQuantity, fixedRiskQuantity, kellyFraction } from './sizing.js';

describe('fixedQuantity', () => {
  it('rounds down to whole lots', () => {
    expect(fixedQuantity(250, 100)).toBe(200);
    expect(fixedQuantity(7, 1)).toBe(7);
    expect(fixedQuantity(7.9, 1)).toBe(7);
    // 0.3 / 0.1 is 2.9999999999999996 in floats; still 3 lots
    expect(fixedQuantity(0.3, 0.1)).toBe(0.3);
    expect(fixedQuantity(0.35, 0.1)).toBe(0.3);
  });
  it('is 0 for non-positive quantities and rejects a bad lot size', () => {
    expect(fixedQuantity(-5, 1)).toBe(0);
    expect(fixedQuantity(50, 100)).toBe(0);
    expect(fixedQuantity(Number.NaN, 1)).toBe(0);
    expect(() => fixedQuantity(5, 0)).toThrow(/lotSize/);
  });
});

describe('equityFractionQuantity', () => {
  const base = { equity: 100_000, fraction: 1, price: 1456.62, multiplier: 1, commissionRate: 0, lotSize: 1 };
  it('buys with all equity at the open', () => {
    // 100 000 / 1456.62 = 68.65… → 68
    expect(equityFractionQuantity(base)).toBe(68);
  });
  it('nets out the commission rate', () => {
    // 10 000 / (100 × 1.01) = 99.0099… → 99 (without the rate it would be 100)
    expect(equityFractionQuantity({ ...base, equity: 10_000, price: 100, commissionRate: 0.01 })).toBe(99);
    expect(equityFractionQuantity({ ...base, equity: 10_000, price: 100 })).toBe(100);
  });
  it('applies fraction, multiplier and lot size', () => {
    // 200 000 × 0.5 / (4000 × 50) = 0.5 → 0 contracts
    expect(equityFractionQuantity({ ...base, equity: 200_000, fraction: 0.5, price: 4000, multiplier: 50 })).toBe(0);
    // 1 000 000 × 0.5 / (4000 × 50) = 2.5 → 2
    expect(equityFractionQuantity({ ...base, equity: 1_000_000, fraction: 0.5, price: 4000, multiplier: 50 })).toBe(2);
    // 100 000 / 45 = 2222.2 → 22 lots of 100 = 2200
    expect(equityFractionQuantity({ ...base, price: 45, lotSize: 100 })).toBe(2200);
  });
  it('is 0 without equity or a price, and validates configuration', () => {
    expect(equityFractionQuantity({ ...base, equity: -5 })).toBe(0);
    expect(equityFractionQuantity({ ...base, price: 0 })).toBe(0);
    expect(equityFractionQuantity({ ...base, fraction: 0 })).toBe(0);
    expect(() => equityFractionQuantity({ ...base, commissionRate: -0.1 })).toThrow(/commissionRate/);
    expect(() => equityFractionQuantity({ ...base, fraction: -1 })).toThrow(/fraction/);
  });
  it('never spends more than the budget (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0.01, max: 1e5, noNaN: true }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        fc.constantFrom(1, 10, 100),
        (equity, fraction, price, commissionRate, lotSize) => {
          const qty = equityFractionQuantity({ equity, fraction, price, multiplier: 1, commissionRate, lotSize });
          return qty >= 0 && qty % lotSize === 0 && qty * price * (1 + commissionRate) <= equity * fraction * (1 + 1e-12);
        },
      ),
    );
  });
});

describe('fixedRiskQuantity', () => {
  const base = { riskAmount: 1000, stopDistance: 2.5, multiplier: 1, lotSize: 1 };
  it('risks riskAmount over the stop distance', () => {
    // 1000 / 2.5 = 400
    expect(fixedRiskQuantity(base)).toBe(400);
    // 1000 / (2.5 × 50) = 8 contracts
    expect(fixedRiskQuantity({ ...base, multiplier: 50 })).toBe(8);
    // 1000 / 3 = 333.3 → 3 lots of 100 = 300
    expect(fixedRiskQuantity({ ...base, stopDistance: 3, lotSize: 100 })).toBe(300);
  });
  it('caps at maxLots and drops sizes below minLots', () => {
    expect(fixedRiskQuantity({ ...base, maxLots: 150 })).toBe(150);
    // 1000 / (2.5 × 50) = 8 lots < 10 → 0
    expect(fixedRiskQuantity({ ...base, multiplier: 50, minLots: 10 })).toBe(0);
    expect(fixedRiskQuantity({ ...base, multiplier: 50, minLots: 8 })).toBe(8);
  });
  it('is 0 without a positive stop distance or risk', () => {
    expect(fixedRiskQuantity({ ...base, stopDistance: 0 })).toBe(0);
    expect(fixedRiskQuantity({ ...base, stopDistance: -1 })).toBe(0);
    expect(fixedRiskQuantity({ ...base, stopDistance: Number.NaN })).toBe(0);
    expect(fixedRiskQuantity({ ...base, riskAmount: 0 })).toBe(0);
    expect(() => fixedRiskQuantity({ ...base, minLots: 5, maxLots: 2 })).toThrow(RangeError);
  });
});

describe('kellyFraction', () => {
  it('is winRate − (1 − winRate) / payoff, clamped to [0, cap]', () => {
    // 0.6 − 0.4 / 2 = 0.4
    expect(kellyFraction({ winRate: 0.6, payoff: 2, cap: 1 })).toBeCloseTo(0.4, 12);
    expect(kellyFraction({ winRate: 0.6, payoff: 2, cap: 0.25 })).toBe(0.25);
    // 0.4 − 0.6 / 1 = −0.2 → 0
    expect(kellyFraction({ winRate: 0.4, payoff: 1, cap: 1 })).toBe(0);
    expect(kellyFraction({ winRate: 0.9, payoff: 0, cap: 1 })).toBe(0);
  });
  it('validates its inputs', () => {
    expect(() => kellyFraction({ winRate: 1.2, payoff: 1, cap: 1 })).toThrow(/winRate/);
    expect(() => kellyFraction({ winRate: 0.5, payoff: -1, cap: 1 })).toThrow(/payoff/);
    expect(() => kellyFraction({ winRate: 0.5, payoff: 1, cap: -1 })).toThrow(/cap/);
  });
});
