import { setImmediate as immediate, setTimeout as timeout } from 'node:timers/promises';
import type { Clock } from '../engine/clock.js';

/**
 * A clock that can also wait: what live feeds pace themselves with. The engine never sees one —
 * it runs on bar time (`ReplayClock`); wall time lives in `live/` only.
 */
export interface WaitingClock extends Clock {
  /**
   * Resolves after `ms` milliseconds (at once, after letting pending I/O and signals run, when
   * `ms <= 0`), or as soon as `signal` aborts. Never rejects.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The wall clock: monotonic (`performance.now` from the process's time origin, so a system clock
 * adjustment never makes a pacing wait jump) and expressed as epoch ms.
 */
export const wallClock: WaitingClock = Object.freeze({
  nowMs(): number {
    return performance.timeOrigin + performance.now();
  },
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return;
    try {
      if (ms > 0) await timeout(ms, undefined, { signal });
      else await immediate(undefined, { signal });
    } catch (error) {
      if (!(error instanceof Error && error.name === 'AbortError')) throw error;
    }
  },
});
