import type { EngineOptions } from '../engine/engine-config.js';
import type { DataSpec } from './run-spec.js';

/** A parameter value: what a strategy schema accepts. */
export type ParamValue = number | boolean | string;

/** How one swept parameter takes its values. */
export type SweepSpec =
  /** Explicit values, in the order given. */
  | { readonly kind: 'list'; readonly values: readonly ParamValue[] }
  /** `from`, `from + step`, … up to and including `to` (within 1e-9 × step); numbers only. */
  | { readonly kind: 'range'; readonly from: number; readonly to: number; readonly step: number };

/** A constraint between parameters, e.g. `fast < slow` or `slow >= 2 * fast` (never `eval`ed). */
export interface Constraint {
  /** The source text, for messages and the resolved spec. */
  readonly text: string;
  /** True when the cell's params satisfy it. */
  test(params: Readonly<Record<string, ParamValue>>): boolean;
}

/** How cells are ranked. */
export type Ranking =
  | { readonly kind: 'metric'; readonly metric: string; readonly order: 'desc' | 'asc' }
  /** Σ weight × metric (e.g. totalReturnPct × 0.25 + sharpe × 8 + winRatePct × 0.6), higher is better. */
  | { readonly kind: 'score'; readonly weights: Readonly<Record<string, number>> };

/** Quality filters applied before ranking; an unset bound is not checked. */
export interface Filters {
  readonly minTrades?: number;
  readonly minWinRatePct?: number;
  readonly minReturnPct?: number;
  readonly minSharpe?: number;
  readonly maxDrawdownPct?: number;
}

/** Walk-forward windows: by bar counts or calendar periods (`"3y"`, `"6m"`, `"90d"`). */
export interface WalkForwardSpec {
  readonly mode: 'rolling' | 'anchored';
  /** Train window length: bars (number) or a period string. */
  readonly train: number | string;
  /** Test window length: bars or a period string. */
  readonly test: number | string;
  /** Advance between windows; default = test. */
  readonly step?: number | string;
}

/**
 * A validated experiment (`experiments/*.json`): the run settings shared by every cell, the
 * parameters that are fixed and swept, how cells are chosen and ranked. Frozen.
 */
export interface Experiment {
  /** Experiment name (default: the file name stem). */
  readonly name: string;
  readonly description: string;
  readonly data: readonly DataSpec[];
  readonly strategy: string;
  /** Parameters every cell uses. */
  readonly fixedParams: Readonly<Record<string, ParamValue>>;
  /** Swept parameters in spec order (the first varies slowest in the cell order). */
  readonly sweep: Readonly<Record<string, SweepSpec>>;
  /** Draw `count` distinct cells at random (seeded) from the grid instead of taking all of it. */
  readonly random: { readonly count: number; readonly seed: number } | undefined;
  readonly constraints: readonly Constraint[];
  readonly options: EngineOptions;
  readonly ranking: Ranking;
  readonly filters: Filters;
  readonly walkForward: WalkForwardSpec | undefined;
  /** Number of CSCV partitions for the Probability of Backtest Overfitting (even, default 16). */
  readonly pboPartitions: number;
  /** How many top cells to print (default 10). */
  readonly top: number;
  /** Experiment seed, recorded in the manifest; random draws derive from it unless `random.seed` is given. */
  readonly seed: number;
}

/** One cell of a grid: its index in the experiment's deterministic cell order and its params. */
export interface Cell {
  readonly index: number;
  /** The swept params only (fixed params live in the experiment). */
  readonly swept: Readonly<Record<string, ParamValue>>;
}
