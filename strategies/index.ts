import type { StrategyDefinition } from '../engine/strategy.js';
import { channelBreakout } from './channel-breakout.js';
import { signalFilter } from './signal-filter.js';
import { smaCross } from './sma-cross.js';
import { swingBreak } from './swing-break.js';

/** Every bundled strategy, by name, in display order. */
export const STRATEGIES: ReadonlyMap<string, StrategyDefinition> = new Map<string, StrategyDefinition>(
  [smaCross as unknown as StrategyDefinition, channelBreakout as unknown as StrategyDefinition, signalFilter as unknown as StrategyDefinition, swingBreak as unknown as StrategyDefinition].map((s) => [s.name, s]),
);

/** The bundled strategy with this name, or undefined. */
export function findStrategy(name: string): StrategyDefinition | undefined {
  return STRATEGIES.get(name);
}
