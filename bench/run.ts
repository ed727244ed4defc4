/**
 * `npm run bench`: the engine running `sma-cross` against plain-loop floors, in one process,
 * interleaved, on (a) the bundled S&P 500 file and (b) 10 million synthetic minute bars (with peak
 * memory), then (c) `replaylab backtest` end to end against a plain script on a 2-million-bar
 * minute CSV, (d) the data loader's CSV benchmark (`bench/csv-load.ts`) when present, and (e) grid
 * runs with 1 and N worker threads on the bundled 90-cell experiment and on 2 million synthetic
 * minute bars, against the floors per core, with peak memory (`bench/grid.ts`).
 *
 * Two floors, both one plain `Float64Array` loop making the engine's trades bit for bit:
 * - "trades only" (`floor.ts`): trades, final equity, drawdown depth, equity sum, exposure. It
 *   skips most of what the engine returns, so it is the strictest speed limit, not like with like.
 * - "same outputs" (`floor-full.ts`): everything the engine's lean run returns — the trade records,
 *   every metric (daily-return moments, drawdown durations in bars and days …) and the sha256
 *   digest, which it checks equal to the engine's. This is the comparison the project standard
 *   asks for ("a plain typed-array loop doing the same work"): the aims (`aim`, `meetsAim`) refer
 *   to engine lean ÷ this floor (`leanVsFloorFull`; the grid's `perCoreVsFloorFull`); the
 *   trades-only ratios are reported beside them.
 *
 * Prints a readable report and a final JSON line (`--json`: only the JSON). Measures; never fails
 * on a time — only on engine and floor disagreeing, since then a ratio would be meaningless.
 *
 *   node --expose-gc dist/bench/run.js [--json] [--quick] [--only sp500,synth,csv-load,e2e,grid]
 *        [--synth-bars N] [--e2e-bars N] [--grid-bars N] [--rounds N] [--keep-csv]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tuneV8 } from '../bin/tune-v8.js';
import { loadBars } from '../data/load.js';
import { endToEnd, type EndToEndResult } from './end-to-end.js';
import { benchGrid, PER_CORE_AIM, SCALING_AIM, type GridBenchResult, type GridFigures } from './grid.js';
import { printGrid } from './grid-report.js';
import { CASES, compareEngineAndFloor, SYNTH, syntheticBars, type CaseKey, type InProcessResult, type RunSettings } from './in-process.js';
import { machineInfo } from './machine.js';
import type { MemoryFigures } from './memory.js';
import { printCsvLoad, printEndToEnd, printHeader, printInProcess, printMemory } from './report.js';

const PARTS = ['sp500', 'synth', 'csv-load', 'e2e', 'grid'] as const;
type Part = (typeof PARTS)[number];

interface BenchArgs {
  readonly json: boolean;
  readonly quick: boolean;
  readonly only: ReadonlySet<Part>;
  readonly synthBars: number;
  readonly e2eBars: number;
  readonly gridBars: number;
  readonly rounds: number | undefined;
  readonly keepCsv: boolean;
}

function parseArgs(argv: readonly string[]): BenchArgs {
  let json = false;
  let quick = false;
  let keepCsv = false;
  let only: Set<Part> = new Set(PARTS);
  let synth: number | undefined;
  let e2e: number | undefined;
  let grid: number | undefined;
  let rounds: number | undefined;
  const count = (name: string, text: string | undefined): number => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} needs a whole number >= 1, got ${text}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--quick') quick = true;
    else if (arg === '--keep-csv') keepCsv = true;
    else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',');
      for (const name of names) if (!(PARTS as readonly string[]).includes(name)) throw new Error(`--only takes ${PARTS.join(',')}; got ${name}`);
      only = new Set(names as Part[]);
    } else if (arg === '--synth-bars') synth = count(arg, argv[++i]);
    else if (arg === '--e2e-bars') e2e = count(arg, argv[++i]);
    else if (arg === '--grid-bars') grid = count(arg, argv[++i]);
    else if (arg === '--rounds') rounds = count(arg, argv[++i]);
    else throw new Error(`unknown argument ${arg} — see the header of bench/run.ts`);
  }
  return {
    json,
    quick,
    only,
    synthBars: synth ?? (quick ? 1_000_000 : 10_000_000),
    e2eBars: e2e ?? (quick ? 200_000 : 2_000_000),
    gridBars: grid ?? (quick ? 500_000 : 2_000_000),
    rounds,
    keepCsv,
  };
}

/** The shape of `bench/csv-load.ts` this runner relies on (owned by the data engineer; loaded if present). */
interface CsvLoadModule {
  benchCsvLoad(options?: { rows?: number; rounds?: number }): Promise<Record<string, unknown>>;
}

