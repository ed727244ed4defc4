/**
 * Where the engine's notion of "now" comes from. The engine never reads ambient time: a backtest
 * drives a {@link ReplayClock} from bar timestamps; the live driver (`live/`) brings a wall clock
 * that implements the same interface.
 */
export interface Clock {
  /** Current time, epoch ms UTC. */
  nowMs(): number;
}

/**
 * The replay clock: moves to each step's timestamp and never goes backwards. Advancing to an
 * earlier time is a bug in the driver (bars out of order) and throws a `RangeError`.
 */
export class ReplayClock implements Clock {
  private current = Number.NEGATIVE_INFINITY;
  /**
   * Index of the current step: -1 before the first (a strategy's `init`), then 0, 1, …. The engine's
   * parts (strategy context, order manager) read "now" from this one object, so a step writes it
   * once instead of copying it into each part.
   */
  step = -1;
  /** Time of the current step, epoch ms UTC (0 before the first step). */
  timeMs = 0;

  nowMs(): number {
    return this.current;
  }

  /** Moves to the next step at `timeMs` (>= the current time). */
  advance(timeMs: number): void {
    if (!(timeMs >= this.current)) throw backwards(this.current, timeMs);
    this.current = timeMs;
    this.timeMs = timeMs;
    this.step++;
  }
}

// Out of line: the message's template would otherwise weigh on every caller's inlining budget.
function backwards(from: number, to: number): RangeError {
  return new RangeError(`replay clock cannot go back from ${from} to ${to} — bars must be in time order`);
}
