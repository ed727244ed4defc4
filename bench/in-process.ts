import type { BarSeries } from '../engine/bars.js';
import { runBacktest } from '../engine/backtest.js';
import { smaCross } from '../strategies/sma-cross.js';
import { floorSmaCross } from './floor.js';
import { interleave, repetitionsFor, speedRatio, warmUp, type CaseTiming, type TimedCase } from './measure.js';

/** The strategy settings every in-process measurement uses (the CLI's defaults). */
export interface RunSettings {
  readonly fast: number;
  readonly slow: number;
  readonly initialCapital: number;
  /** Percent commission as a fraction; 0 = the engine's default zero costs. */
  readonly commissionRate: number;
}

/** The figures both sides must agree on before a ratio is printed. */
export interface Outcome {
  readonly closedTrades: number;
  readonly openTrades: number;
  readonly finalEquity: number;
  readonly maxDrawdownPct: number;
}

/** Case keys, in the order they run in round 0. */
export const CASES = ['engineStream', 'engineSeries', 'floorStream', 'floorSeries'] as const;
export type CaseKey = (typeof CASES)[number];

/** What each case does, for the printed legend. */
export const CASE_LEGEND: Readonly<Record<CaseKey, string>> = {
  engineStream: 'engine, keepSeries: false — runBacktest streams metrics + sha256 digest, no per-bar arrays',
  engineSeries: 'engine, keepSeries: true  — also keeps time/equity/exposure/costs columns (+ grossEquity at the end)',
  floorStream: 'floor, running figures    — plain loop, equity folded into peak/drawdown/sum/exposure, no per-bar arrays',
  floorSeries: 'floor, + equity column    — the same plus equity written into a fresh Float64Array(bars) per run',
};

/** The result of one in-process comparison. */
export interface InProcessResult {
  readonly bars: number;
  /** Runs per timed sample (the small file is repeated so samples last long enough). */
  readonly repetitions: Readonly<Record<CaseKey, number>>;
  readonly timings: Readonly<Record<CaseKey, CaseTiming>>;
  /** Speed ratios, engine ÷ floor (1 = as fast as the floor). */
  readonly ratios: {
    /** Like with like: neither keeps per-bar arrays. The aim is >= 0.5. */
    readonly streamVsStream: ReturnType<typeof speedRatio>;
    /** Like with like: both keep the equity curve (the engine keeps four columns, the floor one). */
    readonly seriesVsSeries: ReturnType<typeof speedRatio>;
    /** The engine's default mode against the leanest floor. */
    readonly seriesVsStream: ReturnType<typeof speedRatio>;
  };
  /** What both sides computed (checked equal on every run). */
  readonly outcome: Outcome;
  /** The engine's digest (identical with and without kept series; checked). */
  readonly digest: string;
}

/** Runs the engine once; its outcome and digest. */
export function runEngine(bars: BarSeries, settings: RunSettings, keepSeries: boolean): Outcome & { digest: string } {
  const r = runBacktest({
    data: bars,
    strategy: smaCross,
    params: { fast: settings.fast, slow: settings.slow, longOnly: true },
    options: { initialCapital: settings.initialCapital, costs: settings.commissionRate > 0 ? { commissionRate: settings.commissionRate } : {} },
    keepSeries,
  });
  const m = r.metrics;
  return { closedTrades: m.tradesClosed, openTrades: m.tradesOpen, finalEquity: m.finalEquity, maxDrawdownPct: m.maxDrawdownPct, digest: r.digest };
}

/** Runs the floor once. */
export function runFloor(bars: BarSeries, settings: RunSettings, keepEquity: boolean): Outcome {
  const r = floorSmaCross({ open: bars.open, close: bars.close, fast: settings.fast, slow: settings.slow, initialCapital: settings.initialCapital, commissionRate: settings.commissionRate, keepEquity });
  return { closedTrades: r.closedTrades, openTrades: r.openTrades, finalEquity: r.finalEquity, maxDrawdownPct: r.maxDrawdownPct };
}

