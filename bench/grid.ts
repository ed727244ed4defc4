import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { floorCellsFull } from './grid-floor.js';
import { benchLargeGrid, type LargeGridFigures } from './grid-large.js';
import { measureGridMemory, type GridMemoryFigures } from './grid-memory.js';
import { sp500GridSetup, syntheticGridSetup, SP500_EXPERIMENT, SYNTH_GRID, type GridSetup } from './grid-setup.js';
import { barEvaluations, floorCase, GRID_FLOORS, interleaveAsync, poolCase, poolShape, runGridCase, runPass, setupPool, type AsyncCase, type GridChecks, type GridFloorKind } from './grid-timing.js';
import { repetitionsFor, speedRatio, warmUp, type CaseTiming } from './measure.js';

/**
 * The bench's `grid` part: cells/s and bar evaluations/s of grid runs with 1 and N worker threads
 * (N = `os.availableParallelism()`), on (a) the bundled 90-cell S&P 500 experiment and (b) a grid
 * over millions of synthetic minute bars, and (c) whole `runGrid` runs of the large bundled
 * experiment (`grid-large.ts`); the scaling efficiency; the per-core floors (on one
 * thread, over the same cells: `floor.ts`'s trades-only loop, the strictest limit, and
 * `floor-full.ts`'s same-output loop, which yields per cell what a worker does — metrics, digest,
 * daily returns); peak memory with 1, N, 2N and 4N workers (bars shared once).
 * All timings interleaved, medians over rounds; every cell of every run checked against the
 * same-output floor (trades, every metric column, digest, daily returns), so the digests are also
 * equal across worker counts.
 */

/** Options for {@link benchGrid}. */
export interface GridBenchOptions {
  readonly repoRoot: string;
  /** Folder of the compiled bench (holds `grid-memory-child.js`). */
  readonly benchDir: string;
  /** Bars of the synthetic grid (the figure is 2,000,000). */
  readonly syntheticBars: number;
  readonly sp500Rounds: number;
  readonly syntheticRounds: number;
  /** Rounds of whole runs of the large experiment (e3); 0 leaves it out. */
  readonly largeRounds: number;
  /** Aimed length of a warm sample of the S&P grid (it repeats whole passes), seconds. */
  readonly sampleSeconds: number;
  readonly progress?: ((round: number, name: string) => void) | undefined;
  readonly note?: ((text: string) => void) | undefined;
}

/** A speed figure over rounds. `perSecond` figures are bar evaluations (cells × bars) per second. */
export interface Rate {
  readonly passesPerSample: number;
  /** Seconds of each sample, in round order. */
  readonly seconds: readonly number[];
  readonly medianSecondsPerPass: number;
  readonly barEvaluationsPerSecond: readonly number[];
  readonly medianBarEvaluationsPerSecond: number;
  readonly medianCellsPerSecond: number;
}

/** One worker count's figures. */
export interface WorkerFigures {
  readonly workers: number;
  /** Cells in the largest of the pass's (guided) batches. */
  readonly largestBatch: number;
  /** A fresh pool: start-up plus one pass. */
  readonly withStartup: Rate;
  /** Passes on a running pool. */
  readonly warm: Rate;
  /** `withStartup` − `warm` per pass (medians): what starting the pool costs, seconds. */
  readonly startupSeconds: number;
  /** Whole `runGrid` runs (results files, ranking, overfitting statistics), S&P grid only. */
  readonly runGrid: Rate | undefined;
}

/** Ratio figures: of the medians, and the median of per-round ratios (paired). */
export type Ratio = ReturnType<typeof speedRatio>;

/** One grid's figures. */
export interface GridFigures {
  readonly label: string;
  readonly source: string;
  readonly cells: number;
  readonly bars: number;
  readonly barEvaluationsPerPass: number;
  readonly sharedBytes: number;
  readonly rounds: number;
  readonly oneWorker: WorkerFigures;
  /** With N workers; undefined when N is 1. */
  readonly nWorkers: WorkerFigures | undefined;
  /** The trades-only floor on the main thread: one core. */
  readonly floor: Rate;
  /** The same-output floor (metrics, digest, daily returns per cell) on the main thread: one core. */
  readonly floorFull: Rate;
  /**
   * N-worker speed ÷ (N × 1-worker speed); aim ≥ 0.8. `warmByRound`: each round's warm figure (the
   * spread shows how much competing load moved it). Undefined when N is 1.
   */
  readonly scalingEfficiency:
    | { readonly warm: Ratio; readonly warmByRound: readonly number[]; readonly withStartup: Ratio; readonly runGrid: Ratio | undefined }
    | undefined;
  /**
   * Grid speed per core ÷ same-output floor speed per core: like with like; aim ≥ 0.5. `nWorkers`
   * is the N-worker speed ÷ N.
   */
  readonly perCoreVsFloorFull: { readonly oneWorker: Ratio; readonly nWorkers: Ratio | undefined };
  /** The same against the trades-only floor (the strictest limit; no aim of its own). */
  readonly perCoreVsFloor: { readonly oneWorker: Ratio; readonly nWorkers: Ratio | undefined };
}

