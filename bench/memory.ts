import { startRssSampler } from './rss-sampler.js';
import { collectGarbage } from './measure.js';

/**
 * Peak memory of one synchronous run. The run blocks the main thread, so a timer there could never
 * fire; instead a worker thread samples the process-wide resident set (`process.memoryUsage.rss()`)
 * every 2 ms while the main thread works. V8 heap figures are per isolate and can only be read on
 * the main thread, so they are taken just before and just after the run (the result still alive).
 */
export interface MemoryFigures {
  /** RSS after a full GC, before the run (input data loaded, sampler running), bytes. */
  readonly rssBefore: number;
  /** Highest RSS sampled during the run, bytes. */
  readonly rssPeak: number;
  /** `rssPeak - rssBefore`, bytes. */
  readonly rssPeakAdded: number;
  /** V8 heap in use before the run and right after it (result alive, garbage not yet collected), bytes. */
  readonly heapUsedBefore: number;
  readonly heapUsedAfter: number;
  /** Live V8 heap after the run and a full GC with the result still referenced, bytes. */
  readonly heapLiveAfter: number;
  /** ArrayBuffer memory (typed arrays) after the run, result alive, bytes. */
  readonly arrayBuffersAfter: number;
  /** `process.resourceUsage().maxRSS` after the run: the process's lifetime high-water mark, bytes. */
  readonly processMaxRss: number;
  /** RSS samples taken by the worker during the run. */
  readonly samples: number;
  readonly seconds: number;
}

/** Runs `run` once under the sampler; returns its result and the memory figures. */
export async function measurePeakMemory<T>(run: () => T): Promise<{ result: T; memory: MemoryFigures }> {
  const sampler = await startRssSampler();
  collectGarbage();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const result = run();
  const seconds = (performance.now() - t0) / 1000;
  const after = process.memoryUsage();
  const sampled = await sampler.stop();
  collectGarbage();
  const live = process.memoryUsage();
  const rssPeak = Math.max(sampled.peak, after.rss);
  return {
    result,
    memory: {
      rssBefore: before.rss,
      rssPeak,
      rssPeakAdded: rssPeak - before.rss,
      heapUsedBefore: before.heapUsed,
      heapUsedAfter: after.heapUsed,
      heapLiveAfter: live.heapUsed,
      arrayBuffersAfter: after.arrayBuffers,
      processMaxRss: process.resourceUsage().maxRSS * 1024,
      samples: sampled.samples,
      seconds,
    },
  };
}