/** Throws unless `actual` equals `expected` exactly (final equity bit for bit). */
export function assertSameOutcome(label: string, expected: Outcome, actual: Outcome): void {
  const same =
    actual.closedTrades === expected.closedTrades &&
    actual.openTrades === expected.openTrades &&
    Object.is(actual.finalEquity, expected.finalEquity) &&
    Object.is(actual.maxDrawdownPct, expected.maxDrawdownPct);
  if (!same) {
    throw new Error(`${label}: engine and floor disagree, so no ratio is meaningful — expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/**
 * Checks that engine (both modes) and floor compute the same trades, equity and drawdown on `bars`
 * with `settings`; returns the shared outcome and the engine's digest. Throws on any difference.
 */
export function verifyParity(label: string, bars: BarSeries, settings: RunSettings): { outcome: Outcome; digest: string } {
  const floor = runFloor(bars, settings, false);
  const floorKept = runFloor(bars, settings, true);
  const stream = runEngine(bars, settings, false);
  const series = runEngine(bars, settings, true);
  assertSameOutcome(`${label} floor with equity column`, floor, floorKept);
  assertSameOutcome(`${label} engine keepSeries: false`, floor, stream);
  assertSameOutcome(`${label} engine keepSeries: true`, floor, series);
  if (stream.digest !== series.digest) throw new Error(`${label}: digest differs with keepSeries (${stream.digest} vs ${series.digest})`);
  return { outcome: floor, digest: stream.digest };
}

/** Options for {@link compareEngineAndFloor}. */
export interface CompareOptions {
  readonly settings: RunSettings;
  readonly rounds: number;
  readonly warmup: number;
  /** Repeat each run within a sample until the sample lasts about this long (0: one run per sample). */
  readonly targetSampleSeconds: number;
  /** With repeated runs: first call each case for at least this long and 30 times (JIT warm-up). */
  readonly warmUpSeconds?: number;
  readonly progress?: (round: number, name: string) => void;
}

/** Times the four cases interleaved on `bars` after checking parity; see {@link CASE_LEGEND}. */
export function compareEngineAndFloor(label: string, bars: BarSeries, options: CompareOptions): InProcessResult {
  const { settings } = options;
  const { outcome, digest } = verifyParity(label, bars, settings);
  const runs: Record<CaseKey, () => Outcome> = {
    engineStream: () => runEngine(bars, settings, false),
    engineSeries: () => runEngine(bars, settings, true),
    floorStream: () => runFloor(bars, settings, false),
    floorSeries: () => runFloor(bars, settings, true),
  };
  const repetitions = {} as Record<CaseKey, number>;
  for (const key of CASES) {
    if (options.targetSampleSeconds <= 0) {
      repetitions[key] = 1;
      continue;
    }
    options.progress?.(-1, key);
    warmUp(runs[key], options.warmUpSeconds ?? 0.5, 30);
    repetitions[key] = repetitionsFor(runs[key], options.targetSampleSeconds);
  }
  const cases: TimedCase<Outcome>[] = CASES.map((key) => {
    const once = runs[key];
    const reps = repetitions[key];
    return {
      name: key,
      units: bars.length * reps,
      run: () => {
        let last = once();
        for (let i = 1; i < reps; i++) last = once();
        return last;
      },
    };
  });
  const list = interleave(cases, {
    warmup: options.warmup,
    rounds: options.rounds,
    check: (name, result) => assertSameOutcome(`${label} ${name}`, outcome, result),
    progress: options.progress,
  });
  const timings = Object.fromEntries(CASES.map((key, i) => [key, list[i]!])) as Record<CaseKey, CaseTiming>;
  return {
    bars: bars.length,
    repetitions,
    timings,
    ratios: {
      streamVsStream: speedRatio(timings.engineStream, timings.floorStream),
      seriesVsSeries: speedRatio(timings.engineSeries, timings.floorSeries),
      seriesVsStream: speedRatio(timings.engineSeries, timings.floorStream),
    },
    outcome,
    digest,
  };
}
