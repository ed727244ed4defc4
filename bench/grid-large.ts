import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseExperiment } from '../experiments/experiment-spec.js';
import { expandCells } from '../experiments/cells.js';
import { runGrid } from '../experiments/grid.js';
import { loadRunData } from '../experiments/run.js';
import { interleaveAsync, type AsyncCase } from './grid-timing.js';
import { speedRatio } from './measure.js';

/**
 * (e3) Whole `runGrid` runs of the large bundled experiment, 1 and N workers: pool start-up, every
 * cell, the results files, ranking and the overfitting statistics, as `replaylab grid` does them
 * (in this process, into a fresh temporary folder each run). No floor models its strategy, so each
 * run is checked against the first instead: every cell's digest, for any worker count.
 */

/** The bundled experiment "worth a progress bar", relative to the repository root. */
export const LARGE_EXPERIMENT = 'experiments/channel-sp500-large.json';

/** Whole runs with one worker count. */
export interface LargeRuns {
  readonly workers: number;
  /** Seconds of each run, in round order. */
  readonly seconds: readonly number[];
  readonly medianSeconds: number;
  readonly medianCellsPerSecond: number;
  readonly medianBarEvaluationsPerSecond: number;
}

/** What {@link benchLargeGrid} measured. */
export interface LargeGridFigures {
  readonly source: string;
  readonly strategy: string;
  readonly cells: number;
  readonly bars: number;
  readonly rounds: number;
  readonly runs: readonly LargeRuns[];
  /** N-worker runs/s ÷ (N × 1-worker runs/s); undefined with one CPU. */
  readonly scalingEfficiency: ReturnType<typeof speedRatio> | undefined;
}

/** Times whole `runGrid` runs of {@link LARGE_EXPERIMENT} with each worker count, interleaved. Throws when a run disagrees with the first. */
export async function benchLargeGrid(options: {
  readonly repoRoot: string;
  readonly counts: readonly number[];
  readonly rounds: number;
  readonly progress?: ((round: number, name: string) => void) | undefined;
}): Promise<LargeGridFigures> {
  const experimentFile = join(options.repoRoot, LARGE_EXPERIMENT);
  const baseDir = dirname(experimentFile);
  const experiment = parseExperiment(JSON.parse(readFileSync(experimentFile, 'utf8')), { file: experimentFile });
  const cells = expandCells(experiment).length;
  const bars = (await loadRunData(experiment.data, baseDir)).reduce((n, d) => n + d.bars.length, 0);
  const digests = new Map<number, string>();
  const cases: AsyncCase[] = options.counts.map((workers) => ({
    name: `large-${workers}`,
    run: async () => {
      const root = mkdtempSync(join(tmpdir(), 'replaylab-bench-large-'));
      try {
        const t0 = performance.now();
        const outcome = await runGrid({ experiment, experimentFile, baseDir, outDir: join(root, 'run'), workers, resume: false, version: 'bench' });
        const seconds = (performance.now() - t0) / 1000;
        if (outcome.status !== 'complete' || outcome.rows.length !== cells) throw new Error(`${LARGE_EXPERIMENT}: a run with ${workers} workers ended ${outcome.status} after ${outcome.rows.length} of ${cells} cells`);
        for (const row of outcome.rows) {
          const first = digests.get(row.cell);
          if (first === undefined) digests.set(row.cell, row.digest);
          else if (first !== row.digest) throw new Error(`${LARGE_EXPERIMENT}: cell ${row.cell} digest ${row.digest} with ${workers} workers differs from an earlier run's ${first}`);
        }
        return [{ name: `large-${workers}`, units: cells * bars, seconds }];
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  }));
  const timings = await interleaveAsync(cases, { rounds: options.rounds, warmup: 0, progress: options.progress });
  const runs = options.counts.map((workers): LargeRuns => {
    const t = timings.get(`large-${workers}`)!;
    return { workers, seconds: t.seconds, medianSeconds: t.medianSeconds, medianCellsPerSecond: t.medianPerSecond / bars, medianBarEvaluationsPerSecond: t.medianPerSecond };
  });
  const n = options.counts[1];
  const scalingEfficiency =
    n === undefined
      ? undefined
      : (() => {
          const r = speedRatio(timings.get(`large-${n}`)!, timings.get('large-1')!);
          return { ofMedians: r.ofMedians / n, pairedMedian: r.pairedMedian / n };
        })();
  return { source: LARGE_EXPERIMENT, strategy: experiment.strategy, cells, bars, rounds: options.rounds, runs, scalingEfficiency };
}
