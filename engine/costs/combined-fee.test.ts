import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equity } from '../instrument.js';
import { clampedFee } from './clamped-fee.js';
import { combinedFee } from './combined-fee.js';
import { percentFee } from './percent-fee.js';
import { perContractFee } from './per-contract-fee.js';
import { perOrderFee } from './per-order-fee.js';
import { perShareFee } from './per-share-fee.js';
import type { FeeModel } from './types.js';
import { zeroFee } from './zero-fee.js';

const stock = equity('AAA');

describe('combinedFee', () => {
  it('sums its parts', () => {
    const model = combinedFee(percentFee({ rate: 0.001 }), perOrderFee({ amount: 1 }), perShareFee({ perShare: 0.01 }));
    // 0.001 × 50 × 20 = 1;  + 1;  + 0.01 × 20 = 0.2  → 2.2
    expect(model.fee({ instrument: stock, side: 'buy', qty: 20, price: 50 })).toBeCloseTo(2.2, 12);
  });

  it('of nothing is zero', () => {
    expect(combinedFee().fee({ instrument: stock, side: 'buy', qty: 20, price: 50 })).toBe(0);
  });
});

describe('clampedFee', () => {
  it('bounds the total', () => {
    const model = clampedFee(combinedFee(perShareFee({ perShare: 0.01 }), perOrderFee({ amount: 0.5 })), { min: 1, max: 3 });
    // 0.01 × 10 + 0.5 = 0.6 → 1
    expect(model.fee({ instrument: stock, side: 'buy', qty: 10, price: 5 })).toBe(1);
    // 0.01 × 200 + 0.5 = 2.5
    expect(model.fee({ instrument: stock, side: 'buy', qty: 200, price: 5 })).toBeCloseTo(2.5, 12);
    // 0.01 × 1000 + 0.5 = 10.5 → 3
    expect(model.fee({ instrument: stock, side: 'buy', qty: 1000, price: 5 })).toBe(3);
    expect(() => clampedFee(zeroFee(), { min: 2, max: 1 })).toThrow(RangeError);
  });
});

describe('fees are never negative (property)', () => {
  const amount = fc.double({ min: 0, max: 1e4, noNaN: true });
  const model: fc.Arbitrary<FeeModel> = fc.oneof(
    fc.constant(zeroFee()),
    fc.record({ rate: fc.double({ min: 0, max: 0.1, noNaN: true }), min: fc.option(amount, { nil: undefined }) }).map((o) => percentFee(o)),
    fc.record({ perShare: fc.double({ min: 0, max: 1, noNaN: true }) }).map((o) => perShareFee(o)),
    amount.map((a) => perOrderFee({ amount: a })),
    amount.map((a) => perContractFee({ perContract: a })),
  );
  it('for any model, combination, side, quantity and price', () => {
    fc.assert(
      fc.property(
        fc.array(model, { maxLength: 4 }),
        fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
        fc.double({ min: Number.MIN_VALUE, max: 1e7, noNaN: true }),
        fc.double({ min: -1e5, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        (models, side, qty, price, multiplier) => {
          const instrument = equity('X', { multiplier });
          const fee = combinedFee(...models).fee({ instrument, side, qty, price });
          return Number.isFinite(fee) && fee >= 0;
        },
      ),
    );
  });
});
