import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReorderBuffer } from './reorder-buffer.js';

describe('ReorderBuffer', () => {
  it('holds an item until every earlier one has arrived', () => {
    const buffer = new ReorderBuffer<string>();
    expect(buffer.add(2, 'c')).toEqual([]);
    expect(buffer.add(1, 'b')).toEqual([]);
    expect(buffer.waiting).toBe(2);
    expect(buffer.add(0, 'a')).toEqual(['a', 'b', 'c']);
    expect(buffer.next).toBe(3);
    expect(buffer.waiting).toBe(0);
  });

  it('starts after a resumed prefix and refuses duplicates', () => {
    const buffer = new ReorderBuffer<number>(40);
    expect(() => buffer.add(39, 0)).toThrow(RangeError);
    expect(buffer.add(40, 40)).toEqual([40]);
    buffer.add(42, 42);
    expect(() => buffer.add(42, 42)).toThrow(/already added/);
  });

  it('releases every item exactly once, in order, for any arrival order (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }).chain((n) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n })), (order) => {
        const buffer = new ReorderBuffer<number>();
        const released: number[] = [];
        for (const seq of order) released.push(...buffer.add(seq, seq));
        expect(released).toEqual([...Array(order.length).keys()]);
      }),
    );
  });
});
