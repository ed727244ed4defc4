/**
 * One peak-memory measurement of the synthetic grid in a fresh process: generates the bars, shares
 * them (dropping the generated copy), then starts a pool of WORKERS threads and runs every cell
 * once under the RSS sampler. Prints one JSON line ({@link GridMemoryFigures}). Started by
 * `grid.ts`, once per worker count.
 *
 *   node --expose-gc dist/bench/grid-memory-child.js WORKERS BARS
 */
import { setTimeout } from 'node:timers/promises';
import { startRssSampler, type GridMemoryFigures } from './grid-memory.js';
import { syntheticGridSetup } from './grid-setup.js';
import { poolShape, runPass, setupPool } from './grid-timing.js';
import { collectGarbage } from './measure.js';

/**
 * Full GCs with a pause between: V8 frees large array-buffer backing stores on a background
 * thread after a GC, so RSS read right after one GC may still hold the dropped generated columns.
 */
async function settle(): Promise<void> {
  collectGarbage();
  await setTimeout(100);
  collectGarbage();
  await setTimeout(50);
}

async function main(): Promise<void> {
  const [workersText, barsText] = process.argv.slice(2);
  const workers = Number(workersText);
  const bars = Number(barsText);
  if (!(Number.isSafeInteger(workers) && workers >= 1 && Number.isSafeInteger(bars) && bars >= 1)) {
    throw new Error(`usage: grid-memory-child.js WORKERS BARS (whole numbers >= 1), got ${workersText} ${barsText}`);
  }
  await settle();
  const rssBaseline = process.memoryUsage.rss();
  const setup = syntheticGridSetup(bars);
  // Collect the generated columns before sampling starts, or the first samples would be the peak.
  await settle();
  const sampler = await startRssSampler();
  const before = process.memoryUsage();
  const shape = poolShape(setup, workers);
  const t0 = performance.now();
  const pool = setupPool(setup, workers);
  try {
    const results = await runPass(pool, setup);
    const seconds = (performance.now() - t0) / 1000;
    // Read with the pool still up: its threads' heaps count until they exit.
    const sampled = await sampler.stop();
    const rssPeak = Math.max(sampled.peak, before.rss);
    const digests: string[] = [];
    for (const r of results) digests[r.position] = r.digest;
    const figures: GridMemoryFigures = {
      workers,
      poolWorkers: shape.workers,
      bars: setup.bars.length,
      cells: setup.cellIndexes.length,
      sharedBytes: setup.sharedBytes,
      rssBaseline,
      rssBefore: before.rss,
      rssPeak,
      rssPeakAdded: rssPeak - before.rss,
      arrayBuffersBefore: before.arrayBuffers,
      processMaxRss: process.resourceUsage().maxRSS * 1024,
      samples: sampled.samples,
      seconds,
      digests,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await pool.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`grid-memory-child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
