import { describe, expect, it } from 'vitest';
import { TradeLog } from './trade-log.js';

const values = (i: number) => ({
  instrument: i % 2,
  long: i % 3 !== 0,
  qty: 10 + i,
  entryTimeMs: 1_000 * i,
  exitTimeMs: 1_000 * i + 500,
  entryPrice: 100 + i,
  exitPrice: 101 + i,
  grossPnl: 10 + i,
  fees: 0.5,
  slippageCost: 0.25,
  entryStep: 2 * i,
  exitStep: 2 * i + 1,
  entryTag: `in${i}`,
  exitTag: `out${i}`,
});

describe('TradeLog', () => {
  it('stores trades as columns and builds the same Trade objects on demand, past its initial capacity', () => {
    const log = new TradeLog(['A', 'B'], 2);
    for (let i = 0; i < 5; i++) log.push(values(i));
    expect(log.length).toBe(5);
    expect(log.at(3)).toEqual({
      instrumentId: 'B', side: 'short', qty: 13, entryTimeMs: 3_000, exitTimeMs: 3_500, entryPrice: 103, exitPrice: 104,
      // net = gross − fees − slippage = 13 − 0.5 − 0.25
      pnl: 12.25, grossPnl: 13, fees: 0.5, slippageCost: 0.25, entryStep: 6, exitStep: 7, entryTag: 'in3', exitTag: 'out3', open: false,
    });
    expect(log.pnl(4)).toBe(14 - 0.75);
    expect(log.toArray()).toBe(log.toArray()); // cached until the next push
    const before = log.toArray();
    log.push(values(5));
    expect(log.toArray()).not.toBe(before);
    expect(log.toArray()).toHaveLength(6);
  });

  it('keeps every trade its own entry and exit tags, repeated, alternating, empty or new', () => {
    const log = new TradeLog(['A']);
    const tags: [string, string][] = [['', ''], ['cross-up', 'cross-down'], ['cross-up', 'cross-down'], ['', 'stop'], ['cross-up', ''], ['new', 'cross-up'], ['cross-up', 'cross-down']];
    tags.forEach(([entryTag, exitTag], i) => log.push({ ...values(i), instrument: 0, entryTag, exitTag }));
    expect(log.toArray().map((t) => [t.entryTag, t.exitTag])).toEqual(tags);
    expect([...log.views()].map(() => 0)).toHaveLength(tags.length);
    const seen: [string, string | undefined][] = [];
    for (const t of log.views()) seen.push([t.entryTag, t.exitTag]);
    expect(seen).toEqual(tags);
  });

  it('views() walks every row through one reused object with the same field values', () => {
    const log = new TradeLog(['A', 'B']);
    for (let i = 0; i < 4; i++) log.push(values(i));
    const seen: unknown[] = [];
    const objects = new Set<unknown>();
    for (const view of log.views()) {
      objects.add(view);
      seen.push({ ...log.at(seen.length), pnl: view.pnl, side: view.side, entryTag: view.entryTag, instrumentId: view.instrumentId });
    }
    expect(objects.size).toBe(1);
    expect(seen).toEqual(log.toArray());
  });
});
