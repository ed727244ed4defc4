import { describe, expect, it } from 'vitest';
import { equity } from '../instrument.js';
import { bpsSlippage } from './bps-slippage.js';
import { tickSlippage } from './tick-slippage.js';
import type { SlippageParameters } from './types.js';
import { zeroSlippage } from './zero-slippage.js';

const fill: SlippageParameters = {
  instrument: equity('AAA', { tickSize: 0.05 }),
  side: 'buy',
  qty: 100,
  price: 200,
  barHigh: 205,
  barLow: 195,
  barVolume: 10_000,
  barSpread: Number.NaN,
};

describe('bpsSlippage', () => {
  it('is price × bps / 1e4 per unit', () => {
    // 200 × 5 / 10 000 = 0.1
    expect(bpsSlippage({ bps: 5 }).slippage(fill)).toBeCloseTo(0.1, 12);
    expect(bpsSlippage({ bps: 0 }).slippage(fill)).toBe(0);
  });
  it('rejects negative bps by name', () => {
    expect(() => bpsSlippage({ bps: -1 })).toThrow(RangeError);
    expect(() => bpsSlippage({ bps: -1 })).toThrow(/bps/);
  });
});

describe('tickSlippage', () => {
  it('is ticks × tickSize per unit', () => {
    // 2 × 0.05 = 0.1
    expect(tickSlippage({ ticks: 2 }).slippage(fill)).toBeCloseTo(0.1, 12);
  });
  it('rejects negative ticks by name', () => {
    expect(() => tickSlippage({ ticks: -0.5 })).toThrow(/ticks/);
  });
});

describe('zeroSlippage', () => {
  it('is 0', () => {
    expect(zeroSlippage().slippage(fill)).toBe(0);
  });
});
