import { describe, expect, it } from 'vitest';
import { messagesOf } from './test-support.js';
import { sliceBars, type BarSeries } from '../engine/bars.js';
import { runBacktest } from '../engine/backtest.js';
import type { EngineOptions } from '../engine/engine-config.js';
import type { RiskOptions } from '../engine/risk/risk-config.js';
import type { StrategyDefinition } from '../engine/strategy.js';
import { channelBreakout } from '../strategies/channel-breakout.js';
import { intradayBars } from '../strategies/intraday-synth.js';
import { signalBars } from '../strategies/signal-data.js';
import { signalFilter } from '../strategies/signal-filter.js';
import { smaCross } from '../strategies/sma-cross.js';
import { swingBreak } from '../strategies/swing-break.js';
import { loadSp500 } from '../strategies/test-support.js';
import { PaperSession, type PaperSessionInput } from './paper-session.js';


const head = (series: readonly BarSeries[], n: number) => series.map((s) => sliceBars(s, 0, n));

interface Case {
  readonly name: string;
  readonly data: readonly BarSeries[];
  readonly strategy: StrategyDefinition;
  readonly params?: Record<string, unknown>;
  readonly options?: EngineOptions;
  /** Bars of each series in the config's data (the history). */
  readonly history: number;
  readonly warmupBars?: number;
}

const swingRisk: RiskOptions = { maxOpenPositions: 2, maxPositionsPer: { group: 1 }, groups: { CE1: 'CE', CE2: 'CE', PE1: 'PE' }, dailyLossR: 5, dailyProfitR: 5, riskPerTrade: 1000 };
const CASES: readonly Case[] = [
  { name: 'sma-cross, S&P 500, warm-up = all 2,000 history bars', data: [loadSp500()], strategy: smaCross as unknown as StrategyDefinition, params: { fast: 10, slow: 30 }, history: 2000 },
  { name: 'channel-breakout, S&P 500 with costs, warm-up = last 300 of 2,500', data: [loadSp500()], strategy: channelBreakout as unknown as StrategyDefinition, options: { costs: { commissionRate: 0.0005, slippageBps: 2 } }, history: 2500, warmupBars: 300 },
  {
    name: 'signal-filter on signal/confidence columns',
    data: [signalBars({ bars: 3000, seed: 7, accuracy: 0.6 })],
    strategy: signalFilter as unknown as StrategyDefinition,
    params: { minConfidence: 0.7, minEdgeBps: 5, costBps: 2, riskPct: 0.1, stopPct: 5 },
    options: { costs: { commissionRate: 0.0002, slippageBps: 1 } },
    history: 1000,
    warmupBars: 400,
  },
  {
    name: 'swing-break, 3 intraday symbols with volume and a risk block',
    data: intradayBars({ symbols: ['CE1', 'CE2', 'PE1'], sessions: 5, seed: 7, startPrices: [180, 220, 200], minuteVol: 0.006 }),
    strategy: swingBreak as unknown as StrategyDefinition,
    params: { groups: 'CE1:CE,CE2:CE,PE1:PE' },
    options: { initialCapital: 1_000_000, risk: swingRisk },
    history: 700,
    warmupBars: 650,
  },
];

describe('PaperSession: a paper run is the backtest of its warm-up and live bars', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const input: PaperSessionInput = { history: head(c.data, c.history), warmupBars: c.warmupBars, strategy: c.strategy, params: c.params ?? {}, options: c.options ?? {} };
      const session = new PaperSession(input);
      const outcomes = messagesOf(c.data).map((m) => session.accept(m));
      const result = session.finish();
      // The equivalent backtest: each series from its first warm-up bar to its end.
      const start = c.warmupBars === undefined ? 0 : c.history - c.warmupBars;
      const expected = runBacktest({ data: c.data.map((s) => sliceBars(s, start, s.length)), strategy: c.strategy, params: c.params ?? {}, options: c.options ?? {} });
      expect(result.trades.length).toBeGreaterThan(2);
      expect(result.trades).toEqual(expected.trades);
      expect(result.metrics).toEqual(expected.metrics);
      expect(result.digest).toBe(expected.digest);
      expect(session.warmupBars).toBe(c.data.length * (c.warmupBars ?? c.history));
      expect(session.skippedMessages).toBe(c.data.length * c.history);
      expect(session.liveBars).toBe(c.data.reduce((n, s) => n + s.length - c.history, 0));
      expect(session.rejectedMessages).toBe(0);
      expect(outcomes.filter((o) => o === 'rejected')).toEqual([]);
    });
  }

  it('steps the bars of one timestamp together: at once when every symbol has one, else when a later time arrives or at the end', () => {
    const data = intradayBars({ symbols: ['A', 'B'], sessions: 1, seed: 3 });
    const session = new PaperSession({ history: head(data, 10), strategy: smaCross as unknown as StrategyDefinition });
    const [a, b] = [messagesOf([data[0]!]), messagesOf([data[1]!])];
    expect(session.accept(a[10]!)).toBe('buffered');
    expect(session.accept(b[10]!)).toBe('stepped');
    expect(session.accept(a[11]!)).toBe('buffered');
    expect(session.accept(a[12]!)).toBe('buffered'); // steps 11 (A only), buffers 12
    expect(session.lastTimeMs).toBe(data[0]!.timeMs[11]);
    expect(session.liveBars).toBe(3);
    // B's bar of 11 comes too late: 11 was stepped without it.
    expect(session.accept(b[11]!)).toBe('rejected');
    session.finish();
    expect(session.liveBars).toBe(4);
    expect(session.engine.clock.step).toBe(10 + 3 - 1);
  });
});

