import { describe, expect, it } from 'vitest';
import { type GridCell, plateauCheck } from './plateau-check.js';

/** A 2-d grid from rows of values (row = first coordinate); null marks a cell filtered out. */
function grid(rows: readonly (readonly (number | null)[])[]): GridCell[] {
  const cells: GridCell[] = [];
  rows.forEach((row, i) => row.forEach((value, j) => value !== null && cells.push({ coords: [i, j], value })));
  return cells;
}

const indexOf = (cells: readonly GridCell[], i: number, j: number): number =>
  cells.findIndex((cell) => cell.coords[0] === i && cell.coords[1] === j);

describe('plateauCheck', () => {
  it('finds a plateau: the best is surrounded by close values', () => {
    // best 1.0 at the centre; neighbours 0.8…0.95, all ≥ 1.0 − 0.25 × 1.0 = 0.75
    const cells = grid([
      [0.8, 0.9, 0.85],
      [0.9, 1.0, 0.95],
      [0.8, 0.9, 0.8],
    ]);
    const result = plateauCheck({ cells, best: indexOf(cells, 1, 1) });
    expect(result.verdict).toBe('plateau');
    expect(result.neighbours).toBe(8);
    // mean (0.8 + 0.9 + 0.85 + 0.9 + 0.95 + 0.8 + 0.9 + 0.8) / 8 = 6.9 / 8 = 0.8625
    expect(result.neighbourMean).toBeCloseTo(0.8625, 14);
    // sorted 0.8 0.8 0.8 0.85 | 0.9 0.9 0.9 0.95 → median (0.85 + 0.9) / 2 = 0.875
    expect(result.neighbourMedian).toBeCloseTo(0.875, 14);
    expect(result.neighbourMin).toBe(0.8);
    expect(result.ratioToNeighbourMean).toBeCloseTo(1 / 0.8625, 14);
    expect(result.shareWithinTolerance).toBe(1);
  });

  it('finds a spike: one lucky cell among poor neighbours', () => {
    const cells = grid([
      [0.1, 0.2, 0.1],
      [0.0, 2.0, 1.6],
      [0.1, 0.3, 0.2],
    ]);
    const result = plateauCheck({ cells, best: indexOf(cells, 1, 1) });
    expect(result.verdict).toBe('spike');
    // only 1.6 ≥ 2.0 − 0.5 = 1.5 → 1 of 8
    expect(result.shareWithinTolerance).toBe(1 / 8);
    expect(result.ratioToNeighbourMean).toBeCloseTo(2.0 / (2.6 / 8), 12);
  });

  it('uses only the 2d axis neighbours when asked', () => {
    // axis neighbours of (1,1): 0.2 (up), 0.0 (left), 1.6 (right), 0.3 (down)
    const cells = grid([
      [1.9, 0.2, 1.9],
      [0.0, 2.0, 1.6],
      [1.9, 0.3, 1.9],
    ]);
    const moore = plateauCheck({ cells, best: indexOf(cells, 1, 1) });
    const axis = plateauCheck({ cells, best: indexOf(cells, 1, 1), neighbourhood: 'axis' });
    expect(moore.shareWithinTolerance).toBe(5 / 8);
    expect(moore.verdict).toBe('plateau');
    expect(axis.neighbours).toBe(4);
    expect(axis.neighbourIndices.map((i) => cells[i]!.value)).toEqual([0.2, 0.0, 1.6, 0.3]);
    expect(axis.shareWithinTolerance).toBe(1 / 4);
    expect(axis.verdict).toBe('spike');
  });

  it('skips cells missing from the grid or without a finite value, and calls a lone cell isolated', () => {
    const cells = grid([
      [null, null, null],
      [null, 1.0, Number.NaN],
      [null, 0.9, null],
    ]);
    const result = plateauCheck({ cells, best: indexOf(cells, 1, 1) });
    expect(result.neighbours).toBe(1);
    expect(result.verdict).toBe('isolated');
    expect(plateauCheck({ cells, best: indexOf(cells, 1, 1), minNeighbours: 1 }).verdict).toBe('plateau');
  });

  it('handles a corner cell, a negative best and custom thresholds', () => {
    // corner (0,0): neighbours (0,1) = −1.1, (1,0) = −1.4, (1,1) = −2; floor = −1 − 0.25 = −1.25
    const cells = grid([
      [-1.0, -1.1],
      [-1.4, -2.0],
    ]);
    const result = plateauCheck({ cells, best: 0 });
    expect(result.neighbours).toBe(3);
    expect(result.shareWithinTolerance).toBeCloseTo(1 / 3, 15);
    expect(result.verdict).toBe('spike');
    expect(plateauCheck({ cells, best: 0, plateauShare: 0.3 }).verdict).toBe('plateau');
    expect(plateauCheck({ cells, best: 0, tolerance: 1 }).shareWithinTolerance).toBe(1);
  });

  it('works in three dimensions (26 Moore neighbours)', () => {
    const cells: GridCell[] = [];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 3; c++) cells.push({ coords: [a, b, c], value: a === 1 && b === 1 && c === 1 ? 1 : 0.9 });
    const result = plateauCheck({ cells, best: 13 });
    expect(result.neighbours).toBe(26);
    expect(result.verdict).toBe('plateau');
    expect(plateauCheck({ cells, best: 13, neighbourhood: 'axis' }).neighbours).toBe(6);
  });

  it('rejects malformed grids', () => {
    const cells = grid([[1, 2]]);
    expect(() => plateauCheck({ cells, best: 5 })).toThrow(RangeError);
    expect(() => plateauCheck({ cells: [...cells, { coords: [0, 1], value: 3 }], best: 0 })).toThrow(/share coords/);
    expect(() => plateauCheck({ cells: [...cells, { coords: [0], value: 3 }], best: 0 })).toThrow(/2 integers/);
    expect(() => plateauCheck({ cells: [...cells, { coords: [0, 0.5], value: 3 }], best: 0 })).toThrow(/2 integers/);
  });
});
