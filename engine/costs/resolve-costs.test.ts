import { describe, expect, it } from 'vitest';
import { equity } from '../instrument.js';
import { resolveCosts, type CostSpec } from './resolve-costs.js';
import type { SlippageParameters } from './types.js';

const stock = equity('AAA', { tickSize: 0.05 });
const fill: SlippageParameters = {
  instrument: stock,
  side: 'buy',
  qty: 100,
  price: 40,
  barHigh: 41,
  barLow: 39,
  barVolume: Number.NaN,
  barSpread: 0.1,
};

describe('resolveCosts', () => {
  it('defaults to no costs and a zero commission rate', () => {
    const costs = resolveCosts();
    expect(costs.commissionRate).toBe(0);
    expect(costs.spec.commissionRate).toBe(0);
    expect(costs.spec.commissionMax).toBeNull();
    expect(costs.fee.fee({ instrument: stock, side: 'buy', qty: 100, price: 40 })).toBe(0);
    expect(costs.slippage.slippage(fill)).toBe(0);
    expect(Object.isFrozen(costs)).toBe(true);
    expect(Object.isFrozen(costs.spec)).toBe(true);
  });

  it('exposes the percent commission rate for fill-time sizing', () => {
    expect(resolveCosts({ commissionRate: 0.002 }).commissionRate).toBe(0.002);
  });

  it('sums commission kinds and clamps the total per fill', () => {
    const costs = resolveCosts({ commissionRate: 0.001, commissionPerShare: 0.01, commissionPerOrder: 1, commissionMin: 2.5, commissionMax: 10 });
    // 0.001 × 40 × 100 = 4;  + 0.01 × 100 = 1;  + 1  → 6, inside [2.5, 10]
    expect(costs.fee.fee({ instrument: stock, side: 'buy', qty: 100, price: 40 })).toBeCloseTo(6, 12);
    // 0.001 × 40 × 1 = 0.04 + 0.01 + 1 = 1.05 → min 2.5
    expect(costs.fee.fee({ instrument: stock, side: 'buy', qty: 1, price: 40 })).toBe(2.5);
    // 0.001 × 40 × 1000 = 40 + 10 + 1 = 51 → max 10
    expect(costs.fee.fee({ instrument: stock, side: 'buy', qty: 1000, price: 40 })).toBe(10);
  });

  it('charges per contract', () => {
    const costs = resolveCosts({ commissionPerContract: 0.65 });
    // 0.65 × 3 = 1.95
    expect(costs.fee.fee({ instrument: stock, side: 'buy', qty: 3, price: 40 })).toBeCloseTo(1.95, 12);
  });

  it('sums slippage kinds', () => {
    // 40 × 5 / 1e4 = 0.02;  + 2 × 0.05 = 0.1;  + 40 × 10 / 2e4 = 0.02  → 0.14
    expect(resolveCosts({ slippageBps: 5, slippageTicks: 2, spreadBps: 10 }).slippage.slippage(fill)).toBeCloseTo(0.14, 12);
    // fixed spread 0.3 → 0.15
    expect(resolveCosts({ spread: 0.3 }).slippage.slippage(fill)).toBeCloseTo(0.15, 12);
    // column spread 0.1 → 0.05
    expect(resolveCosts({ spreadFromColumn: true }).slippage.slippage(fill)).toBeCloseTo(0.05, 12);
  });

  it('round-trips its resolved spec through JSON', () => {
    const first = resolveCosts({ commissionRate: 0.001, commissionMin: 1, slippageBps: 3 });
    const again = resolveCosts(JSON.parse(JSON.stringify(first.spec)) as CostSpec);
    expect(again.spec).toEqual(first.spec);
    expect(again.fee.fee({ instrument: stock, side: 'sell', qty: 50, price: 40 })).toBe(
      first.fee.fee({ instrument: stock, side: 'sell', qty: 50, price: 40 }),
    );
  });

  it('rejects bad specs, naming the field', () => {
    expect(() => resolveCosts({ commissionRate: -0.001 })).toThrow(RangeError);
    expect(() => resolveCosts({ commissionRate: -0.001 })).toThrow(/commissionRate/);
    expect(() => resolveCosts({ slippageTicks: -1 })).toThrow(/slippageTicks/);
    expect(() => resolveCosts({ commissionMin: 5, commissionMax: 1 })).toThrow(/commissionMin/);
    expect(() => resolveCosts({ spread: 0.1, spreadBps: 2 })).toThrow(/at most one/);
    expect(() => resolveCosts({ comissionRate: 0.001 } as CostSpec)).toThrow(/unknown field 'comissionRate'/);
    expect(() => resolveCosts({ commissionRate: '0.001' } as unknown as CostSpec)).toThrow(TypeError);
    expect(() => resolveCosts({ spreadFromColumn: 'yes' } as unknown as CostSpec)).toThrow(/spreadFromColumn/);
  });
});
