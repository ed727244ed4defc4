import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBarSeries, sliceBars } from '../engine/bars.js';
import { runBacktest } from '../engine/backtest.js';
import { ConfigError } from '../engine/config-error.js';
import { loadBars } from '../data/load.js';
import { findStrategy } from '../strategies/index.js';
import { parseExperiment } from './experiment-spec.js';
import { rowMetrics } from './results-columns.js';
import { efficiency, runWalkForward, type WalkForwardResult } from './walk-forward.js';
import { oosTradesCsv, walkForwardJson, WALK_FORWARD_FILES, writeWalkForwardDir } from './walk-forward-output.js';
import { mergedTimeline, sliceByTime } from './walk-forward-slice.js';

const SP500 = fileURLToPath(new URL('../data/samples/sp500-2000.csv', import.meta.url));
const smaCross = findStrategy('sma-cross')!;
const { bars: all } = await loadBars(SP500, { symbol: 'SPX' });
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** sma-cross fast 5,10 × slow 20,40 on the S&P 500 2005…2012, 0.1 % commission. */
function experiment(walkForward: unknown, extra: Record<string, unknown> = {}) {
  return parseExperiment({
    name: 'wf-small',
    data: { file: SP500, symbol: 'SPX', from: '2005-01-01', to: '2012-12-31' },
    strategy: 'sma-cross',
    capital: 100_000,
    costs: { commissionRate: 0.001 },
    sweep: { fast: [5, 10], slow: [20, 40] },
    ranking: { metric: 'sharpe', order: 'desc' },
    walkForward,
    ...extra,
  });
}

const run = (e: ReturnType<typeof experiment>, workers = 1): Promise<WalkForwardResult> => runWalkForward({ experiment: e, baseDir: '.', workers });

/** The loaded window of the small experiment (2005 … 2012). */
const data = sliceByTime(all, Date.UTC(2005, 0, 1), Date.UTC(2013, 0, 1));
const CELLS = [{ fast: 5, slow: 20 }, { fast: 5, slow: 40 }, { fast: 10, slow: 20 }, { fast: 10, slow: 40 }];
const options = { initialCapital: 100_000, costs: { commissionRate: 0.001 } };

