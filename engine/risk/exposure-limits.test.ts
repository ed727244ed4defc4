import { describe, expect, it } from 'vitest';
import { bar, entry, manager, position } from './test-support.js';

describe('maxCapitalAtRisk', () => {
  // Open: AAA long 100 entered at 50, stop 45 → 100 × 5 × 1 = 500 at risk.
  const open = [position('AAA', 100, { price: 52, entryPrice: 50, stop: 45 })];

  it('allows an entry that brings the total to the limit', () => {
    const risk = manager({ maxCapitalAtRisk: 2000 });
    risk.onBar(bar(100_000, { positions: open }));
    // BBB 300 at 20, stop 15 → 300 × 5 = 1500; 500 + 1500 = 2000, not above 2000.
    expect(risk.checkOrder(entry('BBB', 'buy', 300, { price: 20, stop: 15 }))).toBeUndefined();
  });

  it('rejects an entry that takes the total above the limit', () => {
    const risk = manager({ maxCapitalAtRisk: 2000 });
    risk.onBar(bar(100_000, { positions: open }));
    // 301 × 5 = 1505; 500 + 1505 = 2005 > 2000.
    expect(risk.checkOrder(entry('BBB', 'buy', 301, { price: 20, stop: 15 }))).toBe('ORDER_REJECTED: capital at risk 2005 > max 2000');
    // Short CCC 10 at 40, stop 44, multiplier 50 → 10 × 4 × 50 = 2000; 2500 > 2000.
    expect(risk.checkOrder(entry('CCC', 'sell', 10, { price: 40, stop: 44, multiplier: 50 }))).toBe('ORDER_REJECTED: capital at risk 2500 > max 2000');
  });

  it('counts the whole notional of a position or order without a stop', () => {
    const risk = manager({ maxCapitalAtRisk: 2000 });
    // DDD 10 marked at 120, no stop → 1200; + 500 = 1700.
    risk.onBar(bar(100_000, { positions: [...open, position('DDD', 10, { price: 120, entryPrice: 100 })] }));
    // BBB 15 at 20, no stop → 300; 2000 → allowed. 16 → 320; 2020 → rejected.
    expect(risk.checkOrder(entry('BBB', 'buy', 16, { price: 20 }))).toBe('ORDER_REJECTED: capital at risk 2020 > max 2000');
    expect(risk.checkOrder(entry('BBB', 'buy', 15, { price: 20 }))).toBeUndefined();
  });
});

describe('maxNotionalPerOrder', () => {
  it('allows an order of exactly the limit', () => {
    const risk = manager({ maxNotionalPerOrder: 50_000 });
    risk.onBar(bar(100_000));
    // 100 × 500 × 1 = 50 000.
    expect(risk.checkOrder(entry('AAA', 'buy', 100, { price: 500 }))).toBeUndefined();
  });

  it('rejects an order above the limit, multiplier included', () => {
    const risk = manager({ maxNotionalPerOrder: 50_000 });
    risk.onBar(bar(100_000));
    // 120 × 500 = 60 000; 2 × 600 × 50 = 60 000.
    expect(risk.checkOrder(entry('AAA', 'buy', 120, { price: 500 }))).toBe('ORDER_REJECTED: notional 60000 > max 50000');
    expect(risk.checkOrder(entry('AAA', 'sell', 2, { price: 600, multiplier: 50 }))).toBe('ORDER_REJECTED: notional 60000 > max 50000');
  });
});
