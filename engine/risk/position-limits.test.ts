import { describe, expect, it } from 'vitest';
import { bar, entry, manager, position } from './test-support.js';

describe('position-count limits', () => {
  it('maxOpenPositions: rejects a third entry with two positions open, allows a second with one', () => {
    const risk = manager({ maxOpenPositions: 2 });
    risk.onBar(bar(100_000, { positions: [position('AAA', 10), position('BBB', 10)] }));
    expect(risk.checkOrder(entry('CCC', 'buy', 10))).toBe('ORDER_REJECTED: max positions 2 reached');
    // Exits are always allowed.
    expect(risk.checkOrder({ ...entry('AAA', 'sell', 10), isEntry: false })).toBeUndefined();

    risk.onBar(bar(100_000, { step: 1, positions: [position('AAA', 10)] }));
    expect(risk.checkOrder(entry('CCC', 'buy', 10))).toBeUndefined();
    // The allowed entry holds its slot until the next bar: 1 open + 1 allowed = 2.
    expect(risk.checkOrder(entry('DDD', 'buy', 10))).toBe('ORDER_REJECTED: max positions 2 reached');
  });

  it('working entry orders count as positions', () => {
    const risk = manager({ maxOpenPositions: 2 });
    risk.onBar(bar(100_000, { positions: [position('AAA', 10)], workingEntries: [entry('BBB', 'buy', 5)] }));
    expect(risk.checkOrder(entry('CCC', 'buy', 10))).toBe('ORDER_REJECTED: max positions 2 reached');
    risk.onBar(bar(100_000, { step: 1, positions: [position('AAA', 10)], workingEntries: [] }));
    expect(risk.checkOrder(entry('CCC', 'buy', 10))).toBeUndefined();
  });

  it('maxPositionsPer.side: one long open rejects another long, not a short', () => {
    const risk = manager({ maxPositionsPer: { side: 1 } });
    risk.onBar(bar(100_000, { positions: [position('AAA', 10)] }));
    expect(risk.checkOrder(entry('BBB', 'buy', 10))).toBe('ORDER_REJECTED: max long positions 1 reached');
    expect(risk.checkOrder(entry('BBB', 'sell', 10))).toBeUndefined();
    expect(risk.checkOrder(entry('CCC', 'sell', 10))).toBe('ORDER_REJECTED: max short positions 1 reached');
  });

  it('maxPositionsPer.symbol: two AAA lots reject a third AAA entry, not a BBB one', () => {
    const risk = manager({ maxPositionsPer: { symbol: 2 } });
    risk.onBar(bar(100_000, { positions: [position('AAA', 10), position('AAA', 5), position('BBB', 1)] }));
    expect(risk.checkOrder(entry('AAA', 'buy', 10))).toBe('ORDER_REJECTED: max positions per symbol 2 reached for AAA');
    expect(risk.checkOrder(entry('BBB', 'buy', 10))).toBeUndefined();
  });

  it('maxPositionsPer.group: AAA (tech) open rejects BBB (tech), allows CCC (energy) and untagged DDD', () => {
    const risk = manager({ maxPositionsPer: { group: 1 }, groups: { AAA: 'tech', BBB: 'tech', CCC: 'energy' } });
    risk.onBar(bar(100_000, { positions: [position('AAA', 10), position('DDD', 10)] }));
    expect(risk.checkOrder(entry('BBB', 'buy', 10))).toBe('ORDER_REJECTED: max positions per group 1 reached for tech');
    expect(risk.checkOrder(entry('CCC', 'buy', 10))).toBeUndefined();
    expect(risk.checkOrder(entry('DDD', 'buy', 10))).toBeUndefined();
  });

  it('flat positions (qty 0) do not count', () => {
    const risk = manager({ maxOpenPositions: 1 });
    risk.onBar(bar(100_000, { positions: [position('AAA', 0)] }));
    expect(risk.checkOrder(entry('BBB', 'buy', 10))).toBeUndefined();
  });
});
