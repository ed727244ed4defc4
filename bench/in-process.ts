import { sliceBars, type BarSeries } from '../engine/bars.js';
import { runBacktest, type BacktestResult } from '../engine/backtest.js';
import { synthBars } from '../data/synth.js';
import { smaCross } from '../strategies/sma-cross.js';
import { floorSmaCross } from './floor.js';
import { floorSmaCrossFull } from './floor-full.js';
import { interleave, PRIMING, repetitionsFor, speedRatio, warmUp, type CaseTiming, type TimedCase } from './measure.js';

/** The strategy settings every in-process measurement uses (the CLI's defaults). */
export interface RunSettings {
  readonly fast: number;
  readonly slow: number;
  readonly initialCapital: number;
  /** Percent commission as a fraction; 0 = the engine's default zero costs. */
  readonly commissionRate: number;
}

/** Seed and bar length of the synthetic series of the big measurements. */
export const SYNTH = Object.freeze({ seed: 42, intervalMs: 60_000, symbol: 'SYN' });

/** `count` synthetic minute bars (`synthBars`, {@link SYNTH}); the same every time. */
export function syntheticBars(count: number): BarSeries {
  return synthBars({ bars: count, ...SYNTH });
}

/** The figures both sides must agree on before a ratio is printed. */
export interface Outcome {
  readonly closedTrades: number;
  readonly openTrades: number;
  readonly finalEquity: number;
  readonly maxDrawdownPct: number;
  /** The run's digest (engine runs and the same-output floor). */
  readonly digest?: string;
}

/** What the engine keeps beyond its streamed metrics and digest (`runBacktest`'s options). */
export interface EngineOutput {
  readonly keepSeries: boolean;
  readonly keepEvents: boolean;
}

/** The engine cases and what each keeps. */
export const ENGINE_OUTPUT = Object.freeze({
  /** Metrics and digest only: what grids use. */
  engineLean: { keepSeries: false, keepEvents: false },
  /** Plus the event log: what `replaylab backtest --json` runs. */
  engineEvents: { keepSeries: false, keepEvents: true },
  /** `runBacktest`'s defaults: event log and per-step series. */
  engineFull: { keepSeries: true, keepEvents: true },
} satisfies Record<string, EngineOutput>);

/** Case keys, in the order they run in round 0. */
export const CASES = ['engineLean', 'engineEvents', 'engineFull', 'floorStream', 'floorFull', 'floorSeries'] as const;
export type CaseKey = (typeof CASES)[number];

/** What each case does, for the printed legend. */
export const CASE_LEGEND: Readonly<Record<CaseKey, string>> = {
  engineLean: 'engine lean   keepSeries: false, keepEvents: false — metrics + sha256 digest streamed, nothing kept per bar or per order',
  engineEvents: 'engine events keepSeries: false, keepEvents: true  — plus the event log (what `replaylab backtest --json` runs)',
  engineFull: 'engine full   keepSeries: true,  keepEvents: true  — runBacktest defaults: plus time/equity/exposure/costs columns',
  floorStream: 'floor         trades only — plain loop: trades, equity folded into peak/drawdown/sum/exposure, no per-bar arrays (the strictest speed limit)',
  floorFull: 'floor full    same outputs as engine lean — the same plain loop plus every metric (daily returns, drawdown durations …), trade records and the sha256 digest',
  floorSeries: 'floor + curve trades only, equity also written into a fresh Float64Array(bars) per run',
};

/** The result of one in-process comparison. */
export interface InProcessResult {
  readonly bars: number;
  /** Runs per timed sample (the small file is repeated so samples last long enough). */
  readonly repetitions: Readonly<Record<CaseKey, number>>;
  readonly timings: Readonly<Record<CaseKey, CaseTiming>>;
  /** Speed ratios, engine ÷ floor (1 = as fast as the floor). */
  readonly ratios: {
    /** Like with like: the same outputs (trades, metrics, digest), nothing kept per bar. The aim is >= 0.5. */
    readonly leanVsFloorFull: ReturnType<typeof speedRatio>;
    /** Against the trades-only floor (the strictest speed limit: it skips the metrics and the digest). */
    readonly leanVsFloor: ReturnType<typeof speedRatio>;
    /** The CLI's mode against the trades-only floor. */
    readonly eventsVsFloor: ReturnType<typeof speedRatio>;
    /** Both keep the equity curve (the engine four columns and the events, the floor one column). */
    readonly fullVsFloorCurve: ReturnType<typeof speedRatio>;
    /** The engine's default mode against the leanest floor. */
    readonly fullVsFloor: ReturnType<typeof speedRatio>;
  };
  /** What both sides computed (checked equal on every run). */
  readonly outcome: Outcome;
  /** The digest: every engine output mode's and the same-output floor's (checked equal on every run). */
  readonly digest: string;
}

/** Runs `sma-cross` through `runBacktest` once (full broker, portfolio, metrics, digest). */
export function backtestOnce(bars: BarSeries, settings: RunSettings, output: EngineOutput): BacktestResult {
  return runBacktest({
    data: bars,
    strategy: smaCross,
    params: { fast: settings.fast, slow: settings.slow, longOnly: true },
    options: { initialCapital: settings.initialCapital, costs: settings.commissionRate > 0 ? { commissionRate: settings.commissionRate } : {} },
    keepSeries: output.keepSeries,
    keepEvents: output.keepEvents,
  });
}

