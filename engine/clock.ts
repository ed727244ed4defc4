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

  nowMs(): number {
    return this.current;
  }

  /** Moves to `timeMs` (>= the current time). */
  advance(timeMs: number): void {
    if (!(timeMs >= this.current)) throw backwards(this.current, timeMs);
    this.current = timeMs;
  }
}

// Out of line: the message's template would otherwise weigh on every caller's inlining budget.
function backwards(from: number, to: number): RangeError {
  return new RangeError(`replay clock cannot go back from ${from} to ${to} — bars must be in time order`);
}
