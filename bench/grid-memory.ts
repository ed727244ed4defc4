import { spawnSync } from 'node:child_process';

/**
 * Peak memory of a grid run. Worker threads live in the main process, so the process's resident
 * set covers the main thread, every worker and the shared bars; a sampler thread reads it every
 * 2 ms, as `memory.ts` does for one synchronous run — here the main thread is free while the pool
 * works, but a thread keeps the sampling rate independent of the event loop. Each measurement runs
 * in a fresh process (`grid-memory-child.js`), so no earlier run's heap blurs the figures.
 */

/** One grid run's memory, from `grid-memory-child.js`. Bytes unless named otherwise. */
export interface GridMemoryFigures {
  /** Worker threads requested and started (at most one per batch). */
  readonly workers: number;
  readonly poolWorkers: number;
  readonly bars: number;
  readonly cells: number;
  /** Bytes of the `SharedArrayBuffer`s holding the bars. */
  readonly sharedBytes: number;
  /** RSS after imports and a full GC, before the bars exist. */
  readonly rssBaseline: number;
  /** RSS with the bars shared (the generated copy dropped and collected), before the pool starts. */
  readonly rssBefore: number;
  /** Highest RSS sampled from pool start to the last result. */
  readonly rssPeak: number;
  /** `rssPeak - rssBefore`: what the pool and its runs added. */
  readonly rssPeakAdded: number;
  /** `process.memoryUsage().arrayBuffers` before the pool starts (the shared bars are in it). */
  readonly arrayBuffersBefore: number;
  /** `process.resourceUsage().maxRSS`: lifetime high-water mark, bar generation included. */
  readonly processMaxRss: number;
  readonly samples: number;
  /** Pool start-up plus one pass, seconds. */
  readonly seconds: number;
  /** Each cell's digest, by position (checked against the timed runs). */
  readonly digests: readonly string[];
}

export { startRssSampler, type RssSampler } from './rss-sampler.js'; // re-exported for grid-memory-child

/** Runs `grid-memory-child.js` for `workers` threads on `bars` synthetic bars; its figures. Throws when it fails. */
export function measureGridMemory(script: string, workers: number, bars: number): GridMemoryFigures {
  const child = spawnSync(process.execPath, ['--expose-gc', script, String(workers), String(bars)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`grid-memory-child ${workers} workers exited with ${child.status}: ${child.stderr}`);
  return JSON.parse(child.stdout) as GridMemoryFigures;
}