/** Peak memory of the synthetic grid by worker count, and what it says about copies of the bars. */
export interface GridMemory {
  readonly sharedBytes: number;
  readonly runs: readonly Omit<GridMemoryFigures, 'digests'>[];
  /**
   * Least-squares slope of peak RSS over the worker count, bytes per worker, and that in copies of
   * the bars (1 or more would mean each worker holds its own copy).
   */
  readonly rssPeakPerWorker: number;
  readonly rssPeakPerWorkerInBarCopies: number;
  /** Against the 1-worker run: peak RSS growth with more workers, per extra worker, and in bar-data copies. */
  readonly growth: readonly {
    readonly workers: number;
    readonly rssPeakGrowth: number;
    readonly perExtraWorker: number;
    /** `rssPeakGrowth ÷ ((workers − 1) × sharedBytes)`: 1 would mean a copy of the bars per worker. */
    readonly dataCopiesPerExtraWorker: number;
  }[];
}

/** Everything {@link benchGrid} measured. */
export interface GridBenchResult {
  /** N: `os.availableParallelism()`. */
  readonly workers: number;
  readonly cpus: number;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
  readonly seconds: number;
  readonly sp500: GridFigures;
  readonly synthetic: GridFigures & { readonly seed: number; readonly memory: GridMemory };
  /** Whole runs of the large bundled experiment; undefined when left out. */
  readonly large: LargeGridFigures | undefined;
}

/** The aim for scaling efficiency (N-worker speed ÷ (N × 1-worker speed)). */
export const SCALING_AIM = 0.8;
/** The aim for grid speed per core ÷ the same-output plain loop's speed per core. */
export const PER_CORE_AIM = 0.5;

/** Runs the whole grid part. Throws when a grid run disagrees with the floor or between worker counts. */
export async function benchGrid(options: GridBenchOptions): Promise<GridBenchResult> {
  const t0 = performance.now();
  const loadAverageStart = loadavg();
  const n = availableParallelism();
  const counts = n > 1 ? [1, n] : [1];
  const note = options.note ?? (() => undefined);

  const sp500 = await benchSp500(options, counts);
  const { synthetic, digests } = await benchSynthetic(options, counts);

  // More workers than cores too (memory only): the slope over several counts is steadier than one difference.
  const memoryCounts = [...new Set([1, n, 2 * n, 4 * n])];
  const runs: GridMemoryFigures[] = [];
  for (const workers of memoryCounts) {
    note(`grid (b): peak memory with ${workers} worker${workers === 1 ? '' : 's'} (fresh process: generate, share, one pass under the RSS sampler)`);
    const run = measureGridMemory(join(options.benchDir, 'grid-memory-child.js'), workers, options.syntheticBars);
    run.digests.forEach((d, i) => {
      if (d !== digests[i]) throw new Error(`grid memory run with ${workers} workers: cell ${i} digest ${d} differs from the timed runs' ${digests[i]}`);
    });
    runs.push(run);
  }

  // Last: its runs leave the main thread a large heap that would weigh on the timed pool passes.
  let large: LargeGridFigures | undefined;
  if (options.largeRounds > 0) {
    note(`grid (c): whole runGrid runs of the large bundled experiment, ${options.largeRounds} rounds`);
    large = await benchLargeGrid({ repoRoot: options.repoRoot, counts, rounds: options.largeRounds, progress: options.progress });
  }

  return {
    workers: n,
    cpus: cpus().length,
    loadAverageStart,
    loadAverageEnd: loadavg(),
    seconds: (performance.now() - t0) / 1000,
    sp500,
    synthetic: { ...synthetic, seed: SYNTH_GRID.seed, memory: memoryOf(runs) },
    large,
  };
}

