import { describe, expect, it } from 'vitest';
import { Interner } from './interner.js';

describe('Interner', () => {
  it('gives strings ids in order of first use and reads them back', () => {
    const strings = new Interner();
    expect(strings.id('entry')).toBe(0);
    expect(strings.id('exit')).toBe(1);
    expect(strings.id('entry')).toBe(0);
    expect(strings.id('')).toBe(2);
    expect([0, 1, 2].map((id) => strings.name(id))).toEqual(['entry', 'exit', '']);
    expect(() => strings.name(3)).toThrow('no string has id 3');
  });
});