describe('runWalkForward on the bundled S&P 500 data (rolling 2y / 1y)', () => {
  let result: WalkForwardResult;
  beforeAll(async () => {
    result = await run(experiment({ mode: 'rolling', train: '2y', test: '1y' }));
  });

  it('cuts yearly test windows (Jan 3 to Jan 3, or the next trading day) from 2007 after two-year train windows; the 2012 test is partial', () => {
    expect(result.windows.map((w) => [iso(w.trainFromMs), iso(w.testFromMs), iso(w.testToMs), w.window.partial])).toEqual([
      ['2005-01-03', '2007-01-03', '2008-01-02', false],
      ['2006-01-03', '2008-01-03', '2009-01-02', false],
      ['2007-01-03', '2009-01-05', '2009-12-31', false],
      ['2008-01-03', '2010-01-04', '2010-12-31', false],
      ['2009-01-05', '2011-01-03', '2011-12-30', false],
      ['2010-01-04', '2012-01-03', '2012-12-31', true],
    ]);
  });

  it('chooses per window the cell an independent ranking of runBacktest on the train slice chooses', () => {
    for (const w of result.windows) {
      const train = sliceBars(data, w.window.trainStart, w.window.trainEnd);
      const sharpes = CELLS.map((params) => runBacktest({ data: train, strategy: smaCross, params, options, keepSeries: false, keepEvents: false }).metrics.sharpe);
      // Highest Sharpe, the first cell on ties.
      const best = sharpes.reduce((b, s, i) => (s > sharpes[b]! ? i : b), 0);
      expect(w.chosen?.cell, `window ${w.window.index}`).toBe(best);
      expect(w.chosen?.params).toEqual(CELLS[best]);
      expect(w.passed).toBe(4);
      const alone = runBacktest({ data: train, strategy: smaCross, params: CELLS[best]!, options });
      expect(w.inSample).toEqual(rowMetrics(alone.metrics));
      expect(w.chosen?.trainDigest).toBe(alone.digest);
    }
    // Not the same cell everywhere: the choice follows the train window.
    expect(new Set(result.windows.map((w) => w.chosen?.cell)).size).toBeGreaterThan(1);
  });

  it('runs the chosen cell cold on the test slice with the previous final equity; the stitched final equity is capital × Π window returns', () => {
    let capital = 100_000;
    let product = 100_000;
    for (const w of result.windows) {
      expect(w.startEquity).toBe(capital);
      const test = runBacktest({ data: sliceBars(data, w.window.testStart, w.window.testEnd), strategy: smaCross, params: CELLS[w.chosen!.cell]!, options: { ...options, initialCapital: capital } });
      expect(w.testDigest).toBe(test.digest);
      expect(w.outOfSample).toEqual(test.metrics);
      expect(w.finalEquity).toBe(test.metrics.finalEquity);
      product *= 1 + w.outOfSample.totalReturnPct / 100;
      capital = test.metrics.finalEquity;
    }
    const stitched = result.outOfSample.metrics;
    expect(stitched.finalEquity).toBe(capital);
    expect(Math.abs(stitched.finalEquity / product - 1)).toBeLessThan(1e-12);
    expect(stitched.startEquity).toBe(100_000);
    expect(stitched.feesPaid).toBeCloseTo(result.windows.reduce((s, w) => s + w.outOfSample.feesPaid, 0), 6);
  });

  it('stitches one curve over exactly the test bars, in order, continuous across windows', () => {
    const oos = result.outOfSample;
    const first = result.windows[0]!.window.testStart;
    expect(Array.from(oos.timeMs)).toEqual(Array.from(data.timeMs.subarray(first)));
    expect(oos.metrics.bars).toBe(data.length - first);
    for (const w of result.windows) {
      const at = w.window.testStart - first;
      expect(oos.window[at]).toBe(w.window.index);
      expect(oos.equity[w.window.testEnd - first - 1]).toBe(w.finalEquity);
    }
    expect(oos.equity.at(-1)).toBe(oos.metrics.finalEquity);
  });

  it('closes a trade open at a window end there (window-end) and keeps only the last window\'s open trades open', () => {
    const trades = result.outOfSample.trades;
    const perWindow = result.windows.reduce((n, w) => n + w.trades.length, 0);
    expect(trades).toHaveLength(perWindow);
    const last = result.windows.at(-1)!.window.index;
    for (const { window, trade } of trades) {
      if (window !== last) expect(trade.open).toBe(false);
      if (trade.exitTag === 'window-end') expect(trade.exitTimeMs).toBe(result.windows[window]!.testToMs);
    }
    expect(trades.some((t) => t.trade.exitTag === 'window-end')).toBe(true);
    expect(result.outOfSample.metrics.tradesClosed + result.outOfSample.metrics.tradesOpen).toBe(perWindow);
  });

  it('reports the walk-forward efficiency per window and overall (OOS CAGR ÷ IS CAGR)', () => {
    for (const w of result.windows) expect(w.efficiency).toBe(efficiency(w.outOfSample.cagrPct, w.inSample!.cagrPct));
    const inSample = result.windows.map((w) => w.inSample!.cagrPct!);
    const mean = inSample.reduce((a, b) => a + b, 0) / inSample.length;
    expect(result.outOfSample.meanInSampleCagrPct).toBeCloseTo(mean, 12);
    expect(result.outOfSample.efficiency).toBe(efficiency(result.outOfSample.metrics.cagrPct, result.outOfSample.meanInSampleCagrPct));
  });

  it('gives the same document (and digest) with a pool of workers as in one thread', async () => {
    const pooled = await run(experiment({ mode: 'rolling', train: '2y', test: '1y' }), 3);
    expect(walkForwardJson(pooled)).toEqual(walkForwardJson(result));
    expect(walkForwardJson(result).digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes walk-forward.json, oos-equity.arrow and oos-trades.csv', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replaylab-wf-'));
    await writeWalkForwardDir(dir, result);
    const doc = JSON.parse(readFileSync(join(dir, WALK_FORWARD_FILES.summary), 'utf8'));
    expect(doc).toEqual(JSON.parse(JSON.stringify(walkForwardJson(result))));
    expect(doc.windows).toHaveLength(6);
    expect(doc.windows[0].test).toEqual({ from: '2007-01-03T00:00:00.000Z', to: '2008-01-02T00:00:00.000Z', bars: 252, start: 503, end: 755 });
    const table = tableFromIPC(readFileSync(join(dir, WALK_FORWARD_FILES.equity)));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['time', 'equity', 'window']);
    expect(table.numRows).toBe(result.outOfSample.timeMs.length);
    expect(table.getChild('equity')!.get(table.numRows - 1)).toBe(result.outOfSample.metrics.finalEquity);
    const csv = readFileSync(join(dir, WALK_FORWARD_FILES.trades), 'utf8');
    expect(csv).toBe(oosTradesCsv(result));
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('window,symbol,side,qty,entryTime,exitTime,entryPrice,exitPrice,pnl,grossPnl,fees,slippage,entryTag,exitTag,open');
    expect(lines).toHaveLength(result.outOfSample.trades.length + 1);
  });
});