describe('PaperSession: bad messages are rejected with a warning and change nothing', () => {
  const data = [loadSp500()];
  const strategy = smaCross as unknown as StrategyDefinition;
  const clean = (() => {
    const session = new PaperSession({ history: head(data, 1000), strategy });
    for (const m of messagesOf(data)) session.accept(m);
    return session.finish();
  })();

  it('malformed, NaN, non-positive, high < low, unknown symbol, out-of-order, duplicate: each rejected, digest unchanged', () => {
    const warnings: string[] = [];
    const session = new PaperSession({ history: head(data, 1000), strategy, warn: (w) => warnings.push(w) });
    const good = messagesOf(data);
    const bar = good[1500]!;
    const bad: [unknown, RegExp][] = [
      ['{"symbol": "SPX", "timeMs": ', /malformed JSON/],
      [42, /not a bar object/],
      [[bar], /not a bar object/],
      [{ ...bar, symbol: undefined }, /symbol must be a non-empty string/],
      [{ ...bar, timeMs: '2006-01-01' }, /timeMs must be epoch milliseconds/],
      [{ ...bar, close: '1250.5' }, /close must be a number, was "1250.5"/],
      [{ ...bar, open: Number.NaN }, /open is missing \(NaN\)/],
      [{ ...bar, low: -1 }, /low -1 is not positive/],
      [{ ...bar, high: bar.low - 1 }, /high .* < low/],
      [{ ...bar, symbol: 'NDX' }, /unknown symbol NDX — this run trades SPX/],
      [JSON.stringify({ ...good[1499]!, close: good[1499]!.close + 0.01 }), /duplicate time/],
      [{ ...good[1200]! }, /out of order/],
      [{ ...bar, extras: { vix: 'high' } }, /extras.vix must be a number or null/],
    ];
    for (const [i, m] of good.entries()) {
      if (i === 1500) for (const [message] of bad) expect(session.accept(message)).toBe('rejected');
      expect(session.accept(i % 2 === 0 ? JSON.stringify(m) : m)).not.toBe('rejected');
    }
    const result = session.finish();
    expect(session.rejectedMessages).toBe(bad.length);
    expect(warnings).toHaveLength(bad.length);
    bad.forEach(([, pattern], i) => expect(warnings[i]).toMatch(pattern));
    expect(warnings[8]).toBe(`rejected: SPX bar at ${new Date(bar.timeMs).toISOString()}: high ${bar.low - 1} < low ${bar.low}`);
    expect(result.digest).toBe(clean.digest);
    expect(result.trades).toEqual(clean.trades);
  });

  it('a missing volume is rejected when the data has volume; a missing extra column is "no value"', () => {
    const bars = intradayBars({ symbols: ['A'], sessions: 1, seed: 1 });
    const warnings: string[] = [];
    const session = new PaperSession({ history: head(bars, 5), strategy, warn: (w) => warnings.push(w) });
    const { volume: _volume, ...noVolume } = messagesOf(bars)[5]!;
    expect(session.accept(noVolume)).toBe('rejected');
    expect(warnings[0]).toMatch(/volume is missing \(NaN\)/);
    const withVix = new PaperSession({ history: head([signalBars({ bars: 20, seed: 1, accuracy: 0.6 })], 5), strategy });
    const m = messagesOf([signalBars({ bars: 20, seed: 1, accuracy: 0.6 })])[5]!;
    expect(withVix.accept({ ...m, extras: { signal: 1 } })).toBe('stepped');
    expect(withVix.bars[0]!.extras['confidence']![5]).toBeNaN();
  });

  it('bars covered by the warm-up are skipped, not rejected; after finish() nothing more is taken', () => {
    const session = new PaperSession({ history: head(data, 100), strategy, warmupBars: 20 });
    const messages = messagesOf(data);
    expect(session.accept(messages[50]!)).toBe('skipped');
    expect(session.accept(messages[99]!)).toBe('skipped');
    expect(session.accept(messages[100]!)).toBe('stepped');
    expect(session.warmupBars).toBe(20);
    expect(session.warmup[0]!.timeMs[0]).toBe(data[0]!.timeMs[80]);
    session.finish();
    expect(() => session.accept(messages[101]!)).toThrow(/finished/);
  });

  it('checks params and options as runBacktest does; a warm-up of 0 bars starts cold after the history', () => {
    expect(() => new PaperSession({ history: head(data, 10), strategy, params: { fast: 0 } })).toThrow(/params\.fast/);
    expect(() => new PaperSession({ history: head(data, 10), strategy, warmupBars: -1 })).toThrow(/warmup\.bars/);
    const cold = new PaperSession({ history: head(data, 1000), strategy, warmupBars: 0 });
    for (const m of messagesOf(data)) cold.accept(m);
    expect(cold.skippedMessages).toBe(1000);
    expect(cold.finish().digest).toBe(runBacktest({ data: sliceBars(data[0]!, 1000, data[0]!.length), strategy }).digest);
  });
});
