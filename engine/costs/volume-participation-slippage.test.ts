import { describe, expect, it } from 'vitest';
import { equity } from '../instrument.js';
import type { SlippageParameters } from './types.js';
import { volumeParticipationSlippage } from './volume-participation-slippage.js';

const fill: SlippageParameters = {
  instrument: equity('AAA'),
  side: 'buy',
  qty: 100,
  price: 100,
  barHigh: 101,
  barLow: 99,
  barVolume: 10_000,
  barSpread: Number.NaN,
};

describe('volumeParticipationSlippage', () => {
  it('follows the square-root law by default', () => {
    // participation 100 / 10 000 = 0.01; sqrt = 0.1; 100 × 20 bps = 0.2 → 0.2 × 0.1 = 0.02
    expect(volumeParticipationSlippage({ impactBps: 20 }).slippage(fill)).toBeCloseTo(0.02, 12);
  });

  it('can be linear and grows with quantity', () => {
    const model = volumeParticipationSlippage({ impactBps: 20, exponent: 1 });
    // 0.2 × 0.01 = 0.002
    expect(model.slippage(fill)).toBeCloseTo(0.002, 12);
    // 0.2 × 0.5 = 0.1
    expect(model.slippage({ ...fill, qty: 5000 })).toBeCloseTo(0.1, 12);
  });

  it('caps participation at 1 and treats zero volume as full participation', () => {
    const model = volumeParticipationSlippage({ impactBps: 20 });
    expect(model.slippage({ ...fill, qty: 50_000 })).toBeCloseTo(0.2, 12);
    expect(model.slippage({ ...fill, barVolume: 0 })).toBeCloseTo(0.2, 12);
  });

  it('throws naming the missing volume column', () => {
    const model = volumeParticipationSlippage({ impactBps: 20 });
    expect(() => model.slippage({ ...fill, barVolume: Number.NaN })).toThrow(/volume column is missing/);
  });

  it('rejects negative parameters by name', () => {
    expect(() => volumeParticipationSlippage({ impactBps: -1 })).toThrow(/impactBps/);
    expect(() => volumeParticipationSlippage({ impactBps: 1, exponent: -1 })).toThrow(/exponent/);
  });
});
