import { describe, expect, it } from 'vitest';
import { resolveRiskOptions } from './risk-config.js';
import { RiskManager } from './risk-manager.js';
import { bar, entry, manager, position } from './test-support.js';

describe('RiskManager', () => {
  it('fails fast on wiring mistakes', () => {
    const config = resolveRiskOptions({});
    expect(() => new RiskManager(config, ['AAA', 'AAA'])).toThrow('RiskManager: symbol AAA is listed twice');
    const risk = new RiskManager(config, ['AAA']);
    expect(() => risk.checkOrder(entry('AAA', 'buy', 1))).toThrow('called before the first onBar');
    expect(() => risk.onBar(bar(100_000, { closes: { ZZZ: 1 } }))).toThrow('close of unknown symbol ZZZ');
    expect(() => risk.onBar(bar(100_000, { closes: new Map([['ZZZ', 1]]) }))).toThrow('close of unknown symbol ZZZ');
    expect(() => risk.onBar(bar(100_000, { positions: [position('ZZZ', 1)] }))).toThrow('position in unknown symbol ZZZ');
    expect(() => RiskManager.restore(config, ['BBB'], risk.snapshot())).toThrow('snapshot symbols [AAA] differ from [BBB]');
  });

  it('reads closes from a Map as from a record', () => {
    const options = { volSpike: { k: 3, lookback: 4, pauseBars: 1 } };
    const closes = [100, 101, 100, 101, 100, 90];
    const fromMap = manager(options);
    const fromRecord = manager(options);
    const actions = closes.map((AAA, step) => [fromMap.onBar(bar(1, { step, closes: new Map([['AAA', AAA]]) })), fromRecord.onBar(bar(1, { step, closes: { AAA } }))]);
    expect(actions.at(-1)?.[0]).toEqual(actions.at(-1)?.[1]);
    expect(actions.at(-1)?.[0]?.[0]?.kind).toBe('HALTED');
  });

  it('says RESUMED only when nothing blocks entries any more', () => {
    const risk = manager({ dailyLossPct: 2, maxDrawdownPct: 5 });
    risk.onBar(bar(100_000, { session: 1 }));
    // 100 000 → 94 000: daily loss 6 % and drawdown 6 %.
    expect(risk.onBar(bar(94_000, { step: 1, session: 1 })).map((a) => a.reason)).toEqual(['HALTED: daily loss 6% > 2%', 'HALTED: drawdown 6% > 5%']);
    // The session halt ends, the drawdown halt does not: no RESUMED, and the rejection names the lasting halt.
    expect(risk.onBar(bar(94_000, { step: 2, session: 2 }))).toEqual([]);
    expect(risk.checkOrder(entry('AAA', 'buy', 1))).toBe('ORDER_REJECTED: halted (drawdown 6% > 5%)');
  });

  it('exposes cumulative and daily R', () => {
    const risk = manager({});
    risk.onBar(bar(100_000, { session: 1 }));
    risk.onTradeClosed(200, 2);
    risk.onTradeClosed(-100, -1);
    // No R multiple and no riskPerTrade: the trade adds no R.
    risk.onTradeClosed(-100, undefined);
    expect([risk.dailyR, risk.cumulativeR]).toEqual([1, 1]);
    risk.onBar(bar(100_000, { step: 1, session: 2 }));
    risk.onTradeClosed(50, 0.5);
    expect([risk.dailyR, risk.cumulativeR]).toEqual([0.5, 1.5]);
  });
});
