import { describe, expect, it } from 'vitest';
import { makeBarSeries, type BarSeries } from '../engine/bars.js';
import { runBacktest, type BacktestResult } from '../engine/backtest.js';
import type { EngineOptions } from '../engine/engine-config.js';
import type { StrategyDefinition } from '../engine/strategy.js';
import { findStrategy, STRATEGIES } from './index.js';
import { signalBars } from './signal-data.js';
import { SignalFilter, signalFilter } from './signal-filter.js';
import { relative } from './test-support.js';

/** [open, close, signal, confidence]; high = max(open, close) + 0.5, low = min(open, close) − 0.5. */
type Row = readonly [open: number, close: number, signal: number, confidence: number];

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2024, 0, 1);

/** Bars from rows, `intervalMs` apart from 2024-01-01 00:00 UTC; `drop` leaves a column out. */
function makeBars(rows: readonly Row[], intervalMs = DAY_MS, drop?: 'signal' | 'confidence'): BarSeries {
  const n = rows.length;
  const c = {
    timeMs: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    signal: new Float64Array(n),
    confidence: new Float64Array(n),
  };
  rows.forEach(([o, cl, s, conf], i) => {
    c.timeMs[i] = START_MS + i * intervalMs;
    c.open[i] = o;
    c.close[i] = cl;
    c.high[i] = Math.max(o, cl) + 0.5;
    c.low[i] = Math.min(o, cl) - 0.5;
    c.signal[i] = s;
    c.confidence[i] = conf;
  });
  const extras: Record<string, Float64Array> = { signal: c.signal, confidence: c.confidence };
  if (drop !== undefined) delete extras[drop];
  return makeBarSeries({ symbol: 'TEST', timeMs: c.timeMs, open: c.open, high: c.high, low: c.low, close: c.close, extras });
}

/** A bar at 100 with this signal and confidence. */
const flat = (signal: number, confidence: number): Row => [100, 100, signal, confidence];

/** Runs on hand-made bars with 100 000 capital (defaults: riskPct 1, stopPct 2 → 500 units at 100). */
function run(rows: readonly Row[], params: Record<string, unknown> = {}, options: EngineOptions = {}, intervalMs = DAY_MS): BacktestResult {
  return runBacktest({ data: makeBars(rows, intervalMs), strategy: signalFilter, params, options: { initialCapital: 100_000, ...options } });
}

/** [entry bar, exit bar, side, qty, entry price, exit price, exit tag] per trade. */
const tradeRows = (r: BacktestResult) => r.trades.map((t) => [t.entryStep, t.exitStep, t.side, t.qty, t.entryPrice, t.exitPrice, t.exitTag]);

/** [entry bar, exit bar] per trade. */
const spans = (r: BacktestResult) => r.trades.map((t) => [t.entryStep, t.exitStep]);

/** The definition with `create` wrapped so a test can read the instance (its threshold log). */
function capturing(): { definition: StrategyDefinition; instance: () => SignalFilter } {
  let created: SignalFilter | undefined;
  const definition = {
    ...signalFilter,
    create: (p: Parameters<typeof signalFilter.create>[0]) => (created = signalFilter.create(p) as SignalFilter),
  } as unknown as StrategyDefinition;
  return { definition, instance: () => created! };
}

