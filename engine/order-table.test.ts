import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderTable } from './broker.js';
import type { Order } from './order.js';

const order = (id: number): Order => ({ id }) as Order;

describe('OrderTable (the broker’s orders by id)', () => {
  it('keeps and forgets orders by id, across an emptied window and a compaction', () => {
    const table = new OrderTable();
    table.set(5, order(5));
    expect(table.get(5)?.id).toBe(5);
    table.delete(5);
    expect(table.get(5)).toBeUndefined();
    // The window emptied: the next id starts a new one.
    table.set(9, order(9));
    expect(table.get(9)?.id).toBe(9);
    expect(table.get(5)).toBeUndefined();
    // 40 more, then forget the first 35 in order (the broker's usual pattern): the run of
    // empties before the first held order is dropped.
    for (let id = 10; id < 50; id++) table.set(id, order(id));
    for (let id = 9; id < 44; id++) table.delete(id);
    for (let id = 9; id < 50; id++) expect(table.get(id)?.id).toBe(id >= 44 ? id : undefined);
    // Dropped when 32 were empty (ids 9–40): ids 41–49 remain in the window, 41–43 as empty slots.
    expect(table.windowLength).toBe(9);
    // An id below the window.
    table.set(3, order(3));
    expect(table.get(3)?.id).toBe(3);
    expect(table.get(44)?.id).toBe(44);
    expect(table.get(4)).toBeUndefined();
  });

  it('an id set again before the first held one is kept when the later ones go', () => {
    const table = new OrderTable();
    table.set(5, order(5));
    table.set(6, order(6));
    table.delete(5);
    table.set(5, order(5));
    table.delete(6);
    expect(table.get(5)?.id).toBe(5);
    expect(table.get(6)).toBeUndefined();
  });

  it('stays short when orders are placed and forgotten in order', () => {
    const table = new OrderTable();
    for (let id = 1; id <= 10_000; id++) {
      table.set(id, order(id));
      if (id > 3) table.delete(id - 3);
      expect(table.windowLength).toBeLessThanOrEqual(64);
    }
    for (let id = 9_998; id <= 10_000; id++) expect(table.get(id)?.id).toBe(id);
    expect(table.get(9_997)).toBeUndefined();
  });

  it('agrees with a Map on any sequence of sets and deletes', () => {
    fc.assert(
      fc.property(
        // Few ids, so that ids are set again after being forgotten and windows empty and refill.
        fc.array(fc.record({ set: fc.boolean(), id: fc.integer({ min: 1, max: 40 }) }), { maxLength: 300 }),
        (ops) => {
          const table = new OrderTable();
          const model = new Map<number, Order>();
          for (const { set, id } of ops) {
            if (set) {
              const o = order(id);
              table.set(id, o);
              model.set(id, o);
            } else {
              table.delete(id);
              model.delete(id);
            }
            for (let k = 0; k <= 41; k++) expect(table.get(k)).toBe(model.get(k));
          }
          // The window spans no more than the held ids (plus at most its dropped-lazily front).
          if (model.size === 0) expect(table.windowLength).toBe(0);
        },
      ),
    );
  });
});
