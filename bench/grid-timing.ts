import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sliceBars } from '../engine/bars.js';
import { runGrid } from '../experiments/grid.js';
import type { CellResult } from '../experiments/grid-worker.js';
import { createGridPool, dispatchBatches, planBatches, type GridPool } from '../experiments/pool.js';
import { checkPass, floorCells, floorCellsFull, type CellOutcome, type CheckedCell } from './grid-floor.js';
import type { GridSetup } from './grid-setup.js';
import { collectGarbage, median, PRIMING, warmUp, type CaseTiming } from './measure.js';

/**
 * Timing of grid runs. A grid run is asynchronous (the main thread waits on worker threads), so
 * `measure.ts`'s synchronous `interleave` cannot time it; {@link interleaveAsync} is its async
 * twin: every case once per round, order rotated each round, medians over rounds. A case may time
 * several sections of one sample (a pool's start-up pass and its warm passes).
 */

/** One timed section of a sample: its work (bar evaluations) and wall time. */
export interface Section {
  readonly name: string;
  readonly units: number;
  readonly seconds: number;
}

/** One thing to time; `run` does one sample and reports its sections. */
export interface AsyncCase {
  readonly name: string;
  run(): Promise<readonly Section[]>;
}

/** Runs `cases` interleaved (`warmup` untimed rounds first); one {@link CaseTiming} per section name. */
export async function interleaveAsync(
  cases: readonly AsyncCase[],
  options: { readonly rounds: number; readonly warmup: number; readonly progress?: ((round: number, name: string) => void) | undefined },
): Promise<Map<string, CaseTiming>> {
  for (let w = 0; w < options.warmup; w++) {
    for (const c of cases) {
      options.progress?.(-1, c.name);
      await c.run();
    }
  }
  const samples = new Map<string, { units: number[]; seconds: number[] }>();
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + round) % cases.length]!;
      options.progress?.(round, c.name);
      collectGarbage();
      for (const section of await c.run()) {
        const list = samples.get(section.name) ?? { units: [], seconds: [] };
        list.units.push(section.units);
        list.seconds.push(section.seconds);
        samples.set(section.name, list);
      }
    }
  }
  const timings = new Map<string, CaseTiming>();
  for (const [name, { units, seconds }] of samples) {
    const perSecond = seconds.map((s, i) => units[i]! / s);
    timings.set(name, { name, units: units[0]!, seconds, perSecond, medianPerSecond: median(perSecond), medianSeconds: median(seconds) });
  }
  return timings;
}

/** Bar evaluations of one pass over every cell: cells × bars. */
export function barEvaluations(setup: GridSetup): number {
  return setup.cellIndexes.length * setup.bars.length;
}

/** Batches and worker threads `runGrid` would use for this grid with `workers` requested (guided batches). */
export function poolShape(setup: GridSetup, workers: number): { readonly largestBatch: number; readonly workers: number; readonly batches: number[][] } {
  const { batches, largest } = planBatches(0, setup.cellIndexes.length, workers);
  return { largestBatch: largest, workers: Math.max(1, Math.min(workers, batches.length)), batches };
}

/** A fresh pool for `setup` with `workers` threads, shaped as `runGrid` shapes it. */
export function setupPool(setup: GridSetup, workers: number): GridPool {
  const shape = poolShape(setup, workers);
  return createGridPool({ workers: shape.workers, batchCells: shape.largestBatch, workerData: setup.workerData });
}

/** Where a pass that does not keep the returns copies them (reused, as `runGrid`'s results store reuses its record buffer). */
let returnsScratch = new Float32Array(0);

/**
 * One pass over every cell on a running pool, dispatched as `runGrid` does; the results in
 * completion order. With `keepReturns` each cell's daily returns are copied out of the pool's
 * returns slab for the checks; without, each is still copied once, into a reused buffer (the
 * main thread's share of `runGrid`'s work on them: it encodes them into its returns file), and
 * the results carry none.
 */
export async function runPass(pool: GridPool, setup: GridSetup, keepReturns = false): Promise<CheckedCell[]> {
  const { batches } = poolShape(setup, pool.workers);
  const results: CheckedCell[] = [];
  const onResult = keepReturns
    ? (batch: readonly CellResult[]) => {
        for (const r of batch) results.push({ ...r, returns: r.returns.slice() });
      }
    : (batch: readonly CellResult[]) => {
        for (const { position, cell, metrics, digest, returns } of batch) {
          if (returnsScratch.length < returns.length) returnsScratch = new Float32Array(returns.length);
          returnsScratch.set(returns);
          results.push({ position, cell, metrics, digest });
        }
      };
  await dispatchBatches({ pool, batches, onResult });
  return results;
}

/** Checks of a grid's results: the floor's outcome per cell (with digest and metrics from the same-output floor) and the first run's digests. */
export interface GridChecks {
  readonly expected: readonly CellOutcome[];
  readonly digests: (string | undefined)[];
}

/**
 * A pool is primed, untimed, until it has run this long since it started (the first pass
 * included): the workers' code must be optimized before their passes count as warm, as every
 * in-process case and the floors are primed. On this 2-vCPU machine a worker's engine code settles
 * only after a few thousand S&P cells (two waves of deoptimization and recompilation, at about
 * 900 and 1,800 cells per worker), and with every core running a worker the compiler threads get
 * little time: measured S&P scaling 1 → 2 workers was 0.58 after 1 s of priming, 0.74 after 2 s,
 * 0.81 after 3 s (2 M synthetic bars: 0.88, 1.01, 1.00). Start-up is reported apart ("incl.
 * start-up" and whole `runGrid` runs), so nothing is hidden: a small grid never gets warm.
 */