describe('signal-filter on hand-made bars (100 000 capital, riskPct 1, stopPct 2)', () => {
  it('confidence below minConfidence: no order at all; at the threshold: enters at the next open', () => {
    expect(run([flat(1, 0.55), flat(1, 0.59), flat(1, 0.3), flat(1, 0.5)]).events).toEqual([]);
    const r = run([flat(1, 0.55), flat(1, 0.6), flat(1, 0.1), flat(1, 0.1)]);
    // Decided on bar 1 (0.6 >= 0.6); 1 % of 100 000 over a 2.00 stop = 500 units.
    expect(tradeRows(r)).toEqual([[2, undefined, 'long', 500, 100, 100, undefined]]);
  });

  describe('edge after costs', () => {
    // Commission 0.05 % a side = 10 bps round trip, costBps 3 → 13 bps of costs; minEdgeBps 5.
    const options: EngineOptions = { costs: { commissionRate: 0.0005 } };
    const params = { signalKind: 'bps', costBps: 3, minEdgeBps: 5 };

    it('bps signals: |signal| − 13 must reach 5', () => {
      // 17.5 → 4.5 net: no; −40: short, not allowed; 18.5 → 5.5 net: long.
      const r = run([flat(17.5, 0.9), flat(-40, 0.9), flat(18.5, 0.9), flat(18.5, 0.9), flat(3, 0.9)], params, options);
      expect(tradeRows(r)).toEqual([[3, undefined, 'long', 500, 100, 100, undefined]]);
      expect(run([flat(17.5, 0.9), flat(12, 1), flat(17.9, 1)], params, options).events).toEqual([]);
    });

    it('direction signals: assumedEdgeBps − costs must reach minEdgeBps', () => {
      const rows = [flat(1, 0.9), flat(1, 0.9), flat(1, 0.9)];
      // 14 − 10 (commission only) = 4 < 5: never trades (the param check cannot see the commission).
      expect(run(rows, { assumedEdgeBps: 14, minEdgeBps: 5 }, options).events).toEqual([]);
      expect(spans(run(rows, { assumedEdgeBps: 15.5, minEdgeBps: 5 }, options))).toEqual([[1, undefined]]);
      // Without commission 14 − 0 clears 5.
      expect(spans(run(rows, { assumedEdgeBps: 14, minEdgeBps: 5 }))).toEqual([[1, undefined]]);
    });
  });

  it('flip exit: a low-confidence bar keeps the position, the opposite signal ends it (long only: no short)', () => {
    const r = run([
      [100, 100, 1, 0.8], // 0: long decided
      [100, 101, 1, 0.1], // 1: bought at 100; same sign, confidence does not matter for holding
      [101, 102, -1, 0.9], // 2: flip → sell at the next open
      [103, 103, -1, 0.9], // 3: sold at 103; flat and shorts are off
      [103, 103, 0, 0],
    ]);
    expect(tradeRows(r)).toEqual([[1, 3, 'long', 500, 100, 103, 'flip']]);
    expect(r.trades[0]!.pnl).toBe(1500);
    // The bracket's stop-loss (order 2) is cancelled with the exit, so it cannot touch a later position.
    expect(r.events.filter((e) => e.kind === 'OrderCanceled').map((e) => [e.step, e.orderId, e.reason])).toEqual([[2, 2, 'strategy']]);
  });

  it('the stop-loss is a real bracket order: hit on the entry bar, the trade carries initialRisk', () => {
    const r = run([flat(1, 0.8), [100, 97.8, 0, 0], flat(0, 0)]);
    // Stop at 100 − 2 = 98: bar 1 trades down to 97.3 after the entry at its open.
    expect(tradeRows(r)).toEqual([[1, 1, 'long', 500, 100, 98, 'stop-loss']]);
    expect(r.trades[0]!.pnl).toBe(-1000);
    expect(r.trades[0]!.initialRisk).toBe(1000);
  });

  it('holdBars: exits after that many bars held (exitStep − entryStep = holdBars), re-enters the bar after', () => {
    const rows = Array.from({ length: 8 }, () => flat(1, 0.8));
    const r = run(rows, { holdBars: 2 });
    expect(tradeRows(r)).toEqual([
      [1, 3, 'long', 500, 100, 100, 'time'],
      [4, 6, 'long', 500, 100, 100, 'time'],
      [7, undefined, 'long', 500, 100, 100, undefined],
    ]);
    expect(spans(run(rows))).toEqual([[1, undefined]]); // holdBars 0: no time exit
  });

  describe('frequency limits (holdBars 1: every trade is one bar long)', () => {
    it('maxTradesPerDay counts entries per UTC day (6-hour bars: 0–3 day 1, 4–7 day 2, 8–10 day 3)', () => {
      const rows = Array.from({ length: 11 }, () => flat(1, 0.8));
      const sixHours = DAY_MS / 4;
      expect(spans(run(rows, { holdBars: 1 }, {}, sixHours))).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
      // Entries decided on bars 0, 4, 8; bars 2–3 and 6–7 are refused (day already used).
      expect(spans(run(rows, { holdBars: 1, maxTradesPerDay: 1 }, {}, sixHours))).toEqual([[1, 2], [5, 6], [9, 10]]);
      expect(spans(run(rows, { holdBars: 1, maxTradesPerDay: 2 }, {}, sixHours))).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
    });

    it('minBarsBetweenTrades spaces entry decisions', () => {
      const rows = Array.from({ length: 10 }, () => flat(1, 0.8));
      // Decisions on bars 0, 3, 6, 9 (the last one never fills: no bar after it).
      expect(spans(run(rows, { holdBars: 1, minBarsBetweenTrades: 3 }))).toEqual([[1, 2], [4, 5], [7, 8]]);
      // 2 is what one-bar trades space to anyway: decisions 0, 2, 4, 6, 8.
      expect(spans(run(rows, { holdBars: 1, minBarsBetweenTrades: 2 }))).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9, undefined]]);
    });
  });

  describe('shorts only with allowShort', () => {
    const rows: Row[] = [
      [100, 100, -1, 0.8], // 0: short decided (allowShort)
      [100, 99, -1, 0.2], // 1: sold 500 at 100, stop 102
      [99, 98, 1, 0.8], // 2: flip → buy back; and a long (equity 101 000, 1 010 / 1.96 = 515)
      [97, 97, 1, 0.2], // 3: both fill at 97; the long's stop is 98 − 1.96 = 96.04
      [97, 97, 0, 0], // 4: signal 0 → exit
      [96, 96, 0, 0], // 5: sold at 96
    ];

    it('long only: negative signals never open a short', () => {
      // Only bar 2's +1 trades: 1 000 / 1.96 = 510 units.
      expect(tradeRows(run(rows))).toEqual([[3, 5, 'long', 510, 97, 96, 'signal-zero']]);
    });

    it('allowShort: short on a negative signal, reverse on the flip, exit on 0', () => {
      const r = run(rows, { allowShort: true });
      expect(tradeRows(r)).toEqual([
        [1, 3, 'short', 500, 100, 97, 'flip'],
        [3, 5, 'long', 515, 97, 96, 'signal-zero'],
      ]);
      expect(r.trades.map((t) => t.initialRisk)).toEqual([1000, 515 * (97 - 96.04)]);
    });
  });

  it('adaptive: the threshold rises after losing windows and relaxes after winning ones', () => {
    // holdBars 1: a trade decided on bar t buys at open t+1 and sells at open t+2, where the next
    // one is decided (close 100 → 1 % of equity / 2.00). Opens of 99 lose 1 a unit, 101 win 1.
    const rows: Row[] = [
      [100, 100, 1, 0.55], // 0: A (threshold 0.5), 500
      flat(1, 0),
      [99, 100, 1, 0.55], // 2: A −500 → 99 500; B 497
      flat(1, 0),
      [99, 100, 1, 0.55], // 4: B −497 → 99 003; window L L → 0.6; 0.55 refused
      flat(1, 0.65), // 5: C 495
      flat(1, 0),
      [99, 100, 1, 0.65], // 7: C −495 → 98 508; L L → 0.7; 0.65 refused
      flat(1, 0.75), // 8: D 492
      flat(1, 0),
      [101, 100, 1, 0.75], // 10: D +492 → 99 000; L W = 50 %: unchanged; E 495
      flat(1, 0),
      [101, 100, 1, 0.65], // 12: E +495 → 99 495; W W → 0.6; F 497
      flat(1, 0),
      [101, 100, 1, 0.55], // 14: F +497 → 99 992; W W → 0.5; G 499
      flat(1, 0),
      [101, 100, 0, 0], // 16: G +499; W W at the base: unchanged
    ];
    const { definition, instance } = capturing();
    const params = { holdBars: 1, minConfidence: 0.5, adaptive: true, adaptiveWindow: 2, targetWinRatePct: 50, adaptiveStep: 0.1 };
    const r = runBacktest({ data: makeBars(rows), strategy: definition, params, options: { initialCapital: 100_000 } });
    expect(r.trades.map((t) => [t.entryStep, t.exitStep, t.qty, t.pnl])).toEqual([
      [1, 2, 500, -500],
      [3, 4, 497, -497],
      [6, 7, 495, -495],
      [9, 10, 492, 492],
      [11, 12, 495, 495],
      [13, 14, 497, 497],
      [15, 16, 499, 499],
    ]);
    expect(instance().thresholdChanges).toEqual([
      { step: 4, timeMs: START_MS + 4 * DAY_MS, from: 0.5, to: 0.6, winRatePct: 0 },
      { step: 7, timeMs: START_MS + 7 * DAY_MS, from: 0.6, to: 0.7, winRatePct: 0 },
      { step: 12, timeMs: START_MS + 12 * DAY_MS, from: 0.7, to: 0.6, winRatePct: 100 },
      { step: 14, timeMs: START_MS + 14 * DAY_MS, from: 0.6, to: 0.5, winRatePct: 100 },
    ]);
    expect(instance().confidenceThreshold).toBe(0.5);
    // Each change is also an event in the run's log.
    const notes = r.events.flatMap((e) => (e.kind === 'StrategyNoted' ? [[e.step, e.text]] : []));
    expect(notes).toEqual([
      [4, 'minConfidence 0.5 -> 0.6 (win rate 0.0% over the last 2 trades, target 50%)'],
      [7, 'minConfidence 0.6 -> 0.7 (win rate 0.0% over the last 2 trades, target 50%)'],
      [12, 'minConfidence 0.7 -> 0.6 (win rate 100.0% over the last 2 trades, target 50%)'],
      [14, 'minConfidence 0.6 -> 0.5 (win rate 100.0% over the last 2 trades, target 50%)'],
    ]);
    // Without adaptation bar 4's 0.55 trades too (and the next entry waits for bar 7's 0.65).
    const plain = run(rows, { holdBars: 1, minConfidence: 0.5 });
    expect(spans(plain).slice(0, 4)).toEqual([[1, 2], [3, 4], [5, 6], [8, 9]]);
  });

  it('caps the adaptive threshold at 0.99 and counts fees in a trade’s outcome', () => {
    // At flat prices every trade loses just its commission: one-bar trades, window 1, step 0.3.
    const rows = Array.from({ length: 12 }, () => flat(1, 1));
    const { definition, instance } = capturing();
    const params = { holdBars: 1, minConfidence: 0.2, adaptive: true, adaptiveWindow: 1, adaptiveStep: 0.3 };
    runBacktest({ data: makeBars(rows), strategy: definition, params, options: { costs: { commissionRate: 0.0001 } } });
    expect(instance().thresholdChanges.map((c) => [c.from, c.to])).toEqual([
      [0.2, 0.5],
      [0.5, 0.8],
      [0.8, 0.99],
    ]);
  });

  it('fails at init naming a missing column and listing those present', () => {
    const rows = [flat(1, 0.8), flat(1, 0.8)];
    expect(() => runBacktest({ data: makeBars(rows, DAY_MS, 'confidence'), strategy: signalFilter })).toThrow(
      'signal-filter needs a "confidence" column (the model confidence, 0..1): TEST has no column "confidence" — columns: signal — add the column to the data',
    );
    expect(() => runBacktest({ data: makeBars(rows, DAY_MS, 'signal'), strategy: signalFilter })).toThrow(/needs a "signal" column .*columns: confidence/);
  });

  it('rejects bad parameters with the parameter named', () => {
    const rows = [flat(1, 0.8)];
    expect(() => run(rows, { signalKind: 'probability' })).toThrow(/params\.signalKind/);
    expect(() => run(rows, { minConfidence: 1.5 })).toThrow(/params\.minConfidence/);
    expect(() => run(rows, { assumedEdgeBps: 10, costBps: 6, minEdgeBps: 5 })).toThrow(/params\.assumedEdgeBps: must be >= minEdgeBps \+ costBps \(11\)/);
    expect(() => run(rows, { signalKind: 'bps', assumedEdgeBps: 10, costBps: 6, minEdgeBps: 5 })).not.toThrow();
    expect(() => run(rows, { adaptive: true, minConfidence: 0.99 })).toThrow(/params\.minConfidence/);
    expect(() => run(rows, { adaptive: false, minConfidence: 0.99 })).not.toThrow();
  });

  it('is registered after channel-breakout', () => {
    expect([...STRATEGIES.keys()].slice(0, 3)).toEqual(['sma-cross', 'channel-breakout', 'signal-filter']);
    expect(findStrategy('signal-filter')).toBe(signalFilter);
  });
});

