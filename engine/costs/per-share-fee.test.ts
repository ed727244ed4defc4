import { describe, expect, it } from 'vitest';
import { equity } from '../instrument.js';
import { perShareFee } from './per-share-fee.js';

const stock = equity('AAA');

describe('perShareFee', () => {
  it('charges perShare × qty, bounded per order', () => {
    const ib = perShareFee({ perShare: 0.005, min: 1, max: 20 });
    // 0.005 × 100 = 0.5 → min 1
    expect(ib.fee({ instrument: stock, side: 'buy', qty: 100, price: 50 })).toBe(1);
    // 0.005 × 1000 = 5
    expect(ib.fee({ instrument: stock, side: 'buy', qty: 1000, price: 50 })).toBeCloseTo(5, 12);
    // 0.005 × 10000 = 50 → max 20
    expect(ib.fee({ instrument: stock, side: 'sell', qty: 10_000, price: 50 })).toBe(20);
  });

  it('without bounds is linear in qty and ignores price', () => {
    const model = perShareFee({ perShare: 0.01 });
    // 0.01 × 7 = 0.07
    expect(model.fee({ instrument: stock, side: 'buy', qty: 7, price: 1234 })).toBeCloseTo(0.07, 12);
  });

  it('rejects negative parameters by name', () => {
    expect(() => perShareFee({ perShare: -0.01 })).toThrow(/perShare/);
    expect(() => perShareFee({ perShare: 0.01, min: -1 })).toThrow(RangeError);
    expect(() => perShareFee({ perShare: 0.01, min: 3, max: 2 })).toThrow(RangeError);
  });
});