export const POOL_PRIMING_SECONDS = 3;

/**
 * A fresh pool with `workers` threads: section `cold` is pool start-up plus the first pass
 * (threads, module load, unoptimized code); then untimed passes until the pool has run
 * {@link POOL_PRIMING_SECONDS}; section `warm` the next `warmPasses` passes on the same pool.
 * Pool shut-down is not timed. Every pass is checked against `checks` (the warm ones by metrics
 * and digest only: see below).
 */
export function poolCase(setup: GridSetup, workers: number, warmPasses: number, checks: GridChecks): AsyncCase {
  const units = barEvaluations(setup);
  const label = `${setup.label} ${workers} worker${workers === 1 ? '' : 's'}`;
  return {
    name: `pool-${workers}`,
    run: async () => {
      const t0 = performance.now();
      const pool = setupPool(setup, workers);
      try {
        checkPass(label, checks.expected, await runPass(pool, setup, true), checks.digests);
        const t1 = performance.now();
        while (performance.now() - t0 < POOL_PRIMING_SECONDS * 1000) checkPass(label, checks.expected, await runPass(pool, setup, true), checks.digests);
        // Warm passes: each checked at once by metrics and digest (microseconds), their daily
        // returns not compared again (every earlier pass of this pool compared them) and not kept,
        // so the main thread neither competes with the workers nor grows its heap meanwhile.
        const t2 = performance.now();
        for (let pass = 0; pass < warmPasses; pass++) checkPass(label, checks.expected, await runPass(pool, setup), checks.digests, { returns: false });
        const t3 = performance.now();
        return [
          { name: `cold-${workers}`, units, seconds: (t1 - t0) / 1000 },
          { name: `warm-${workers}`, units: units * warmPasses, seconds: (t3 - t2) / 1000 },
        ];
      } finally {
        await pool.destroy();
      }
    },
  };
}

/**
 * `runGrid` as the CLI runs it, into a fresh temporary folder (removed after): pool start-up, the
 * cells, the results files, ranking, overfitting statistics and `summary.json`. Section `runGrid-N`.
 */
export function runGridCase(setup: GridSetup, experimentFile: string, baseDir: string, workers: number, checks: GridChecks): AsyncCase {
  const units = barEvaluations(setup);
  return {
    name: `runGrid-${workers}`,
    run: async () => {
      const root = mkdtempSync(join(tmpdir(), 'replaylab-bench-grid-'));
      try {
        const t0 = performance.now();
        const outcome = await runGrid({ experiment: setup.experiment, experimentFile, baseDir, outDir: join(root, 'run'), workers, resume: false, version: 'bench' });
        const seconds = (performance.now() - t0) / 1000;
        if (outcome.status !== 'complete') throw new Error(`runGrid with ${workers} workers ended ${outcome.status}`);
        const rows = outcome.rows.map((row, position) => ({ ...row, position }));
        // The rows hold no returns; runGrid's returns file is checked by the tests.
        checkPass(`${setup.label} runGrid ${workers} workers`, checks.expected, rows, checks.digests, { returns: false });
        return [{ name: `runGrid-${workers}`, units, seconds }];
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/** The two grid floors: `floor` (trades only, `floorCells`) and `floorFull` (same outputs as a worker, `floorCellsFull`). */
export type GridFloorKind = 'floor' | 'floorFull';

/** The floor function of each kind. */
export const GRID_FLOORS: Readonly<Record<GridFloorKind, (setup: GridSetup, bars?: GridSetup['bars']) => CellOutcome[]>> = {
  floor: floorCells,
  floorFull: floorCellsFull,
};

/**
 * A floor over every cell on the main thread, `passes` passes per sample (section named `kind`).
 * With `prime`, each sample first runs the floor untimed on the first bars. Each sample's outcome
 * is checked against `checks` (the same-output floor also by digest).
 */
export function floorCase(setup: GridSetup, passes: number, prime: boolean, checks: GridChecks, kind: GridFloorKind = 'floor'): AsyncCase {
  const units = barEvaluations(setup) * passes;
  const primeBars = sliceBars(setup.bars, 0, Math.min(PRIMING.bars, setup.bars.length));
  const floor = GRID_FLOORS[kind];
  return {
    name: kind,
    run: async () => {
      if (prime) warmUp(() => floor(setup, primeBars), PRIMING.seconds, PRIMING.runs);
      const t0 = performance.now();
      let outcomes = floor(setup);
      for (let pass = 1; pass < passes; pass++) outcomes = floor(setup);
      const seconds = (performance.now() - t0) / 1000;
      outcomes.forEach((o, i) => {
        const want = checks.expected[i]!;
        const changed =
          o.closedTrades !== want.closedTrades ||
          !Object.is(o.finalEquity, want.finalEquity) ||
          (o.digest !== undefined && want.digest !== undefined && o.digest !== want.digest);
        if (changed) throw new Error(`${setup.label} ${kind}: cell ${i} changed between runs`);
      });
      return [{ name: kind, units, seconds }];
    },
  };
}
