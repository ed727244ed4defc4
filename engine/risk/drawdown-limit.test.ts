import { describe, expect, it } from 'vitest';
import { bar, entry, manager } from './test-support.js';

describe('maxDrawdownPct', () => {
  it('halts until the end of the run at 120 000 → 107 400 (12 600 / 120 000 = 10.5 % > 10 %)', () => {
    const risk = manager({ maxDrawdownPct: 10 });
    risk.onBar(bar(100_000, { session: 1 }));
    risk.onBar(bar(120_000, { step: 1, session: 1 }));
    expect(risk.onBar(bar(107_400, { step: 2, session: 2 }))).toEqual([
      { kind: 'HALTED', reason: 'HALTED: drawdown 10.5% > 10%', flatten: false, cancelOrders: false, until: 'end' },
    ]);
    // Never resumes: not at a new session, not when equity recovers.
    expect(risk.onBar(bar(130_000, { step: 3, session: 3 }))).toEqual([]);
    expect(risk.halted).toBe(true);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBe('ORDER_REJECTED: halted (drawdown 10.5% > 10%)');
  });

  it('flattens and cancels orders with flattenOnDrawdown', () => {
    const risk = manager({ maxDrawdownPct: 10, flattenOnDrawdown: true });
    risk.onBar(bar(120_000));
    expect(risk.onBar(bar(107_400, { step: 1 }))).toEqual([
      { kind: 'HALTED', reason: 'HALTED: drawdown 10.5% > 10%', flatten: true, cancelOrders: true, until: 'end' },
    ]);
  });

  it('does not halt at 120 000 → 108 600 (9.5 %), warning at 95 % of the limit', () => {
    const risk = manager({ maxDrawdownPct: 10 });
    risk.onBar(bar(100_000));
    risk.onBar(bar(120_000, { step: 1 }));
    expect(risk.onBar(bar(108_600, { step: 2 }))).toEqual([{ kind: 'WARNING', reason: 'WARNING: 95% of max drawdown used (9.5% of 10%)' }]);
    expect(risk.halted).toBe(false);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBeUndefined();
  });
});
