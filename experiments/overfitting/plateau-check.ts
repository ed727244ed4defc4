/**
 * Does the best cell of a parameter grid sit on a plateau of good neighbours, or is it a lone spike?
 * A robust edge survives a one-step nudge of its parameters; a fitted one falls off a cliff.
 */

/** One evaluated cell: its step index along each swept parameter, and its metric (higher is better). */
export interface GridCell {
  readonly coords: readonly number[];
  readonly value: number;
}

/**
 * Which cells count as neighbours: `moore`, every cell one step away in any subset of parameters
 * (the 3^d − 1 cells of the surrounding hypercube, diagonals included); `axis`, the 2d cells one
 * step away along a single parameter.
 */
export type Neighbourhood = 'moore' | 'axis';

/** Inputs of `plateauCheck`. */
export interface PlateauCheckInput {
  /** The evaluated cells; cells filtered out of the grid (constraints, failures) are simply absent. */
  readonly cells: readonly GridCell[];
  /** Index into `cells` of the cell to examine (usually the best). */
  readonly best: number;
  /** Neighbourhood (default `moore`). */
  readonly neighbourhood?: Neighbourhood;
  /** A neighbour is "close" when value ≥ best − tolerance·|best| (fraction, default 0.25). */
  readonly tolerance?: number;
  /** Share of close neighbours that makes a plateau (default 0.5). */
  readonly plateauShare?: number;
  /** Fewer neighbours than this make the verdict `isolated` (default 2). */
  readonly minNeighbours?: number;
}

/**
 * `plateau`: at least `plateauShare` of the neighbours are close to the best value.
 * `spike`: enough neighbours, but fewer of them close. `isolated`: fewer than `minNeighbours`
 * neighbours with a finite value, so the grid cannot confirm the cell — treat it like a spike.
 */
export type PlateauVerdict = 'plateau' | 'spike' | 'isolated';

/** What `plateauCheck` returns; values in the units of the cells' metric. */
export interface PlateauCheckResult {
  readonly verdict: PlateauVerdict;
  readonly bestValue: number;
  /** Neighbours present in the grid with a finite value. */
  readonly neighbours: number;
  /** Indices into `cells` of those neighbours, in the order of `cells`. */
  readonly neighbourIndices: readonly number[];
  /** Mean, median and minimum of the neighbours' values (NaN without neighbours). */
  readonly neighbourMean: number;
  readonly neighbourMedian: number;
  readonly neighbourMin: number;
  /** bestValue / neighbourMean; NaN when the mean is 0 or missing; read it only when both are positive. */
  readonly ratioToNeighbourMean: number;
  /** Share of neighbours with value ≥ best − tolerance·|best| (NaN without neighbours). */
  readonly shareWithinTolerance: number;
  readonly tolerance: number;
}

/** Offsets in {−1, 0, 1}^d except the origin (moore), or ±1 along one axis (axis). */
function neighbourOffsets(dimensions: number, neighbourhood: Neighbourhood): number[][] {
  const offsets: number[][] = [];
  if (neighbourhood === 'axis') {
    for (let k = 0; k < dimensions; k++) {
      for (const step of [-1, 1]) offsets.push(Array.from({ length: dimensions }, (_, j) => (j === k ? step : 0)));
    }
    return offsets;
  }
  const count = 3 ** dimensions;
  for (let code = 0; code < count; code++) {
    const offset: number[] = [];
    let rest = code;
    for (let k = 0; k < dimensions; k++) {
      offset.push((rest % 3) - 1);
      rest = Math.floor(rest / 3);
    }
    if (offset.some((step) => step !== 0)) offsets.push(offset);
  }
  return offsets;
}

function indexByCoords(cells: readonly GridCell[], dimensions: number): Map<string, number> {
  const index = new Map<string, number>();
  cells.forEach((cell, i) => {
    if (cell.coords.length !== dimensions || !cell.coords.every(Number.isInteger)) {
      throw new RangeError(`plateauCheck: cells[${i}].coords must be ${dimensions} integers, got [${cell.coords.join(', ')}]`);
    }
    const key = cell.coords.join(',');
    const previous = index.get(key);
    if (previous !== undefined) throw new RangeError(`plateauCheck: cells[${previous}] and cells[${i}] share coords [${key}]`);
    index.set(key, i);
  });
  return index;
}

/**
 * Compares the metric of `cells[best]` with its grid neighbours (see `Neighbourhood`). Neighbours
 * that are absent from `cells` or have a non-finite value are skipped.
 * @returns the frozen neighbourhood statistics and verdict (see `PlateauVerdict`).
 * @throws RangeError when `best` is out of range, coords are not integers of one dimension, or
 * two cells share coords.
 */
export function plateauCheck(input: PlateauCheckInput): PlateauCheckResult {
  const { cells, best, neighbourhood = 'moore', tolerance = 0.25, plateauShare = 0.5, minNeighbours = 2 } = input;
  const centre = cells[best];
  if (centre === undefined || !Number.isInteger(best)) {
    throw new RangeError(`plateauCheck: best must index cells (0…${cells.length - 1}), got ${best}`);
  }
  const dimensions = centre.coords.length;
  const index = indexByCoords(cells, dimensions);
  const neighbourIndices: number[] = [];
  for (const offset of neighbourOffsets(dimensions, neighbourhood)) {
    const found = index.get(centre.coords.map((c, k) => c + offset[k]!).join(','));
    if (found !== undefined && Number.isFinite(cells[found]!.value)) neighbourIndices.push(found);
  }
  neighbourIndices.sort((a, b) => a - b);
  const values = neighbourIndices.map((i) => cells[i]!.value);
  const bestValue = centre.value;
  const count = values.length;
  const floor = bestValue - tolerance * Math.abs(bestValue);
  const close = values.filter((value) => value >= floor).length;
  const mean = count > 0 ? values.reduce((sum, value) => sum + value, 0) / count : Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(count / 2);
  const median = count === 0 ? Number.NaN : count % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const share = count > 0 ? close / count : Number.NaN;
  const verdict: PlateauVerdict = count < minNeighbours ? 'isolated' : share >= plateauShare ? 'plateau' : 'spike';
  return Object.freeze({
    verdict,
    bestValue,
    neighbours: count,
    neighbourIndices: Object.freeze(neighbourIndices),
    neighbourMean: mean,
    neighbourMedian: median,
    neighbourMin: count > 0 ? sorted[0]! : Number.NaN,
    ratioToNeighbourMean: mean === 0 || Number.isNaN(mean) ? Number.NaN : bestValue / mean,
    shareWithinTolerance: share,
    tolerance,
  });
}