/** (a) The bundled S&P 500 experiment: pool passes, the floor and whole `runGrid` runs, interleaved. */
async function benchSp500(options: GridBenchOptions, counts: readonly number[]): Promise<GridFigures> {
  options.note?.(`grid (a): ${SP500_EXPERIMENT}, calibrating`);
  const { setup, experimentFile, baseDir } = await sp500GridSetup(options.repoRoot);
  const checks = checksFor(setup);
  const warm = await calibrateWarmPasses(setup, options.sampleSeconds);
  const floor = floorPasses(setup, options.sampleSeconds, 'floor');
  const floorFull = floorPasses(setup, options.sampleSeconds, 'floorFull');
  const cases: AsyncCase[] = [
    ...counts.map((w) => poolCase(setup, w, warm, checks)),
    // Primed too: the forced GC before each sample can drop the main thread's optimized floor code
    // ("weak objects"), and the same-output loop takes ~30–40 ms to recompile — a large part of a sample.
    floorCase(setup, floor, true, checks, 'floor'),
    floorCase(setup, floorFull, true, checks, 'floorFull'),
    ...counts.map((w) => runGridCase(setup, experimentFile, baseDir, w, checks)),
  ];
  const timings = await interleaveAsync(cases, { rounds: options.sp500Rounds, warmup: 1, progress: options.progress });
  return figures(setup, SP500_EXPERIMENT, counts, timings, { warm, floor, floorFull }, options.sp500Rounds);
}

/**
 * (b) The synthetic grid: pool passes and the floor (primed), interleaved, one pass per sample.
 * Returns the figures and each cell's digest (the memory runs must reproduce them); the bars are
 * garbage once this returns.
 */
async function benchSynthetic(options: GridBenchOptions, counts: readonly number[]): Promise<{ readonly synthetic: GridFigures; readonly digests: readonly (string | undefined)[] }> {
  options.note?.(`grid (b): generating ${options.syntheticBars} synthetic minute bars (synthBars, seed ${SYNTH_GRID.seed}) and sharing them`);
  const setup = syntheticGridSetup(options.syntheticBars);
  const checks = checksFor(setup);
  options.note?.(`grid (b): ${setup.cellIndexes.length} cells × ${setup.bars.length} bars, ${options.syntheticRounds} rounds`);
  const cases: AsyncCase[] = [
    ...counts.map((w) => poolCase(setup, w, 1, checks)),
    floorCase(setup, 1, true, checks, 'floor'),
    floorCase(setup, 1, true, checks, 'floorFull'),
  ];
  const timings = await interleaveAsync(cases, { rounds: options.syntheticRounds, warmup: 0, progress: options.progress });
  const source = `synthBars, ${options.syntheticBars} minute bars, seed ${SYNTH_GRID.seed}`;
  return { synthetic: figures(setup, source, counts, timings, { warm: 1, floor: 1, floorFull: 1 }, options.syntheticRounds), digests: checks.digests };
}

/** The same-output floor's outcome per cell (what every grid run must match) and an empty digest record. */
function checksFor(setup: GridSetup): GridChecks {
  return { expected: floorCellsFull(setup), digests: setup.cellIndexes.map(() => undefined) };
}

/** Warm passes per sample so a 1-worker sample lasts about `targetSeconds` (from a throwaway pool). */
async function calibrateWarmPasses(setup: GridSetup, targetSeconds: number): Promise<number> {
  const pool = setupPool(setup, 1);
  try {
    for (let i = 0; i < 3; i++) await runPass(pool, setup);
    const t0 = performance.now();
    await runPass(pool, setup);
    const pass = (performance.now() - t0) / 1000;
    return Math.max(1, Math.min(100, Math.ceil(targetSeconds / pass)));
  } finally {
    await pool.destroy();
  }
}

/** Passes of floor `kind` per sample for about `targetSeconds`, after warming the loop up. */
function floorPasses(setup: GridSetup, targetSeconds: number, kind: GridFloorKind): number {
  const floor = GRID_FLOORS[kind];
  const pass = (): unknown => floor(setup);
  warmUp(pass, 0.3, 30);
  return repetitionsFor(pass, targetSeconds);
}

function rate(timing: CaseTiming | undefined, passes: number, bars: number, label: string): Rate {
  if (timing === undefined) throw new Error(`grid bench: no timing for ${label}`);
  return {
    passesPerSample: passes,
    seconds: timing.seconds,
    medianSecondsPerPass: timing.medianSeconds / passes,
    barEvaluationsPerSecond: timing.perSecond,
    medianBarEvaluationsPerSecond: timing.medianPerSecond,
    medianCellsPerSecond: timing.medianPerSecond / bars,
  };
}

