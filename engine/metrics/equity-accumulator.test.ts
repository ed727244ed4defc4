import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyReturns, dayEndEquity } from './daily-returns.js';
import { downsideDeviation } from './sortino.js';
import { maxDrawdownPct } from './drawdown.js';
import { maxDrawdownDuration } from './drawdown-duration.js';
import { EquityAccumulator } from './equity-accumulator.js';
import { exposurePct } from './exposure.js';
import { mean, sampleStd } from './stats.js';

const HOUR = 3_600_000;

describe('EquityAccumulator', () => {
  it('a day-end series sized up front (maxDays) or grown gives the same summary; finalSummary ends it', () => {
    // 40 bars, 8 h apart: 14 UTC days.
    const times = Array.from({ length: 40 }, (_, i) => i * 8 * HOUR);
    const equity = times.map((_, i) => 100 + 10 * Math.sin(i / 3) + i);
    const grown = new EquityAccumulator(100, { keepDayEnds: true });
    const sized = new EquityAccumulator(100, { keepDayEnds: true, maxDays: 14 });
    const tight = new EquityAccumulator(100, { keepDayEnds: true, maxDays: 1 }); // too small: it grows
    for (const acc of [grown, sized, tight]) equity.forEach((e, i) => acc.push(times[i]!, e, true));
    const expected = grown.summary();
    expect(expected.dayEndEquity).toHaveLength(14);
    expect(sized.summary()).toEqual(expected);
    expect(tight.summary()).toEqual(expected);
    const final = sized.finalSummary();
    expect(final).toEqual(expected);
    expect(() => sized.push(41 * 8 * HOUR, 1, false)).toThrow(/pushed after finalSummary/);
    expect(tight.finalSummary()).toEqual(expected);
    expect(sized.isFinished).toBe(true);
  });

  it('finalSummary hands over a view of a well-filled buffer, a copy of a mostly empty one', () => {
    const times = Array.from({ length: 10 }, (_, i) => i * 24 * HOUR);
    const exact = new EquityAccumulator(100, { keepDayEnds: true, maxDays: 10 });
    const roomy = new EquityAccumulator(100, { keepDayEnds: true, maxDays: 1000 });
    for (const acc of [exact, roomy]) times.forEach((t, i) => acc.push(t, 100 + i, false));
    const a = exact.finalSummary().dayEndEquity!;
    const b = roomy.finalSummary().dayEndEquity!;
    expect([...a]).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expect([...b]).toEqual([...a]);
    expect(a.buffer.byteLength).toBe(11 * 8); // the accumulator's own buffer (capacity maxDays + 1)
    expect(b.buffer.byteLength).toBe(10 * 8); // copied out of a 1,001-day buffer
  });


  it('hand-worked curve: 100 → 110 → 99 → 105 → 121, across two days', () => {
    // Bars at 20:00, 22:00 (day 0), 02:00, 04:00, 06:00 (day 1).
    const acc = new EquityAccumulator(100, { keepDayEnds: true });
    const times = [20, 22, 26, 28, 30].map((h) => h * HOUR);
    [110, 99, 105, 121, 121].forEach((e, i) => acc.push(times[i]!, e, i % 2 === 0));
    const s = acc.summary();
    // Peak 110 at bar 0, trough 99 at bar 1: (110 − 99) / 110 = 10 %.
    expect(s.maxDrawdownPct).toBeCloseTo(10, 12);
    // Under water from bar 0 (peak) until bar 3 (121 >= 110): 3 bars, day 0 → day 1 = 1 day.
    expect(s.maxDrawdownDurationBars).toBe(3);
    expect(s.maxDrawdownDurationDays).toBe(1);
    // Day ends: 99 (last bar of day 0) and 121 (last bar of day 1).
    expect([...s.dayEndEquity!]).toEqual([99, 121]);
    // One daily return: 121 / 99 − 1.
    expect(s.dailyReturns.count).toBe(1);
    expect(s.dailyReturns.mean).toBeCloseTo(121 / 99 - 1, 15);
    expect(s.exposedBars).toBe(3);
    expect(s.equitySum).toBe(110 + 99 + 105 + 121 + 121);
    expect(s.finalEquity).toBe(121);
  });

  it('equals the batch functions on random curves (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 30 * HOUR }), fc.boolean()), {
          minLength: 0,
          maxLength: 200,
        }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        (rows, capital) => {
          const timeMs = new Float64Array(rows.length);
          const equity = new Float64Array(rows.length);
          const exposure = new Float64Array(rows.length);
          let t = 1_600_000_000_000;
          const acc = new EquityAccumulator(capital, { keepDayEnds: true, downsideTarget: 0.0001 });
          rows.forEach(([e, dt, exposed], i) => {
            t += dt;
            timeMs[i] = t;
            equity[i] = e;
            exposure[i] = exposed ? 0.5 : 0;
            acc.push(t, e, exposed);
          });
          const s = acc.summary();
          expect(s.maxDrawdownPct).toBe(maxDrawdownPct(equity, capital));
          const duration = maxDrawdownDuration(timeMs, equity, capital);
          expect(s.maxDrawdownDurationBars).toBe(duration.bars);
          expect(s.maxDrawdownDurationDays).toBe(duration.days);
          expect([...s.dayEndEquity!]).toEqual([...dayEndEquity(timeMs, equity)]);
          // Streamed moments agree with the two-pass batch statistics of the daily returns.
          const returns = dailyReturns(timeMs, equity);
          expect(s.dailyReturns.count).toBe(returns.length);
          const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
          if (returns.length > 0) near(s.dailyReturns.mean, mean(returns));
          if (returns.length > 1) near(Math.sqrt(s.dailyReturns.m2 / (returns.length - 1)), sampleStd(returns));
          if (returns.length > 0) near(Math.sqrt(s.dailyReturns.downsideSquares / returns.length), downsideDeviation(returns, 0.0001));
          expect(rows.length === 0 ? 0 : (s.exposedBars / rows.length) * 100).toBe(exposurePct(exposure));
          expect(rows.length === 0 ? 0 : s.equitySum / rows.length).toBe(mean(equity));
        },
      ),
      { seed: 20261123, numRuns: 300 },
    );
  });
});
