import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng.js';
import { parseExperiment } from './experiment-spec.js';
import { gridOverfitting } from './grid-overfitting.js';
import { deflatedSharpeRatio } from './overfitting/deflated-sharpe.js';
import { METRIC_COLUMNS, type GridRow, type MetricName } from './results-columns.js';
import type { ReturnsMatrix } from './returns-file.js';

const experiment = parseExperiment({
  data: 'x.csv', strategy: 'sma-cross', sweep: { fast: [5, 10, 15], slow: [30, 40, 50] }, ranking: { metric: 'sharpe', order: 'desc' },
});
const DAYS = 320;

/** 9 cells (3 × 3): cell c earns a drift growing with c plus seeded noise. */
function fixture(): { rows: GridRow[]; returns: ReturnsMatrix } {
  const rng = new Rng(42);
  const values = new Float32Array(9 * DAYS);
  const rows: GridRow[] = [];
  for (let c = 0; c < 9; c++) {
    let sum = 0;
    for (let d = 0; d < DAYS; d++) {
      const r = 0.0002 * c + (rng.next() - 0.5) * 0.02;
      values[c * DAYS + d] = r;
      sum += r;
    }
    const metrics = Object.fromEntries(METRIC_COLUMNS.map((n) => [n, 0])) as Record<MetricName, number | null>;
    metrics.sharpe = sum; // any score that grows with c
    rows.push({ cell: c, params: { fast: [5, 10, 15][Math.floor(c / 3)]!, slow: [30, 40, 50][c % 3]! }, metrics, digest: '' });
  }
  return { rows, returns: { days: DAYS, cells: Int32Array.from(rows, (r) => r.cell), values } };
}

describe('gridOverfitting', () => {
  it('counts every cell as a trial and deflates the best cell by the trials\' Sharpe variance', () => {
    const { rows, returns } = fixture();
    const result = gridOverfitting(experiment, rows, returns, rows[8]);
    expect(result.trials).toBe(9);
    const dsr = result.overfitting.deflatedSharpe!;
    expect(dsr.cell).toBe(8);
    expect(dsr.observations).toBe(DAYS);
    const series = rows.map((_, r) => Float64Array.from(returns.values.subarray(r * DAYS, (r + 1) * DAYS)));
    const direct = deflatedSharpeRatio({ bestReturns: series[8]!, trialSharpes: Float64Array.from(series, (s) => mean(s) / std(s)) });
    expect(dsr.dsr).toBeCloseTo(direct.dsr, 12);
    expect(dsr.sharpeAnnualized).toBeCloseTo(direct.bestSharpe * Math.sqrt(252), 12);
    expect(result.overfitting.pbo).toMatchObject({ partitions: 16, totalCombinations: 12870, combinations: 12870 });
    expect(result.overfitting.notes).toEqual([]);
  });

  it('checks the plateau of the best cell among its parameter-space neighbours', () => {
    const { rows, returns } = fixture();
    const result = gridOverfitting(experiment, rows, returns, rows[4]);
    // Cell 4 (fast 10, slow 40) is the centre of the 3 × 3 grid: 8 neighbours.
    expect(result.plateau).toMatchObject({ cell: 4, neighbours: 8 });
    const corner = gridOverfitting(experiment, rows, returns, rows[8]);
    expect(corner.plateau!.neighbours).toBe(3);
  });

  it('skips DSR and plateau when no cell passed the filters, and says why a part could not be computed', () => {
    const { rows, returns } = fixture();
    const result = gridOverfitting(experiment, rows, returns, undefined);
    expect(result.overfitting.deflatedSharpe).toBeNull();
    expect(result.plateau).toBeNull();
    expect(result.overfitting.notes).toEqual(['no cell passed the filters: no Deflated Sharpe Ratio or plateau check']);
    const short = gridOverfitting(experiment, rows.slice(0, 2), { days: 4, cells: Int32Array.of(0, 1), values: new Float32Array(8).fill(0.01) }, rows[0]);
    expect(short.overfitting.pbo).toBeNull();
    expect(short.overfitting.notes.some((n) => n.startsWith('PBO: '))).toBe(true);
    expect(short.overfitting.notes.some((n) => n.startsWith('Deflated Sharpe Ratio: '))).toBe(true);
  });
});

function mean(x: Float64Array): number {
  return x.reduce((a, b) => a + b, 0) / x.length;
}

function std(x: Float64Array): number {
  const m = mean(x);
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
}
