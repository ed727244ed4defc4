import { describe, expect, it } from 'vitest';
import { equity } from '../instrument.js';
import { halfSpreadSlippage, type HalfSpreadSlippageOptions } from './half-spread-slippage.js';
import type { SlippageParameters } from './types.js';

const fill: SlippageParameters = {
  instrument: equity('AAA'),
  side: 'sell',
  qty: 10,
  price: 50,
  barHigh: 51,
  barLow: 49,
  barVolume: Number.NaN,
  barSpread: 0.04,
};

describe('halfSpreadSlippage', () => {
  it('pays half a fixed spread', () => {
    // 0.1 / 2 = 0.05
    expect(halfSpreadSlippage({ spread: 0.1 }).slippage(fill)).toBeCloseTo(0.05, 12);
  });

  it('pays half a spread quoted in bps of price', () => {
    // 50 × 10 bps = 0.05 full spread → 0.025
    expect(halfSpreadSlippage({ spreadBps: 10 }).slippage(fill)).toBeCloseTo(0.025, 12);
  });

  it("pays half the bar's spread column", () => {
    // 0.04 / 2 = 0.02
    expect(halfSpreadSlippage({ fromColumn: true }).slippage(fill)).toBeCloseTo(0.02, 12);
  });

  it('throws naming the missing spread column when the bar has none', () => {
    const model = halfSpreadSlippage({ fromColumn: true });
    expect(() => model.slippage({ ...fill, barSpread: Number.NaN })).toThrow(/spread column is missing on this fill/);
    expect(() => model.slippage({ ...fill, barSpread: -0.01 })).toThrow(/spread/);
  });

  it('requires exactly one non-negative source', () => {
    expect(() => halfSpreadSlippage({ spread: -1 })).toThrow(RangeError);
    expect(() => halfSpreadSlippage({ spreadBps: -1 })).toThrow(/spreadBps/);
    expect(() => halfSpreadSlippage({} as HalfSpreadSlippageOptions)).toThrow(/exactly one/);
    expect(() => halfSpreadSlippage({ spread: 1, spreadBps: 2 } as unknown as HalfSpreadSlippageOptions)).toThrow(/exactly one/);
    expect(() => halfSpreadSlippage({ fromColumn: false } as unknown as HalfSpreadSlippageOptions)).toThrow(/fromColumn/);
  });
});
