import { describe, expect, it } from 'vitest';
import { bar, entry, feedCloses, manager } from './test-support.js';

describe('maxConsecutiveLosses + pauseBars', () => {
  it('pauses entries on the bar of the 3rd loss in a row and the next one (2 bars)', () => {
    const risk = manager({ maxConsecutiveLosses: 3, pauseBars: 2 });
    risk.onBar(bar(100_000, { step: 0 }));
    expect(risk.onTradeClosed(-100, -1)).toEqual([]);
    risk.onBar(bar(100_000, { step: 1 }));
    expect(risk.onTradeClosed(-100, -1)).toEqual([]);
    expect(risk.onTradeClosed(-100, -1)).toEqual([
      { kind: 'HALTED', reason: 'HALTED: 3 consecutive losses, pause 2 bars', flatten: false, cancelOrders: false, until: 'bars' },
    ]);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBe('ORDER_REJECTED: paused (3 consecutive losses)');
    expect(risk.onBar(bar(100_000, { step: 2 }))).toEqual([]);
    expect(risk.halted).toBe(true);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBe('ORDER_REJECTED: paused (3 consecutive losses)');
    expect(risk.onBar(bar(100_000, { step: 3 }))).toEqual([{ kind: 'RESUMED', reason: 'RESUMED: pause over (3 consecutive losses)' }]);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBeUndefined();
  });

  it('does not pause on loss, loss, win, loss (the win ends the streak)', () => {
    const risk = manager({ maxConsecutiveLosses: 3, pauseBars: 2 });
    risk.onBar(bar(100_000));
    for (const [pnl, r] of [[-100, -1], [-100, -1], [50, 0.5], [-100, -1]] as const) expect(risk.onTradeClosed(pnl, r)).toEqual([]);
    expect(risk.halted).toBe(false);
  });
});

describe('maxLosingDays + pauseDays', () => {
  it('pauses the third session after two losing sessions (100 000 → 99 000 → 98 000)', () => {
    const risk = manager({ maxLosingDays: 2, pauseDays: 1 });
    risk.onBar(bar(100_000, { step: 0, session: 1 }));
    risk.onBar(bar(99_000, { step: 1, session: 1 }));
    expect(risk.onBar(bar(98_500, { step: 2, session: 2 }))).toEqual([]);
    risk.onBar(bar(98_000, { step: 3, session: 2 }));
    expect(risk.onBar(bar(98_000, { step: 4, session: 3 }))).toEqual([
      { kind: 'HALTED', reason: 'HALTED: 2 losing sessions in a row, pause 1 session', flatten: false, cancelOrders: false, until: 'session' },
    ]);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBe('ORDER_REJECTED: paused (2 losing sessions in a row)');
    // Session 3 ends flat (98 000 → 98 000): not a losing session.
    expect(risk.onBar(bar(98_000, { step: 5, session: 4 }))).toEqual([{ kind: 'RESUMED', reason: 'RESUMED: new session' }]);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBeUndefined();
  });

  it('does not pause on losing, winning, losing sessions', () => {
    const risk = manager({ maxLosingDays: 2, pauseDays: 1 });
    const equity = [100_000, 99_000, 99_000, 99_500, 99_500, 99_000, 99_000];
    const session = [1, 1, 2, 2, 3, 3, 4];
    equity.forEach((e, step) => expect(risk.onBar(bar(e, { step, session: session[step]! }))).toEqual([]));
    expect(risk.halted).toBe(false);
  });
});

describe('volSpike (k 3, lookback 4, pauseBars 2)', () => {
  // AAA 100, 101, 100, 101, 100: returns 0.01, −1/101, 0.01, −1/101; mean 0.0000495,
  // deviations ±0.0099505 → sample SD √(4 × 0.0000990124 / 3) = 0.011490, 3 SD = 0.03447.
  const calm = [{ AAA: 100 }, { AAA: 101 }, { AAA: 100 }, { AAA: 101 }, { AAA: 100 }];

  it('pauses on 100 → 90 (−10 %, 0.10005 from the mean > 0.03447), the spike bar and the next', () => {
    const risk = feedCloses(manager({ volSpike: { k: 3, lookback: 4, pauseBars: 2 } }), calm);
    expect(risk.onBar(bar(100_000, { step: 5, closes: { AAA: 90 } }))).toEqual([
      { kind: 'HALTED', reason: 'HALTED: volatility spike AAA return -10% beyond 3 sd (1.15%), pause 2 bars', flatten: false, cancelOrders: false, until: 'bars' },
    ]);
    expect(risk.checkOrder(entry('BBB', 'buy', 1))).toBe('ORDER_REJECTED: paused (volatility spike AAA return -10% beyond 3 sd (1.15%))');
    // 90 → 90.1 is calm next to the window now holding −10 %: still paused on this second bar.
    expect(risk.onBar(bar(100_000, { step: 6, closes: { AAA: 90.1 } }))).toEqual([]);
    expect(risk.halted).toBe(true);
    expect(risk.onBar(bar(100_000, { step: 7, closes: { AAA: 90.2 } }))[0]?.kind).toBe('RESUMED');
  });

  it('names the first spiking symbol and still books every symbol\'s return', () => {
    const both = calm.map(({ AAA }) => ({ AAA, BBB: AAA }));
    const risk = feedCloses(manager({ volSpike: { k: 3, lookback: 4, pauseBars: 2 } }), both);
    expect(risk.onBar(bar(100_000, { step: 5, closes: { AAA: 90, BBB: 90 } }))[0]?.reason).toMatch(/^HALTED: volatility spike AAA /);
    const [aaa, bbb] = risk.snapshot().state.symbolReturns;
    expect(bbb).toEqual(aaa);
    expect(bbb?.at(-1)).toBeCloseTo(-0.1, 12);
  });

  it('does not pause on 100 → 103 (0.02995 from the mean < 0.03447), nor before the window is full', () => {
    const risk = feedCloses(manager({ volSpike: { k: 3, lookback: 4, pauseBars: 2 } }), calm);
    expect(risk.onBar(bar(100_000, { step: 5, closes: { AAA: 103 } }))).toEqual([]);
    // Three returns only (< lookback 4): even −10 % is not judged.
    const young = feedCloses(manager({ volSpike: { k: 3, lookback: 4, pauseBars: 2 } }), calm.slice(0, 4));
    expect(young.onBar(bar(100_000, { step: 4, closes: { AAA: 90 } }))).toEqual([]);
  });
});
