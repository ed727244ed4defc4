import { describe, expect, it } from 'vitest';
import type { OptionInstrument } from '../instrument.js';
import { perContractFee } from './per-contract-fee.js';

const call: OptionInstrument = {
  kind: 'option',
  id: 'SPX C4000',
  multiplier: 100,
  tickSize: 0.05,
  lotSize: 1,
  underlying: 'SPX',
  right: 'call',
  strike: 4000,
  expiryMs: 0,
};

describe('perContractFee', () => {
  it('charges perContract × qty with a minimum per fill', () => {
    const model = perContractFee({ perContract: 0.65, min: 1 });
    // 0.65 × 1 = 0.65 → min 1
    expect(model.fee({ instrument: call, side: 'buy', qty: 1, price: 12.3 })).toBe(1);
    // 0.65 × 10 = 6.5
    expect(model.fee({ instrument: call, side: 'sell', qty: 10, price: 12.3 })).toBeCloseTo(6.5, 12);
  });

  it('rejects negative parameters by name', () => {
    expect(() => perContractFee({ perContract: -0.65 })).toThrow(/perContract/);
    expect(() => perContractFee({ perContract: 0.65, min: -1 })).toThrow(/min/);
  });
});
