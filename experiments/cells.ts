import { ConfigError } from '../engine/config-error.js';
import { Rng } from '../engine/rng.js';
import type { Cell, Experiment, ParamValue, SweepSpec } from './experiment.js';
import type { RunSpec } from './run-spec.js';

/**
 * The cells of an experiment, in one deterministic order.
 *
 * Grid mode: the cartesian product of the swept values in spec order — the first swept parameter
 * varies slowest, the last fastest — with cells failing a constraint left out; `index` counts the
 * remaining cells 0..n-1.
 *
 * Random mode (`random: {count, seed}`): `count` distinct cells drawn uniformly from the
 * constraint-satisfying cells with an {@link Rng} seeded by `random.seed`, then put back in grid
 * order; `index` is the position in that sorted list (0..count-1), not the grid position.
 */

/** Most cells a grid may have (before constraints) unless it is sampled with `random`. */
export const MAX_CELLS = 1_000_000;

/** One swept parameter with its values. */
interface Axis {
  readonly name: string;
  readonly values: readonly ParamValue[];
}

/**
 * Number of values of a `{from, to, step}` range: `from + k × step` for k = 0, 1, … while the value
 * is at most `to` (within 1e-9 × step, so `0.1 … 0.3 step 0.1` has 3 values). 0 when `to < from`.
 */
export function rangeCount(from: number, to: number, step: number): number {
  if (to < from) return 0;
  return Math.floor((to - from) / step + 1e-9) + 1;
}

/** Digits after the decimal point in the shortest representation of `x` (`0.25` → 2, `1e-7` → 7). */
function decimalsOf(x: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(x)).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

/**
 * The `k`-th value of a range, `from + k × step` rounded to the decimals of `from` and `step`,
 * so `0.1 + 2 × 0.1` is `0.3`, not `0.30000000000000004` (no drift, whatever `k`).
 */
export function rangeValue(from: number, step: number, k: number): number {
  const decimals = Math.min(100, Math.max(decimalsOf(from), decimalsOf(step)));
  // + 0 turns a rounded -0 into 0.
  return Number((from + k * step).toFixed(decimals)) + 0;
}

/** The values of one swept parameter, in order. */
export function sweepValues(spec: SweepSpec): ParamValue[] {
  if (spec.kind === 'list') return [...spec.values];
  const count = rangeCount(spec.from, spec.to, spec.step);
  return Array.from({ length: count }, (_, k) => rangeValue(spec.from, spec.step, k));
}

/** Swept parameters in spec order with their values; a range of more than {@link MAX_CELLS} values is an error. */
function axesOf(experiment: Experiment): Axis[] {
  return Object.entries(experiment.sweep).map(([name, spec]) => {
    if (spec.kind === 'range') {
      const count = rangeCount(spec.from, spec.to, spec.step);
      if (count > MAX_CELLS) {
        throw new ConfigError(`sweep.${name}`, `the range has ${formatCount(count)} values, more than ${formatCount(MAX_CELLS)} — raise step or narrow from … to`);
      }
    }
    return { name, values: sweepValues(spec) };
  });
}

/**
 * The number of combinations of the swept values (the cartesian product), before constraints and
 * random draws — computed, never enumerated, so it is safe on any grid. 1 without a sweep.
 */
export function gridSize(experiment: Experiment): number {
  let size = 1;
  for (const spec of Object.values(experiment.sweep)) size *= spec.kind === 'list' ? spec.values.length : rangeCount(spec.from, spec.to, spec.step);
  return size;
}

/**
 * How many cells {@link expandCells} returns, without building them: `random.count` in random
 * mode, else the combinations that satisfy every constraint (counted by streaming the grid).
 * Throws {@link ConfigError} where {@link expandCells} would.
 */
export function cellCount(experiment: Experiment): number {
  if (experiment.random !== undefined) return drawOrdinals(experiment, axesOf(experiment)).length;
  let count = 0;
  walkGrid(experiment, axesOf(experiment), () => count++);
  if (count === 0) throw emptyGrid(experiment);
  return count;
}

