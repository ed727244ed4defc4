import { describe, expect, it } from 'vitest';
import { bar, entry, manager } from './test-support.js';

describe('dailyLossPct', () => {
  it('halts for the session at 100 000 → 97 900 (2.1 % > 2 %), flattening and cancelling, and resumes next session', () => {
    const risk = manager({ dailyLossPct: 2 });
    expect(risk.onBar(bar(100_000, { session: 1 }))).toEqual([]);
    expect(risk.onBar(bar(97_900, { step: 1, session: 1 }))).toEqual([
      { kind: 'HALTED', reason: 'HALTED: daily loss 2.1% > 2%', flatten: true, cancelOrders: true, until: 'session' },
    ]);
    expect(risk.halted).toBe(true);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBe('ORDER_REJECTED: halted (daily loss 2.1% > 2%)');
    expect(risk.checkOrder({ ...entry('AAA', 'sell', 1), isEntry: false })).toBeUndefined();
    // Still below on the next bar of the same session: reported once.
    expect(risk.onBar(bar(97_500, { step: 2, session: 1 }))).toEqual([]);
    expect(risk.onBar(bar(97_500, { step: 3, session: 2 }))).toEqual([{ kind: 'RESUMED', reason: 'RESUMED: new session' }]);
    expect(risk.halted).toBe(false);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBeUndefined();
  });

  it('does not halt at 100 000 → 98 100 (1.9 %), but warns once at 80 % of the limit', () => {
    const risk = manager({ dailyLossPct: 2 });
    risk.onBar(bar(100_000));
    // 1.9 / 2 = 95 % of the limit used.
    expect(risk.onBar(bar(98_100, { step: 1 }))).toEqual([{ kind: 'WARNING', reason: 'WARNING: 95% of daily loss used (1.9% of 2%)' }]);
    expect(risk.onBar(bar(98_200, { step: 2 }))).toEqual([]);
    expect(risk.halted).toBe(false);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBeUndefined();
  });

  it('measures from the last equity of the previous session', () => {
    const risk = manager({ dailyLossPct: 2 });
    risk.onBar(bar(100_000, { session: 1 }));
    risk.onBar(bar(110_000, { step: 1, session: 1 }));
    // 110 000 → 107 900 is 1.91 % (no halt), although it is a gain on 100 000.
    expect(risk.onBar(bar(107_900, { step: 2, session: 2 })).map((a) => a.kind)).toEqual(['WARNING']);
    // 110 000 → 107 690: 2310 / 110 000 = 2.1 %.
    expect(risk.onBar(bar(107_690, { step: 3, session: 2 }))[0]?.reason).toBe('HALTED: daily loss 2.1% > 2%');
  });
});

describe('dailyLossR (riskPerTrade 1000)', () => {
  it('halts for the session once closed trades lose −1 − 0.5 − 0.6 = −2.1 R', () => {
    const risk = manager({ dailyLossR: 2, riskPerTrade: 1000 });
    risk.onBar(bar(100_000));
    expect(risk.onTradeClosed(-1000, -1)).toEqual([]);
    expect(risk.onTradeClosed(-500, -0.5)).toEqual([]);
    // No stop on this trade: R = −600 / 1000 = −0.6.
    expect(risk.onTradeClosed(-600, undefined)).toEqual([
      { kind: 'HALTED', reason: 'HALTED: daily loss 2.1R > 2R', flatten: true, cancelOrders: true, until: 'session' },
    ]);
    expect(risk.dailyR).toBeCloseTo(-2.1, 12);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBe('ORDER_REJECTED: halted (daily loss 2.1R > 2R)');
    // Trades closed on the first bar of a new session count in the new session (onBar first).
    expect(risk.onBar(bar(97_900, { step: 1, session: 2 }))).toEqual([{ kind: 'RESUMED', reason: 'RESUMED: new session' }]);
    expect(risk.onTradeClosed(-1900, -1.9)).toEqual([{ kind: 'WARNING', reason: 'WARNING: 95% of daily loss R used (1.9R of 2R)' }]);
    expect(risk.dailyR).toBe(-1.9);
    expect(risk.cumulativeR).toBeCloseTo(-4, 12);
  });

  it('resets the daily R at a new session, keeping the cumulative R', () => {
    const risk = manager({ dailyLossR: 2, riskPerTrade: 1000 });
    risk.onBar(bar(100_000));
    risk.onTradeClosed(-2100, -2.1);
    expect(risk.onBar(bar(97_900, { step: 1, session: 2 }))).toEqual([{ kind: 'RESUMED', reason: 'RESUMED: new session' }]);
    expect(risk.dailyR).toBe(0);
    expect(risk.cumulativeR).toBeCloseTo(-2.1, 12);
  });

  it('does not halt at −1.5 R, nor warn below 80 % (1.6 R)', () => {
    const risk = manager({ dailyLossR: 2, riskPerTrade: 1000 });
    risk.onBar(bar(100_000));
    expect(risk.onTradeClosed(-1000, -1)).toEqual([]);
    expect(risk.onTradeClosed(-500, -0.5)).toEqual([]);
    expect(risk.halted).toBe(false);
    // −1.5 − 0.2 = −1.7 R: 85 % of the limit.
    expect(risk.onTradeClosed(-200, -0.2)).toEqual([{ kind: 'WARNING', reason: 'WARNING: 85% of daily loss R used (1.7R of 2R)' }]);
  });
});

describe('dailyProfitR', () => {
  it('halts for the session at +1.5 + 1.5 = 3 R (reached)', () => {
    const risk = manager({ dailyProfitR: 3, riskPerTrade: 1000 });
    risk.onBar(bar(100_000));
    expect(risk.onTradeClosed(1500, 1.5)).toEqual([]);
    expect(risk.onTradeClosed(1500, 1.5)).toEqual([
      { kind: 'HALTED', reason: 'HALTED: daily profit 3R >= 3R', flatten: true, cancelOrders: true, until: 'session' },
    ]);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBe('ORDER_REJECTED: halted (daily profit 3R >= 3R)');
  });

  it('does not halt at +1.5 + 1.4 = 2.9 R', () => {
    const risk = manager({ dailyProfitR: 3, riskPerTrade: 1000 });
    risk.onBar(bar(100_000));
    risk.onTradeClosed(1500, 1.5);
    expect(risk.onTradeClosed(1400, 1.4)).toEqual([]);
    expect(risk.halted).toBe(false);
  });
});