/** Runs the engine once; its outcome and digest. */
export function runEngine(bars: BarSeries, settings: RunSettings, output: EngineOutput): Outcome & { digest: string } {
  const r = backtestOnce(bars, settings, output);
  const m = r.metrics;
  return { closedTrades: m.tradesClosed, openTrades: m.tradesOpen, finalEquity: m.finalEquity, maxDrawdownPct: m.maxDrawdownPct, digest: r.digest };
}

/** Runs the floor once. */
export function runFloor(bars: BarSeries, settings: RunSettings, keepEquity: boolean): Outcome {
  const r = floorSmaCross({ open: bars.open, close: bars.close, fast: settings.fast, slow: settings.slow, initialCapital: settings.initialCapital, commissionRate: settings.commissionRate, keepEquity });
  return { closedTrades: r.closedTrades, openTrades: r.openTrades, finalEquity: r.finalEquity, maxDrawdownPct: r.maxDrawdownPct };
}

/** Runs the same-output floor once (what engine lean returns: trades, metrics, digest). */
export function runFloorFull(bars: BarSeries, settings: RunSettings): Outcome & { digest: string } {
  const r = floorSmaCrossFull({
    open: bars.open,
    close: bars.close,
    timeMs: bars.timeMs,
    symbol: bars.symbol,
    fast: settings.fast,
    slow: settings.slow,
    initialCapital: settings.initialCapital,
    commissionRate: settings.commissionRate,
  });
  const m = r.metrics;
  return { closedTrades: m.tradesClosed, openTrades: m.tradesOpen, finalEquity: m.finalEquity, maxDrawdownPct: m.maxDrawdownPct, digest: r.digest };
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
 * Checks that the engine (every output mode) and both floors compute the same trades, equity and
 * drawdown on `bars` with `settings`, and that the same-output floor's digest is the engine's;
 * returns the shared outcome and the digest. Throws on any difference.
 */
export function verifyParity(label: string, bars: BarSeries, settings: RunSettings): { outcome: Outcome; digest: string } {
  const floor = runFloor(bars, settings, false);
  assertSameOutcome(`${label} floor with equity column`, floor, runFloor(bars, settings, true));
  const full = runFloorFull(bars, settings);
  assertSameOutcome(`${label} floor full`, floor, full);
  for (const [name, output] of Object.entries(ENGINE_OUTPUT)) {
    const engine = runEngine(bars, settings, output);
    assertSameOutcome(`${label} ${name}`, floor, engine);
    if (engine.digest !== full.digest) throw new Error(`${label}: ${name} digest ${engine.digest} differs from the same-output floor's ${full.digest}`);
  }
  return { outcome: floor, digest: full.digest };
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

/**
 * Times the six cases interleaved on `bars`; see {@link CASE_LEGEND}. Every run (warm-up included,
 * at least one warm-up round) must match the floor's outcome exactly, and every engine run and
 * every same-output floor run must give the same digest, or this throws.
 */
export function compareEngineAndFloor(label: string, bars: BarSeries, options: CompareOptions): InProcessResult {
  const { settings } = options;
  const outcome = runFloor(bars, settings, false);
  // The same-output floor's digest: every engine run must reproduce it.
  const digest = runFloorFull(bars, settings).digest;
  const check = (name: string, result: Outcome): void => {
    assertSameOutcome(`${label} ${name}`, outcome, { ...result, digest: undefined });
    if (result.digest !== undefined && result.digest !== digest) {
      throw new Error(`${label} ${name}: digest ${result.digest} differs from the same-output floor's ${digest}`);
    }
  };
  const runsOn = (data: BarSeries): Record<CaseKey, () => Outcome> => ({
    engineLean: () => runEngine(data, settings, ENGINE_OUTPUT.engineLean),
    engineEvents: () => runEngine(data, settings, ENGINE_OUTPUT.engineEvents),
    engineFull: () => runEngine(data, settings, ENGINE_OUTPUT.engineFull),
    floorStream: () => runFloor(data, settings, false),
    floorFull: () => runFloorFull(data, settings),
    floorSeries: () => runFloor(data, settings, true),
  });
  const runs = runsOn(bars);
  // One run per sample (big inputs): prime each case on the first bars right before its sample (see floor.ts).
  const primers = options.targetSampleSeconds > 0 ? undefined : runsOn(sliceBars(bars, 0, PRIMING.bars));
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
    const primer = primers?.[key];
    return {
      name: key,
      units: bars.length * reps,
      prepare: primer === undefined ? undefined : () => {
        warmUp(primer, PRIMING.seconds, PRIMING.runs);
      },
      run: () => {
        let last = once();
        for (let i = 1; i < reps; i++) last = once();
        return last;
      },
    };
  });
  const list = interleave(cases, {
    warmup: Math.max(1, options.warmup),
    rounds: options.rounds,
    check,
    progress: options.progress,
    // Repeated runs: the steady state of back-to-back runs (as in a grid); single big runs: a clean heap each.
    collectBeforeSample: options.targetSampleSeconds <= 0,
  });
  const timings = Object.fromEntries(CASES.map((key, i) => [key, list[i]!])) as Record<CaseKey, CaseTiming>;
  return {
    bars: bars.length,
    repetitions,
    timings,
    ratios: {
      leanVsFloorFull: speedRatio(timings.engineLean, timings.floorFull),
      leanVsFloor: speedRatio(timings.engineLean, timings.floorStream),
      eventsVsFloor: speedRatio(timings.engineEvents, timings.floorStream),
      fullVsFloorCurve: speedRatio(timings.engineFull, timings.floorSeries),
      fullVsFloor: speedRatio(timings.engineFull, timings.floorStream),
    },
    outcome,
    digest,
  };
}