/**
 * Calls `visit` with every cell of the experiment in cell order, one at a time, so a large grid is
 * never held in memory. Returns the number of cells. Throws {@link ConfigError} for a grid of more
 * than {@link MAX_CELLS} combinations without `random`, a grid that the constraints leave empty,
 * or a `random.count` larger than the grid.
 */
export function forEachCell(experiment: Experiment, visit: (cell: Cell) => void): number {
  const axes = axesOf(experiment);
  if (experiment.random !== undefined) {
    const ordinals = drawOrdinals(experiment, axes);
    ordinals.forEach((ordinal, index) => visit(makeCell(index, axes, paramsAt(ordinal, axes))));
    return ordinals.length;
  }
  let index = 0;
  walkGrid(experiment, axes, (_, params) => visit(makeCell(index++, axes, params)));
  if (index === 0) throw emptyGrid(experiment);
  return index;
}

/** Every cell of the experiment in cell order (see the module comment); throws like {@link forEachCell}. */
export function expandCells(experiment: Experiment): Cell[] {
  const cells: Cell[] = [];
  forEachCell(experiment, (cell) => cells.push(cell));
  return cells;
}

/** A cell's full parameters: the experiment's fixed params and the cell's swept ones (frozen). */
export function cellParams(experiment: Experiment, cell: Cell): Readonly<Record<string, ParamValue>> {
  return Object.freeze({ ...experiment.fixedParams, ...cell.swept });
}

/**
 * The single run a cell stands for — what `replaylab backtest` runs for a run spec with the same
 * data, strategy, options and these params. Data paths stay relative to the experiment file.
 */
export function cellRunSpec(experiment: Experiment, cell: Cell): RunSpec {
  return Object.freeze({ data: experiment.data, strategy: experiment.strategy, params: cellParams(experiment, cell), options: experiment.options });
}

function makeCell(index: number, axes: readonly Axis[], current: Readonly<Record<string, ParamValue>>): Cell {
  const swept: Record<string, ParamValue> = {};
  for (const axis of axes) swept[axis.name] = current[axis.name]!;
  return Object.freeze({ index, swept: Object.freeze(swept) });
}

/** Fixed ∪ swept params of the grid position `ordinal` (mixed radix, last axis fastest). */
function paramsAt(ordinal: number, axes: readonly Axis[]): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  let rest = ordinal;
  for (let d = axes.length - 1; d >= 0; d--) {
    const axis = axes[d]!;
    const n = axis.values.length;
    params[axis.name] = axis.values[rest % n]!;
    rest = Math.floor(rest / n);
  }
  return params;
}

function passes(experiment: Experiment, params: Readonly<Record<string, ParamValue>>): boolean {
  for (const constraint of experiment.constraints) if (!constraint.test(params)) return false;
  return true;
}

/**
 * Streams the grid in order, calling `visit(ordinal, params)` for each combination that passes the
 * constraints; `params` (fixed ∪ swept) is reused between calls. Enforces {@link MAX_CELLS}.
 */
function walkGrid(experiment: Experiment, axes: readonly Axis[], visit: (ordinal: number, params: Readonly<Record<string, ParamValue>>) => void): void {
  const size = gridSize(experiment);
  if (size > MAX_CELLS) {
    throw new ConfigError(
      'sweep',
      `the grid has ${formatCount(size)} combinations (before constraints), more than ${formatCount(MAX_CELLS)} — narrow the sweep, or run a random sample of it with "random": {"count": 10000, "seed": 1}`,
    );
  }
  const params: Record<string, ParamValue> = { ...experiment.fixedParams };
  const digits = axes.map(() => 0);
  for (const axis of axes) params[axis.name] = axis.values[0]!;
  for (let ordinal = 0; ordinal < size; ordinal++) {
    if (passes(experiment, params)) visit(ordinal, params);
    for (let d = axes.length - 1; d >= 0; d--) {
      const axis = axes[d]!;
      const digit = (digits[d]! + 1) % axis.values.length;
      digits[d] = digit;
      params[axis.name] = axis.values[digit]!;
      if (digit !== 0) break;
    }
  }
}

