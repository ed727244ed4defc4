import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equity } from '../instrument.js';
import { bpsSlippage } from './bps-slippage.js';
import { combinedSlippage } from './combined-slippage.js';
import { halfSpreadSlippage } from './half-spread-slippage.js';
import { tickSlippage } from './tick-slippage.js';
import type { SlippageParameters } from './types.js';
import { volumeParticipationSlippage } from './volume-participation-slippage.js';

const fill: SlippageParameters = {
  instrument: equity('AAA'),
  side: 'buy',
  qty: 10,
  price: 100,
  barHigh: 101,
  barLow: 99,
  barVolume: 1000,
  barSpread: 0.02,
};

describe('combinedSlippage', () => {
  it('sums its parts', () => {
    const model = combinedSlippage(bpsSlippage({ bps: 1 }), tickSlippage({ ticks: 1 }), halfSpreadSlippage({ fromColumn: true }));
    // 100 × 1 / 1e4 = 0.01;  + 1 × 0.01;  + 0.02 / 2 = 0.01  → 0.03
    expect(model.slippage(fill)).toBeCloseTo(0.03, 12);
    expect(combinedSlippage().slippage(fill)).toBe(0);
  });

  it('is never negative (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: -1e4, max: 1e6, noNaN: true }),
        fc.double({ min: Number.MIN_VALUE, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        (bps, ticks, impactBps, price, qty, barVolume) => {
          const model = combinedSlippage(
            bpsSlippage({ bps }),
            tickSlippage({ ticks }),
            halfSpreadSlippage({ spreadBps: bps }),
            volumeParticipationSlippage({ impactBps }),
          );
          const value = model.slippage({ ...fill, price, qty, barVolume });
          return Number.isFinite(value) && value >= 0;
        },
      ),
    );
  });
});