describe('runWalkForward: other modes and edge cases', () => {
  it('anchored bars windows train from bar 0 and choose on the grown window', async () => {
    const result = await run(experiment({ mode: 'anchored', train: 504, test: 252 }));
    expect(result.windows.map((w) => [w.window.trainStart, w.window.trainEnd, w.window.testEnd])).toEqual([
      [0, 504, 756], [0, 756, 1008], [0, 1008, 1260], [0, 1260, 1512], [0, 1512, 1764], [0, 1764, 2013],
    ]);
    for (const w of result.windows) {
      const train = sliceBars(data, 0, w.window.trainEnd);
      const sharpes = CELLS.map((params) => runBacktest({ data: train, strategy: smaCross, params, options, keepSeries: false, keepEvents: false }).metrics.sharpe);
      expect(w.chosen?.cell).toBe(sharpes.indexOf(Math.max(...sharpes)));
    }
  });

  it('applies the quality filters: when no cell passes, nothing trades in that test window (flat equity)', async () => {
    const result = await run(experiment({ mode: 'rolling', train: '2y', test: '1y' }, { filters: { minTrades: 1000 } }));
    for (const w of result.windows) {
      expect(w.chosen).toBeNull();
      expect(w.passed).toBe(0);
      expect(w.inSample).toBeNull();
      expect(w.efficiency).toBeNull();
      expect(w.outOfSample.finalEquity).toBe(100_000);
      expect(w.outOfSample.tradesClosed).toBe(0);
    }
    expect(result.outOfSample.metrics.finalEquity).toBe(100_000);
    expect(result.outOfSample.efficiency).toBeNull();
    expect(walkForwardJson(result).windows[0]!.chosen).toBeNull();
  });

  it('a filter that keeps some cells picks the best of those only', async () => {
    const result = await run(experiment({ mode: 'rolling', train: '2y', test: '1y' }, { filters: { minTrades: 20 } }));
    for (const w of result.windows) {
      const train = sliceBars(data, w.window.trainStart, w.window.trainEnd);
      const metrics = CELLS.map((params) => runBacktest({ data: train, strategy: smaCross, params, options, keepSeries: false, keepEvents: false }).metrics);
      const passing = metrics.map((m, i) => ({ i, m })).filter(({ m }) => m.tradesClosed >= 20);
      expect(w.passed).toBe(passing.length);
      const best = passing.reduce<{ i: number; s: number } | undefined>((b, { i, m }) => (b === undefined || m.sharpe > b.s ? { i, s: m.sharpe } : b), undefined);
      expect(w.chosen?.cell ?? null).toBe(best?.i ?? null);
    }
  });

  it('errors: no walkForward block, data too short for one window', async () => {
    await expect(run(experiment(undefined))).rejects.toThrow(new ConfigError('walkForward', 'missing — add e.g. "walkForward": {"mode": "rolling", "train": "3y", "test": "1y"}'));
    await expect(run(experiment({ mode: 'rolling', train: '10y', test: '1y' }))).rejects.toThrow(/^walkForward\.train: the data is too short for one window \(test = "1y"\): train = "10y" from 2005-01-03 ends on 2015-01-03/);
    await expect(run(experiment({ mode: 'rolling', train: 2013, test: 10 }))).rejects.toThrow('needs 2014 bars, the data has 2013 bars, 2005-01-03 … 2012-12-31');
  });
});

describe('efficiency, mergedTimeline, sliceByTime', () => {
  it('efficiency is OOS ÷ IS CAGR, null unless the IS CAGR is > 0 and both are finite', () => {
    expect(efficiency(5, 10)).toBe(0.5);
    expect(efficiency(-5, 10)).toBe(-0.5);
    expect(efficiency(5, 0)).toBeNull();
    expect(efficiency(5, -10)).toBeNull();
    expect(efficiency(null, 10)).toBeNull();
    expect(efficiency(Number.POSITIVE_INFINITY, 10)).toBeNull();
  });

  it('merges several series onto one sorted timeline and slices each by time', () => {
    const series = (symbol: string, times: number[]) => {
      const column = Float64Array.from(times, () => 1);
      return makeBarSeries({ symbol, timeMs: Float64Array.from(times), open: column, high: column, low: column, close: column });
    };
    const a = series('A', [1, 3, 5, 7]);
    const b = series('B', [2, 3, 6]);
    expect(Array.from(mergedTimeline([a, b]))).toEqual([1, 2, 3, 5, 6, 7]);
    expect(mergedTimeline([a])).toBe(a.timeMs);
    expect(Array.from(sliceByTime(a, 3, 7).timeMs)).toEqual([3, 5]);
    expect(Array.from(sliceByTime(b, 4, Number.POSITIVE_INFINITY).timeMs)).toEqual([6]);
    expect(sliceByTime(b, 8, 9).length).toBe(0);
  });
});

describe('runWalkForward with a regimes block', () => {
  it('gives every test window per-regime figures of its own run (none without the block)', async () => {
    const plain = await run(experiment({ mode: 'rolling', train: '2y', test: '1y' }));
    expect(plain.windows.every((w) => w.regimes === null)).toBe(true);
    const classified = await run(experiment({ mode: 'rolling', train: '2y', test: '1y' }, { regimes: { vol: { source: 'realized', lookback: 20 } } }));
    // Classification changes no decision: the same choices and test digests.
    expect(classified.windows.map((w) => w.testDigest)).toEqual(plain.windows.map((w) => w.testDigest));
    for (const w of classified.windows) {
      const bars = w.window.testEnd - w.window.testStart;
      const rows = w.regimes!;
      expect(rows.filter((r) => r.regime.startsWith('vol:')).reduce((n, r) => n + r.bars, 0)).toBe(bars);
      expect(rows.filter((r) => r.regime.startsWith('trend:')).reduce((n, r) => n + r.bars, 0)).toBe(bars);
      // Cold start in each window: the first 20 bars are unknown (20 daily returns need 21 closes).
      expect(rows.find((r) => r.regime === 'vol:unknown')!.bars).toBe(20);
    }
  });
});
