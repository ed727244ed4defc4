import { describe, expect, it } from 'vitest';
import { equity } from '../instrument.js';
import { perOrderFee } from './per-order-fee.js';
import { zeroFee } from './zero-fee.js';

const stock = equity('AAA');

describe('perOrderFee', () => {
  it('charges the same amount whatever the size', () => {
    const model = perOrderFee({ amount: 4.95 });
    expect(model.fee({ instrument: stock, side: 'buy', qty: 1, price: 10 })).toBe(4.95);
    expect(model.fee({ instrument: stock, side: 'sell', qty: 1e6, price: 1000 })).toBe(4.95);
  });

  it('rejects a negative amount by name', () => {
    expect(() => perOrderFee({ amount: -1 })).toThrow(RangeError);
    expect(() => perOrderFee({ amount: -1 })).toThrow(/amount/);
  });
});

describe('zeroFee', () => {
  it('charges nothing', () => {
    expect(zeroFee().fee({ instrument: stock, side: 'buy', qty: 100, price: 10 })).toBe(0);
  });
});
