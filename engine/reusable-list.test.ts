import { describe, expect, it } from 'vitest';
import { ReusableList } from './reusable-list.js';

describe('ReusableList', () => {
  it('pushes, reads back in order, and clears to empty', () => {
    const list = new ReusableList<string>();
    list.push('a');
    list.push('b');
    expect(list.length).toBe(2);
    expect([list.at(0), list.at(1)]).toEqual(['a', 'b']);
    list.clear();
    expect(list.length).toBe(0);
  });

  it('reuses its slots after clear: new items overwrite the old ones', () => {
    const list = new ReusableList<number>();
    for (const v of [1, 2, 3]) list.push(v);
    list.clear();
    list.push(9);
    expect(list.length).toBe(1);
    expect(list.at(0)).toBe(9);
    list.push(8);
    list.push(7);
    list.push(6);
    expect([0, 1, 2, 3].map((i) => list.at(i))).toEqual([9, 8, 7, 6]);
  });
});