async function loadCsvLoadModule(here: string): Promise<CsvLoadModule | undefined> {
  if (!existsSync(join(here, 'csv-load.js'))) return undefined;
  const specifier = './csv-load.js';
  const module = (await import(specifier)) as Partial<CsvLoadModule>;
  return typeof module.benchCsvLoad === 'function' ? (module as CsvLoadModule) : undefined;
}

async function main(): Promise<void> {
  // The same V8 settings as the CLI (bin/tune-v8.ts); the floors run under them too.
  tuneV8();
  const args = parseArgs(process.argv.slice(2));
  const here = dirname(fileURLToPath(import.meta.url));
  const distRoot = join(here, '..');
  const repoRoot = join(distRoot, '..');
  const out = (text: string): void => {
    if (!args.json) process.stdout.write(`${text}\n`);
  };
  const note = (text: string): void => {
    if (!args.json) process.stderr.write(`  … ${text}\n`);
  };
  const progress = args.json
    ? undefined
    : (round: number, name: string): void => {
        process.stderr.write(`  … ${round < 0 ? 'warm-up' : `round ${round + 1}`}: ${name}          \r`);
      };
  const settings: RunSettings = { fast: 10, slow: 30, initialCapital: 100_000, commissionRate: 0 };
  const machine = machineInfo();
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') note('run with node --expose-gc for a full GC between samples');
  out(printHeader(machine, settings, args.quick));
  const report: Record<string, unknown> = { bench: 'replaylab', version: 1, quick: args.quick, settings, machine };

  if (args.only.has('sp500')) {
    const file = join(repoRoot, 'data', 'samples', 'sp500-2000.csv');
    const { bars } = await loadBars(file);
    const rounds = args.rounds ?? (args.quick ? 3 : 9);
    const result = compareEngineAndFloor('S&P 500', bars, {
      settings,
      rounds,
      warmup: 2,
      targetSampleSeconds: args.quick ? 0.05 : 0.25,
      progress,
    });
    out(printInProcess(`(a) S&P 500 daily bars, data/samples/sp500-2000.csv (each sample repeats the run)`, result, rounds));
    report['sp500'] = { file: 'data/samples/sp500-2000.csv', ...summarize(result) };
  }

  if (args.only.has('synth')) {
    note(`generating ${args.synthBars} synthetic minute bars (synthBars, seed ${SYNTH.seed})`);
    const t0 = performance.now();
    const bars = syntheticBars(args.synthBars);
    const generateSeconds = (performance.now() - t0) / 1000;
    const rounds = args.rounds ?? (args.quick ? 3 : 5);
    const result = compareEngineAndFloor('synthetic', bars, { settings, rounds, warmup: 1, targetSampleSeconds: 0, progress });
    out(printInProcess(`(b) ${bars.length.toLocaleString('en-US')} synthetic minute bars (synthBars, seed ${SYNTH.seed}; one run per sample)`, result, rounds));
    const memory: Record<string, MemoryFigures> = {};
    for (const key of CASES) {
      note(`peak memory of ${key}: a fresh process generates the bars and runs it once under the RSS sampler`);
      memory[key] = measureInChild(join(here, 'memory-child.js'), key, bars.length, settings, result.outcome.closedTrades);
    }
    out(printMemory(bars.length, memory));
    report['synth'] = { bars: bars.length, ...SYNTH, generateSeconds, ...summarize(result), memory };
  }

  let csvFromLoadBench: string | undefined;
  if (args.only.has('csv-load')) {
    const module = await loadCsvLoadModule(here);
    if (module === undefined) {
      out('\n(d) CSV load: bench/csv-load.ts is not there yet — skipped');
      report['csvLoad'] = { skipped: 'bench/csv-load.ts missing' };
    } else {
      note(`CSV load benchmark (bench/csv-load.ts, ${args.e2eBars} rows)`);
      const figures = await module.benchCsvLoad({ rows: args.e2eBars, rounds: args.rounds ?? (args.quick ? 2 : 5) });
      out(printCsvLoad(figures));
      report['csvLoad'] = figures;
      if (typeof figures['file'] === 'string' && figures['rows'] === args.e2eBars) csvFromLoadBench = figures['file'];
    }
  }

  if (args.only.has('e2e')) {
    const rounds = args.rounds ?? (args.quick ? 3 : 5);
    const e2e: EndToEndResult = endToEnd({
      distRoot,
      bars: args.e2eBars,
      rounds,
      warmup: 1,
      csvPath: csvFromLoadBench,
      keepCsv: args.keepCsv,
      progress,
      note,
    });
    out(printEndToEnd(e2e, rounds));
    report['e2e'] = e2e;
  }

  if (args.only.has('grid')) {
    const grid = await benchGrid({
      repoRoot,
      benchDir: here,
      syntheticBars: args.gridBars,
      sp500Rounds: args.rounds ?? (args.quick ? 3 : 7),
      syntheticRounds: args.rounds ?? (args.quick ? 3 : 7),
      largeRounds: args.quick ? 0 : Math.min(args.rounds ?? 3, 3),
      sampleSeconds: args.quick ? 0.2 : 0.4,
      progress,
      note,
    });
    out(printGrid(grid));
    report['grid'] = gridJson(grid);
  }

  const loadEnd = loadavg();
  report['loadAverageEnd'] = loadEnd;
  out(`\nload average at end: ${loadEnd.map((x) => x.toFixed(2)).join(' ')}`);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** Runs `memory-child.js` for one case; its memory figures (checks it made the same trades). */
function measureInChild(script: string, key: CaseKey, bars: number, settings: RunSettings, closedTrades: number): MemoryFigures {
  const child = spawnSync(process.execPath, ['--expose-gc', script, key, String(bars), JSON.stringify(settings)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`memory-child ${key} exited with ${child.status}: ${child.stderr}`);
  const reported = JSON.parse(child.stdout) as { closedTrades: number; memory: MemoryFigures };
  if (reported.closedTrades !== closedTrades) throw new Error(`memory-child ${key} made ${reported.closedTrades} trades, expected ${closedTrades}`);
  return reported.memory;
}

/** The grid figures with the issue's aims and whether they are met (headline figures: warm pools, medians). */
function gridJson(grid: GridBenchResult): Record<string, unknown> {
  const aims = (g: GridFigures): Record<string, unknown> => ({
    scalingEfficiency: { aim: SCALING_AIM, meetsAim: g.scalingEfficiency === undefined ? null : g.scalingEfficiency.warm.ofMedians >= SCALING_AIM },
    perCoreVsFloorFull: {
      aim: PER_CORE_AIM,
      of: g.nWorkers === undefined ? '1 worker' : 'N workers ÷ N',
      against: 'the same-output floor (metrics, digest, daily returns per cell)',
      meetsAim: (g.perCoreVsFloorFull.nWorkers ?? g.perCoreVsFloorFull.oneWorker).ofMedians >= PER_CORE_AIM,
    },
    perCoreVsFloor: {
      aim: null,
      of: g.nWorkers === undefined ? '1 worker' : 'N workers ÷ N',
      against: 'the trades-only floor (the strictest limit; reported, the aim is on perCoreVsFloorFull)',
      value: (g.perCoreVsFloor.nWorkers ?? g.perCoreVsFloor.oneWorker).ofMedians,
    },
  });
  return {
    ...grid,
    units: 'perSecond figures are bar evaluations (cells × bars) per second; seconds are per sample; bytes',
    note: 'interleaved rounds on shared cores (load average at start and end given); medians',
    sp500: { ...grid.sp500, aims: aims(grid.sp500) },
    synthetic: { ...grid.synthetic, aims: aims(grid.synthetic) },
  };
}

/** The JSON figures of an in-process comparison (no per-sample closures). */
function summarize(result: InProcessResult): Record<string, unknown> {
  const cases = Object.fromEntries(
    CASES.map((key) => {
      const t = result.timings[key];
      return [key, { medianBarsPerSecond: t.medianPerSecond, barsPerSecond: t.perSecond, runsPerSample: result.repetitions[key] }];
    }),
  );
  return {
    bars: result.bars,
    closedTrades: result.outcome.closedTrades,
    openTrades: result.outcome.openTrades,
    finalEquity: result.outcome.finalEquity,
    maxDrawdownPct: result.outcome.maxDrawdownPct,
    digest: result.digest,
    parity: 'engine (every output mode) = both floors: closed trades, open trades, final equity, max drawdown (bit-identical); engine digest = same-output floor digest',
    cases,
    ratios: {
      ...result.ratios,
      aim: 'leanVsFloorFull >= 0.5 (engine lean speed / speed of the floor computing the same outputs: trades, metrics, digest); leanVsFloor is against the trades-only floor, the strictest limit',
      meetsAim: result.ratios.leanVsFloorFull.ofMedians >= 0.5,
    },
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
