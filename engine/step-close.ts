/**
 * One step's close as the engine hands it to its accumulators: the step's time and the account
 * equity, written in place every step. Passing fractional numbers as arguments to a call that V8
 * does not inline boxes each of them (an allocation per call, per bar); read from the fields of one
 * reused object they are not.
 */
export class StepClose {
  /** Epoch ms UTC (NaN before the first step). */
  timeMs = Number.NaN;
  /** Account equity at the close (NaN before the first step). */
  equity = Number.NaN;
  /** Gross position value ÷ equity (kept series only). */
  exposure = 0;
  /** Fees and slippage paid so far (kept series and the gross curve only). */
  costs = 0;
}

/** The time of the step a driver asks for, in a holder it reuses (see `Engine.stepAt`). */
export class StepTime {
  /** Epoch ms UTC. */
  timeMs = Number.NaN;
}
