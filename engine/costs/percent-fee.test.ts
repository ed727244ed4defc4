import { describe, expect, it } from 'vitest';
import { equity, type FutureInstrument } from '../instrument.js';
import { percentFee } from './percent-fee.js';

const stock = equity('AAA');
const es: FutureInstrument = { kind: 'future', id: 'ES', multiplier: 50, tickSize: 0.25, lotSize: 1 };

describe('percentFee', () => {
  it('charges rate × price × qty × multiplier', () => {
    // 0.001 × 100 × 10 × 1 = 1
    expect(percentFee({ rate: 0.001 }).fee({ instrument: stock, side: 'buy', qty: 10, price: 100 })).toBeCloseTo(1, 12);
    // 0.0002 × 4000 × 2 × 50 = 80
    expect(percentFee({ rate: 0.0002 }).fee({ instrument: es, side: 'sell', qty: 2, price: 4000 })).toBeCloseTo(80, 9);
  });

  it('applies min and max per fill', () => {
    const model = percentFee({ rate: 0.001, min: 2, max: 5 });
    // 0.001 × 100 × 1 = 0.1 → raised to the min 2
    expect(model.fee({ instrument: stock, side: 'buy', qty: 1, price: 100 })).toBe(2);
    // 0.001 × 100 × 30 = 3 → inside [2, 5]
    expect(model.fee({ instrument: stock, side: 'buy', qty: 30, price: 100 })).toBeCloseTo(3, 12);
    // 0.001 × 100 × 100 = 10 → capped at 5
    expect(model.fee({ instrument: stock, side: 'buy', qty: 100, price: 100 })).toBe(5);
  });

  it('uses |price| so credits never produce a negative fee', () => {
    // 0.01 × |−2| × 3 × 1 = 0.06
    expect(percentFee({ rate: 0.01 }).fee({ instrument: stock, side: 'sell', qty: 3, price: -2 })).toBeCloseTo(0.06, 12);
  });

  it('validates its parameters by name and freezes them', () => {
    expect(() => percentFee({ rate: -0.001 })).toThrow(RangeError);
    expect(() => percentFee({ rate: -0.001 })).toThrow(/rate/);
    expect(() => percentFee({ rate: Number.NaN })).toThrow(/rate/);
    expect(() => percentFee({ rate: 0.001, min: -1 })).toThrow(/min/);
    expect(() => percentFee({ rate: 0.001, max: -1 })).toThrow(/max/);
    expect(() => percentFee({ rate: 0.001, min: 5, max: 1 })).toThrow(/min \(5\) must be <= max \(1\)/);
    const model = percentFee({ rate: 0.001, min: 1 });
    expect(model.params).toEqual({ rate: 0.001, min: 1, max: undefined });
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(model.params)).toBe(true);
  });
});
