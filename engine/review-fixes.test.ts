/**
 * Scenarios from the engine review: causal session-bar detection, equity-fraction orders that
 * must shrink to fit fixed fees, the sell stop-limit's bar path, and integer-only look-backs.
 */
import { describe, expect, it } from 'vitest';
import { matchStopLimit } from './fill-rules.js';
import { barsOf, eventsOfKind, fillOf, orderEvents, runScript, T0_MS, type BarRow } from './test-support.js';

const HOUR_MS = 3_600_000;
const flat: BarRow = [100, 100, 100, 100];

describe('day orders: session bars are decided from past timestamps only', () => {
  // Two daily bars, then hourly bars from day 2 on. A day order placed on bar 0 works on bar 1.
  const times = [0, 24, 48, 49, 50, 51].map((h) => T0_MS + h * HOUR_MS);
  const rows: BarRow[] = [flat, flat, flat, flat, flat, flat];
  const script = { 0: [{ submit: { side: 'buy' as const, type: 'limit' as const, limitPrice: 90, qty: 1, tif: 'day' as const }, as: 'd' }] };

  it('expires at the end of bar 1 (spacing so far: one day), whatever bars come later', () => {
    const full = runScript(barsOf('A', rows, { timesMs: times }), script);
    const cut = runScript(barsOf('A', rows.slice(0, 3), { timesMs: times.slice(0, 3) }), script);
    const expiry = (r: typeof full) => orderEvents(r.result, r.id('d')).map((e) => [e.kind, e.step]);
    expect(expiry(full)).toEqual([['OrderAccepted', 0], ['OrderExpired', 1]]);
    expect(expiry(cut)).toEqual(expiry(full));
  });

  it('on intraday bars a day order works through its session', () => {
    const intraday = [9, 10, 11, 12].map((h) => T0_MS + h * HOUR_MS);
    const r = runScript(barsOf('A', [flat, flat, flat, [95, 96, 89, 90]], { timesMs: intraday }), script);
    expect(fillOf(r.result, r.id('d'))).toMatchObject({ step: 3, price: 90 });
  });
});

describe('equityFraction orders shrink to fit fixed fees', () => {
  it('all equity with a per-share commission buys what cash + commission allows', () => {
    // 100 000 cash at 100: 1000 shares would need 100 000 + 1000 × 0.005 = 100 005 > cash.
    // Shrunk by whole lots: 999 shares cost 99 900 + 4.995 commission <= 100 000.
    const r = runScript(barsOf('A', [flat, flat]), { 0: [{ submit: { side: 'buy', equityFraction: 1 }, as: 'all' }] }, { costs: { commissionPerShare: 0.005 } });
    expect(eventsOfKind(r.result, 'OrderRejected')).toEqual([]);
    expect(fillOf(r.result, r.id('all'))).toMatchObject({ qty: 999, price: 100 });
    expect(fillOf(r.result, r.id('all'))!.fee).toBeCloseTo(4.995, 12);
  });

  it('a fixed per-order fee larger than the cash left still rejects, with the reason', () => {
    // 150 cash at 100 sizes to 1 share, which needs 100 + 60 fee > 150: nothing fits.
    const r = runScript(barsOf('A', [flat, flat]), { 0: [{ submit: { side: 'buy', equityFraction: 1 } }] }, { initialCapital: 150, costs: { commissionPerOrder: 60 } });
    expect(eventsOfKind(r.result, 'OrderRejected').map((e) => e.reason)).toEqual(['insufficient buying power: exposure after fill 100 > 1 × equity 90']);
  });
});

describe('stop-limit triggered inside the bar with the limit beyond the stop', () => {
  it('a sell fills at the limit only if the close gets back to it (open→high→low→close path)', () => {
    // Sell stop 95, limit 97: triggers falling through 95 (high→low leg); only low→close can rise again.
    expect(matchStopLimit('sell', 95, 97, false, { open: 100, high: 101, low: 94, close: 98 })).toEqual({ price: 97, atOpen: false, triggered: true });
    const resting = matchStopLimit('sell', 95, 97, false, { open: 100, high: 101, low: 94, close: 96 });
    expect(resting.triggered).toBe(true);
    expect(Number.isNaN(resting.price)).toBe(true);
  });

  it('a buy fills at the limit when the low after the trigger reaches it', () => {
    // Buy stop 105, limit 103: triggers rising through 105 (open→high), then high→low can reach 103.
    expect(matchStopLimit('buy', 105, 103, false, { open: 100, high: 106, low: 99, close: 104 })).toEqual({ price: 103, atOpen: false, triggered: true });
  });
});

describe('strategy data access', () => {
  it('rejects fractional look-backs', () => {
    let message = '';
    runScript(barsOf('A', [flat, flat]), {}, {}, {
      onBar: (ctx) => {
        try {
          ctx.data().close(0.5);
        } catch (error) {
          message = (error as Error).message;
        }
      },
    });
    expect(message).toBe('A: no bar 0.5 bars ago (2 bars known so far)');
  });
});


describe('engine options', () => {
  it('a cost error names its field once', async () => {
    const { resolveEngineConfig } = await import('./engine-config.js');
    expect(() => resolveEngineConfig({ costs: { spread: 1, spreadBps: 2 } })).toThrow(/^costs: give at most one/);
    expect(() => resolveEngineConfig({ costs: { spread: 1, spreadBps: 2 } })).not.toThrow(/costs: costs/);
  });
});