describe('signal-filter on synthetic signals of known edge (20 000 daily bars, seed 7)', () => {
  // Commission 2 bps a side + slippage 1 bp a fill: 6 bps round trip, of which costBps states the
  // slippage part. Positions are 2 % of equity (0.1 % risk over a 5 % stop), so costs per trade are small.
  const options: EngineOptions = { costs: { commissionRate: 0.0002, slippageBps: 1 } };
  const params = { minConfidence: 0.7, minEdgeBps: 5, costBps: 2, riskPct: 0.1, stopPct: 5 };
  const SEED = 7;

  const runOn = (accuracy: number, extra: Record<string, unknown> = {}, kind: 'direction' | 'bps' = 'direction') => {
    const { definition, instance } = capturing();
    const r = runBacktest({
      data: signalBars({ bars: 20_000, seed: SEED, accuracy, kind }),
      strategy: definition,
      params: { ...params, ...(kind === 'bps' ? { signalKind: 'bps' } : {}), ...extra },
      options,
      keepEvents: false,
    });
    return { r, filter: instance() };
  };
  const change = (r: BacktestResult) => r.metrics.finalEquity / 100_000 - 1;

  const edge = runOn(0.6).r;
  const noEdge = runOn(0.5).r;
  const noEdgeAdaptive = runOn(0.5, { adaptive: true });
  const edgeAdaptive = runOn(0.6, { adaptive: true }).r;

  it('the generator: hit rate is the accuracy, and confidence carries it', () => {
    const bars = signalBars({ bars: 20_000, seed: SEED, accuracy: 0.6 });
    let hits = 0;
    let confidentHits = 0;
    let confident = 0;
    for (let i = 0; i + 1 < bars.length; i++) {
      const hit = Math.sign(bars.close[i + 1]! - bars.close[i]!) === bars.extras['signal']![i] ? 1 : 0;
      hits += hit;
      if (bars.extras['confidence']![i]! >= 0.7) {
        confident++;
        confidentHits += hit;
      }
    }
    expect(hits / (bars.length - 1)).toBeCloseTo(0.6, 1.5);
    expect(confidentHits / confident).toBeCloseTo(0.5 + 0.2 * 0.85, 1.5); // q averaged over confidence 0.7–1
  });

  it('with edge (accuracy 0.6): clearly profitable after costs', () => {
    expect(change(edge)).toBeGreaterThan(0.1);
    expect(edge.metrics.tradesClosed).toBe(GOLDEN.edge.trades);
    expect(relative(edge.metrics.finalEquity, GOLDEN.edge.finalEquity)).toBeLessThan(1e-9);
    expect(edge.digest).toBe(GOLDEN.edge.digest);
  });

  it('without edge (accuracy 0.5): near flat — it loses its costs and no more than a few %', () => {
    expect(change(noEdge)).toBeGreaterThan(-0.05);
    expect(change(noEdge)).toBeLessThan(0.02);
    // Before costs it is a coin flip: the loss is what was paid.
    expect(Math.abs(noEdge.grossMetrics.finalEquity / 100_000 - 1)).toBeLessThan(0.02);
    expect(noEdge.metrics.tradesClosed).toBe(GOLDEN.noEdge.trades);
    expect(relative(noEdge.metrics.finalEquity, GOLDEN.noEdge.finalEquity)).toBeLessThan(1e-9);
    expect(noEdge.digest).toBe(GOLDEN.noEdge.digest);
  });

  it('without edge, adaptive thresholds trade far less and stay closer to flat', () => {
    const { r, filter } = noEdgeAdaptive;
    expect(r.metrics.tradesClosed).toBeLessThan(noEdge.metrics.tradesClosed / 4);
    expect(Math.abs(change(r))).toBeLessThan(0.01);
    expect(filter.thresholdChanges.length).toBeGreaterThan(0);
    expect(Math.max(...filter.thresholdChanges.map((c) => c.to))).toBe(0.99);
    expect(r.metrics.tradesClosed).toBe(GOLDEN.noEdgeAdaptive.trades);
    expect(relative(r.metrics.finalEquity, GOLDEN.noEdgeAdaptive.finalEquity)).toBeLessThan(1e-9);
    expect(filter.thresholdChanges.length).toBe(GOLDEN.noEdgeAdaptive.changes);
  });

  it('with edge, adaptive thresholds still end profitable (they trade less)', () => {
    expect(change(edgeAdaptive)).toBeGreaterThan(0.05);
    expect(edgeAdaptive.metrics.tradesClosed).toBeLessThan(edge.metrics.tradesClosed);
    expect(edgeAdaptive.metrics.tradesClosed).toBe(GOLDEN.edgeAdaptive.trades);
    expect(relative(edgeAdaptive.metrics.finalEquity, GOLDEN.edgeAdaptive.finalEquity)).toBeLessThan(1e-9);
  });

  it('bps signals (calibrated expected return): the edge filter alone keeps a no-edge model out', () => {
    const withEdge = runOn(0.6, { minConfidence: 0 }, 'bps').r;
    expect(change(withEdge)).toBeGreaterThan(0.1);
    expect(withEdge.metrics.tradesClosed).toBe(GOLDEN.bps.trades);
    expect(relative(withEdge.metrics.finalEquity, GOLDEN.bps.finalEquity)).toBeLessThan(1e-9);
    // At accuracy 0.5 the calibrated forecast is 0 bps everywhere: nothing clears the costs.
    const none = runOn(0.5, { minConfidence: 0 }, 'bps').r;
    expect(none.metrics.tradesClosed + none.metrics.tradesOpen).toBe(0);
    expect(none.metrics.finalEquity).toBe(100_000);
  });

  it('is deterministic: the same seed gives the same digest', () => {
    expect(runOn(0.6).r.digest).toBe(edge.digest);
  });
});

/** Pinned figures of the synthetic runs (seed 7); any change to fills, costs or the generator moves them. */
const GOLDEN = {
  edge: { trades: 2350, finalEquity: 116_911.319461, digest: '9b2bd768c22cb15a968852d4777bc9711fb840dcd13040f4a07159313c61c24d' },
  noEdge: { trades: 2361, finalEquity: 98_849.767566, digest: '2cc1b74f7701594e55bad60a45016749f1cc4bebe4342613052e24133f81a9ad' },
  noEdgeAdaptive: { trades: 147, finalEquity: 99_369.405897, changes: 15 },
  edgeAdaptive: { trades: 1516, finalEquity: 111_426.409289 },
  bps: { trades: 4047, finalEquity: 125_570.566083 },
};