function scaled(r: Ratio, by: number): Ratio {
  return { ofMedians: r.ofMedians / by, pairedMedian: r.pairedMedian / by };
}

function figures(
  setup: GridSetup,
  source: string,
  counts: readonly number[],
  timings: ReadonlyMap<string, CaseTiming>,
  passes: { readonly warm: number; readonly floor: number; readonly floorFull: number },
  rounds: number,
): GridFigures {
  const bars = setup.bars.length;
  const byCount = counts.map((workers): WorkerFigures => {
    const withStartup = rate(timings.get(`cold-${workers}`), 1, bars, `cold-${workers}`);
    const warm = rate(timings.get(`warm-${workers}`), passes.warm, bars, `warm-${workers}`);
    const runGrid = timings.get(`runGrid-${workers}`);
    return {
      workers: poolShape(setup, workers).workers,
      largestBatch: poolShape(setup, workers).largestBatch,
      withStartup,
      warm,
      startupSeconds: withStartup.medianSecondsPerPass - warm.medianSecondsPerPass,
      runGrid: runGrid === undefined ? undefined : rate(runGrid, 1, bars, `runGrid-${workers}`),
    };
  });
  const one = byCount[0]!;
  const many = byCount[1];
  const floor = timings.get('floor')!;
  const floorFull = timings.get('floorFull')!;
  const t = (name: string): CaseTiming => timings.get(name)!;
  const efficiency =
    many === undefined
      ? undefined
      : {
          warm: scaled(speedRatio(t(`warm-${counts[1]}`), t('warm-1')), many.workers),
          warmByRound: t(`warm-${counts[1]}`).perSecond.map((x, i) => x / t('warm-1').perSecond[i]! / many.workers),
          withStartup: scaled(speedRatio(t(`cold-${counts[1]}`), t('cold-1')), many.workers),
          runGrid: timings.has('runGrid-1') ? scaled(speedRatio(t(`runGrid-${counts[1]}`), t('runGrid-1')), many.workers) : undefined,
        };
  return {
    label: setup.label,
    source,
    cells: setup.cellIndexes.length,
    bars,
    barEvaluationsPerPass: barEvaluations(setup),
    sharedBytes: setup.sharedBytes,
    rounds,
    oneWorker: one,
    nWorkers: many,
    floor: rate(floor, passes.floor, bars, 'floor'),
    floorFull: rate(floorFull, passes.floorFull, bars, 'floorFull'),
    scalingEfficiency: efficiency,
    perCoreVsFloorFull: {
      oneWorker: speedRatio(t('warm-1'), floorFull),
      nWorkers: many === undefined ? undefined : scaled(speedRatio(t(`warm-${counts[1]}`), floorFull), many.workers),
    },
    perCoreVsFloor: {
      oneWorker: speedRatio(t('warm-1'), floor),
      nWorkers: many === undefined ? undefined : scaled(speedRatio(t(`warm-${counts[1]}`), floor), many.workers),
    },
  };
}

function memoryOf(runs: readonly GridMemoryFigures[]): GridMemory {
  const one = runs.find((r) => r.poolWorkers === 1);
  const sharedBytes = runs[0]?.sharedBytes ?? 0;
  const slope = leastSquaresSlope(runs.map((r) => r.poolWorkers), runs.map((r) => r.rssPeak));
  return {
    sharedBytes,
    rssPeakPerWorker: slope,
    rssPeakPerWorkerInBarCopies: slope / sharedBytes,
    runs: runs.map(({ digests: _digests, ...rest }) => rest),
    growth: runs
      .filter((r) => one !== undefined && r.poolWorkers > 1)
      .map((r) => {
        const rssPeakGrowth = r.rssPeak - one!.rssPeak;
        const perExtraWorker = rssPeakGrowth / (r.poolWorkers - 1);
        return { workers: r.poolWorkers, rssPeakGrowth, perExtraWorker, dataCopiesPerExtraWorker: perExtraWorker / sharedBytes };
      }),
  };
}

/** Slope of the least-squares line through `(x[i], y[i])`; NaN with fewer than two distinct x. */
function leastSquaresSlope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxx === 0 ? Number.NaN : sxy / sxx;
}
