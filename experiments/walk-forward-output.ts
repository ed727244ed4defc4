import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveEngineConfig } from '../engine/engine-config.js';
import { isoTime, tradeJson, type TradeJson } from './run-json.js';
import type { WalkForwardResult, WalkForwardWindowResult } from './walk-forward.js';

/** Version of the `walk-forward --json` / `walk-forward.json` shape; bumped on any incompatible change. */
export const WALK_FORWARD_JSON_VERSION = 1;

/** The files `walk-forward --out DIR` writes. */
export const WALK_FORWARD_FILES = Object.freeze({
  summary: 'walk-forward.json',
  equity: 'oos-equity.arrow',
  trades: 'oos-trades.csv',
});

/**
 * sha256 of the walk-forward's outcome: a version tag, the stitched out-of-sample equity as
 * little-endian float64 bytes, then one line per window (index, chosen cell or `-`, test run
 * digest or `-`; the test digests cover every trade). Same inputs ⇒ same digest, whatever the
 * worker count.
 */
export function walkForwardDigest(result: WalkForwardResult): string {
  const hash = createHash('sha256').update(`replaylab-walk-forward-v${WALK_FORWARD_JSON_VERSION}\n`);
  const equity = result.outOfSample.equity;
  const bytes = new DataView(new ArrayBuffer(8 * equity.length));
  equity.forEach((value, i) => bytes.setFloat64(8 * i, value, true));
  hash.update(new Uint8Array(bytes.buffer));
  for (const w of result.windows) hash.update(`${w.window.index} ${w.chosen?.cell ?? '-'} ${w.testDigest ?? '-'}\n`);
  return hash.digest('hex');
}

function span(fromMs: number, toMs: number, start: number, end: number) {
  return { from: isoTime(fromMs), to: isoTime(toMs), bars: end - start, start, end };
}

function windowJson(w: WalkForwardWindowResult) {
  const { window } = w;
  return {
    index: window.index,
    partial: window.partial,
    train: span(w.trainFromMs, w.trainToMs, window.trainStart, window.trainEnd),
    test: span(w.testFromMs, w.testToMs, window.testStart, window.testEnd),
    passed: w.passed,
    chosen: w.chosen,
    inSample: w.inSample,
    outOfSample: w.outOfSample,
    efficiency: w.efficiency,
    startEquity: w.startEquity,
    finalEquity: w.finalEquity,
    testDigest: w.testDigest,
    ...(w.regimes === null ? {} : { regimes: w.regimes }),
  };
}

/**
 * The stable JSON document of a walk-forward (`walk-forward --json`, `walk-forward.json`):
 * the experiment, the walk-forward settings, the data, per window the train and test spans (ISO
 * times of the first and last bar, bar count, timeline index range `[start, end)`), the chosen cell,
 * its in-sample metrics, the out-of-sample metrics and the efficiency; then the stitched
 * out-of-sample metrics and the overall efficiency, and the {@link walkForwardDigest}.
 */
export function walkForwardJson(result: WalkForwardResult) {
  const { experiment, spec, outOfSample: oos } = result;
  const first = result.windows[0]!;
  const last = result.windows.at(-1)!;
  return {
    version: WALK_FORWARD_JSON_VERSION,
    experiment: experiment.name,
    strategy: experiment.strategy,
    fixedParams: experiment.fixedParams,
    swept: Object.keys(experiment.sweep),
    cells: result.cells,
    walkForward: { mode: spec.mode, train: spec.train, test: spec.test, step: spec.step ?? spec.test },
    /** Test runs start without warm-up: indicators warm up inside each test window. */
    testStart: 'cold',
    ranking: experiment.ranking,
    filters: experiment.filters,
    capital: resolveEngineConfig(experiment.options).initialCapital,
    data: result.data.map((d) => ({
      file: d.file,
      symbol: d.bars.symbol,
      bars: d.bars.length,
      from: d.bars.length > 0 ? isoTime(d.bars.timeMs[0]!) : null,
      to: d.bars.length > 0 ? isoTime(d.bars.timeMs[d.bars.length - 1]!) : null,
    })),
    windows: result.windows.map(windowJson),
    outOfSample: {
      from: isoTime(first.testFromMs),
      to: isoTime(last.testToMs),
      bars: oos.timeMs.length,
      startEquity: first.startEquity,
      finalEquity: oos.metrics.finalEquity,
      metrics: oos.metrics,
      meanInSampleCagrPct: oos.meanInSampleCagrPct,
      efficiency: oos.efficiency,
    },
    digest: walkForwardDigest(result),
  };
}

const TRADE_COLUMNS = ['symbol', 'side', 'qty', 'entryTime', 'exitTime', 'entryPrice', 'exitPrice', 'pnl', 'grossPnl', 'fees', 'slippage', 'entryTag', 'exitTag', 'open'] as const satisfies readonly (keyof TradeJson)[];

/** Every out-of-sample trade as CSV: `window`, then the columns of `trades.csv` of a run. */
export function oosTradesCsv(result: WalkForwardResult): string {
  const rows = result.outOfSample.trades.map(({ window, trade }) => {
    const json = tradeJson(trade);
    return [String(window), ...TRADE_COLUMNS.map((c) => csvCell(json[c]))].join(',');
  });
  return `window,${TRADE_COLUMNS.join(',')}\n${rows.map((r) => `${r}\n`).join('')}`;
}

function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Writes `dir` (created if needed): `walk-forward.json` ({@link walkForwardJson}),
 * `oos-equity.arrow` (`time` UTC ms timestamp, `equity`, `window` — one row per out-of-sample bar)
 * and `oos-trades.csv` ({@link oosTradesCsv}).
 */
export async function writeWalkForwardDir(dir: string, result: WalkForwardResult): Promise<void> {
  const { writeArrowColumns } = await import('../data/arrow.js');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, WALK_FORWARD_FILES.summary), `${JSON.stringify(walkForwardJson(result), null, 2)}\n`);
  const oos = result.outOfSample;
  writeArrowColumns(join(dir, WALK_FORWARD_FILES.equity), { time: { kind: 'timestamp-ms', values: oos.timeMs }, equity: oos.equity, window: oos.window });
  writeFileSync(join(dir, WALK_FORWARD_FILES.trades), oosTradesCsv(result));
}