/**
 * The grid positions of the random draw, ascending. A grid of at most {@link MAX_CELLS}
 * combinations is enumerated and `count` positions are drawn without replacement (partial
 * Fisher–Yates), so the count is checked exactly; a larger grid is sampled by rejection (draw a
 * position, keep it if new and it passes the constraints).
 */
function drawOrdinals(experiment: Experiment, axes: readonly Axis[]): number[] {
  const { count, seed } = experiment.random!;
  const rng = new Rng(seed);
  const size = gridSize(experiment);
  let drawn: number[];
  if (size <= MAX_CELLS) {
    const eligible: number[] = [];
    walkGrid(experiment, axes, (ordinal) => eligible.push(ordinal));
    if (eligible.length === 0) throw emptyGrid(experiment);
    if (count > eligible.length) {
      const after = experiment.constraints.length > 0 ? ' after constraints' : '';
      throw new ConfigError('random.count', `must be <= the number of cells in the grid (${formatCount(eligible.length)}${after}), was ${formatCount(count)} — lower it, or drop "random" to run the whole grid`);
    }
    for (let i = 0; i < count; i++) {
      const j = i + rng.int(eligible.length - i);
      const picked = eligible[j]!;
      eligible[j] = eligible[i]!;
      eligible[i] = picked;
    }
    drawn = eligible.slice(0, count);
  } else {
    drawn = rejectionSample(experiment, axes, rng, size, count);
  }
  return drawn.sort((a, b) => a - b);
}

function rejectionSample(experiment: Experiment, axes: readonly Axis[], rng: Rng, size: number, count: number): number[] {
  if (size > Number.MAX_SAFE_INTEGER) throw new ConfigError('sweep', `the grid has ${formatCount(size)} combinations, too many to sample from — narrow the sweep`);
  const picked = new Set<number>();
  const attempts = 100 * count + 1_000_000;
  for (let attempt = 0; attempt < attempts && picked.size < count; attempt++) {
    const ordinal = uniformBelow(rng, size);
    if (!picked.has(ordinal) && passes(experiment, { ...experiment.fixedParams, ...paramsAt(ordinal, axes) })) picked.add(ordinal);
  }
  if (picked.size < count) {
    throw new ConfigError(
      'random.count',
      `found only ${formatCount(picked.size)} of ${formatCount(count)} distinct cells that satisfy the constraints in ${formatCount(attempts)} draws from the ${formatCount(size)}-combination grid — loosen the constraints, or narrow the sweep to at most ${formatCount(MAX_CELLS)} combinations so the grid can be counted`,
    );
  }
  return [...picked];
}

/** Uniform integer in [0, n) for n up to 2^53 (two 32-bit draws above 2^32, with rejection). */
function uniformBelow(rng: Rng, n: number): number {
  if (n <= 2 ** 32) return rng.int(n);
  const limit = Math.floor(2 ** 53 / n) * n;
  for (;;) {
    const x = rng.int(2 ** 21) * 2 ** 32 + rng.uint32();
    if (x < limit) return x % n;
  }
}

function emptyGrid(experiment: Experiment): ConfigError {
  const texts = experiment.constraints.map((c) => JSON.stringify(c.text));
  const which = texts.length === 1 ? texts[0]! : `all of ${texts.join(', ')}`;
  return new ConfigError('constraints', `no cell of the ${formatCount(gridSize(experiment))}-combination grid satisfies ${which} — the grid is empty; loosen the constraints or widen the sweep`);
}

/** `1234567` → `1,234,567` (locale-independent); non-safe-integers in exponent form. */
export function formatCount(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n.toExponential(2);
}
