import type { StrategyContext } from './context.js';
import type { Fill } from './fill.js';
import type { ParamSchema, ParamsOf } from './params.js';

/**
 * A running strategy instance. `onBar` is called once per step of the merged timeline, after the
 * broker, portfolio and risk phases, and sees data only up to the current bar. Orders it submits
 * are accepted at the end of the step and can fill from the instrument's next bar.
 */
export interface Strategy {
  /** Called once before the first bar. */
  init?(ctx: StrategyContext): void;
  /** Called every step. */
  onBar(ctx: StrategyContext): void;
  /** Called right after one of this strategy's orders fills (during the broker phase). */
  onFill?(ctx: StrategyContext, fill: Fill): void;
}

/** A named strategy: its parameter schema and a factory for instances. */
export interface StrategyDefinition<S extends ParamSchema = ParamSchema> {
  readonly name: string;
  /** One-line description for `replaylab strategies`. */
  readonly description: string;
  readonly params: S;
  /** Cross-parameter checks after each value is resolved; return a problem to reject. */
  readonly check?: (params: ParamsOf<S>) => { readonly path: string; readonly problem: string } | undefined;
  /** Builds a fresh instance with resolved params. */
  create(params: ParamsOf<S>): Strategy;
}

/** Freezes a strategy definition (and its schema) so it can be shared safely. */
export function defineStrategy<S extends ParamSchema>(definition: StrategyDefinition<S>): StrategyDefinition<S> {
  for (const spec of Object.values(definition.params)) Object.freeze(spec);
  Object.freeze(definition.params);
  return Object.freeze(definition);
}
