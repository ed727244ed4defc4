import { sweepValues } from './cells.js';
import type { Experiment, ParamValue } from './experiment.js';
import { annualizeSharpe, deflatedSharpeRatio } from './overfitting/deflated-sharpe.js';
import { plateauCheck, type GridCell } from './overfitting/plateau-check.js';
import { probabilityOfBacktestOverfitting } from './overfitting/probability-of-backtest-overfitting.js';
import { scoreOf } from './ranking.js';
import type { GridRow } from './results-columns.js';
import { returnsRow, type ReturnsMatrix } from './returns-file.js';

/** Deflated Sharpe Ratio of the best cell (Sharpe ratios per day unless `…Annualized`). */
export interface DeflatedSharpeSummary {
  readonly cell: number;
  /** Probability that the best cell's true Sharpe is above what the best of `trials` lucky ones reaches. */
  readonly dsr: number | null;
  /** Probabilistic Sharpe Ratio against 0 (no deflation). */
  readonly psr: number | null;
  readonly sharpe: number;
  readonly sharpeAnnualized: number;
  /** The expected best Sharpe of `trials` skill-less cells (the deflation threshold). */
  readonly expectedMaxSharpe: number;
  readonly expectedMaxSharpeAnnualized: number;
  /** Variance of the trials' daily Sharpe ratios. */
  readonly sharpeVariance: number;
  readonly skewness: number;
  /** Raw kurtosis (3 for a normal). */
  readonly kurtosis: number;
  readonly observations: number;
}

/** Probability of Backtest Overfitting by CSCV. */
export interface PboSummary {
  readonly pbo: number;
  readonly partitions: number;
  readonly combinations: number;
  readonly totalCombinations: number;
  /** Share of splits whose in-sample best loses money out of sample (Sharpe < 0). */
  readonly outOfSampleLossProbability: number;
  readonly observations: number;
}

/** Plateau check of the best cell among its grid neighbours (by the ranking score). */
export interface PlateauSummary {
  readonly cell: number;
  readonly verdict: 'plateau' | 'spike' | 'isolated';
  readonly score: number;
  readonly neighbours: number;
  readonly neighbourMean: number | null;
  readonly neighbourMin: number | null;
  readonly shareWithinTolerance: number | null;
  readonly tolerance: number;
}

/** The research-honesty statistics of a finished grid; a part is null when it cannot be computed (`notes` says why). */
export interface GridOverfitting {
  /** Number of trials: every cell run, filtered or not. */
  readonly trials: number;
  readonly overfitting: {
    readonly deflatedSharpe: DeflatedSharpeSummary | null;
    readonly pbo: PboSummary | null;
    readonly notes: readonly string[];
  };
  readonly plateau: PlateauSummary | null;
}

/** Beyond this many cells × splits × partitions, PBO evaluates a seeded sample of the splits. */
const PBO_WORK_LIMIT = 200_000_000;

/**
 * Number of trials, Deflated Sharpe Ratio of the best cell, PBO by CSCV over every cell's daily
 * returns (`experiment.pboPartitions` blocks), and the plateau check of the best cell.
 * @param rows every cell, in cell order (row r's returns are row r of `returns`).
 * @param best the top-ranked row, or undefined when no cell passed the filters.
 */
export function gridOverfitting(experiment: Experiment, rows: readonly GridRow[], returns: ReturnsMatrix, best: GridRow | undefined): GridOverfitting {
  const notes: string[] = [];
  // Views of the float32 rows: PBO and the trials' Sharpe ratios read them in place (a float64 copy
  // of every row was 0.1–0.3 s and 128 MB on a 3,120-cell grid); the best cell's row is copied.
  const series = rows.map((_, r) => returnsRow(returns, r));
  const bestRow = best === undefined ? -1 : rows.indexOf(best);
  let deflatedSharpe: DeflatedSharpeSummary | null = null;
  if (bestRow < 0) notes.push('no cell passed the filters: no Deflated Sharpe Ratio or plateau check');
  else {
    try {
      const d = deflatedSharpeRatio({ bestReturns: new Float64Array(series[bestRow]!), trialSharpes: Float64Array.from(series, dailySharpe) });
      deflatedSharpe = {
        cell: best!.cell, dsr: finiteOrNull(d.dsr), psr: finiteOrNull(d.psr0), sharpe: d.bestSharpe, sharpeAnnualized: annualizeSharpe(d.bestSharpe),
        expectedMaxSharpe: d.sr0, expectedMaxSharpeAnnualized: annualizeSharpe(d.sr0), sharpeVariance: d.sharpeVariance,
        skewness: d.skewness, kurtosis: d.kurtosis, observations: d.observations,
      };
    } catch (error) {
      notes.push(`Deflated Sharpe Ratio: ${reason(error)}`);
    }
  }
  let pbo: PboSummary | null = null;
  try {
    const partitions = experiment.pboPartitions;
    const splits = Math.max(1, Math.floor(PBO_WORK_LIMIT / Math.max(1, series.length * partitions)));
    const p = probabilityOfBacktestOverfitting({ returns: series, partitions, maxCombinations: splits, seed: experiment.seed });
    pbo = {
      pbo: p.pbo, partitions: p.partitions, combinations: p.combinations, totalCombinations: p.totalCombinations,
      outOfSampleLossProbability: p.outOfSampleLossProbability, observations: p.observations,
    };
  } catch (error) {
    notes.push(`PBO: ${reason(error)}`);
  }
  const plateau = bestRow < 0 ? null : plateauOf(experiment, rows, bestRow, notes);
  return { trials: rows.length, overfitting: { deflatedSharpe, pbo, notes }, plateau };
}

function plateauOf(experiment: Experiment, rows: readonly GridRow[], bestRow: number, notes: string[]): PlateauSummary | null {
  const axes = Object.entries(experiment.sweep).map(([name, spec]) => ({ name, values: sweepValues(spec) }));
  if (axes.length === 0) {
    notes.push('plateau check: nothing is swept');
    return null;
  }
  const cells: GridCell[] = rows.map((row) => ({
    coords: axes.map((axis) => axis.values.findIndex((v: ParamValue) => v === row.params[axis.name])),
    value: scoreOf(row, experiment.ranking) ?? Number.NaN,
  }));
  if (experiment.ranking.kind === 'metric' && experiment.ranking.order === 'asc') {
    // Lower is better: negate so the check's "higher is better" holds.
    for (const cell of cells) (cell as { value: number }).value = -cell.value;
  }
  const centre = cells[bestRow]!;
  if (!Number.isFinite(centre.value)) {
    notes.push('plateau check: the best cell has no score');
    return null;
  }
  try {
    const p = plateauCheck({ cells, best: bestRow });
    return {
      cell: rows[bestRow]!.cell, verdict: p.verdict, score: scoreOf(rows[bestRow]!, experiment.ranking)!, neighbours: p.neighbours,
      neighbourMean: finiteOrNull(p.neighbourMean), neighbourMin: finiteOrNull(p.neighbourMin),
      shareWithinTolerance: finiteOrNull(p.shareWithinTolerance), tolerance: p.tolerance,
    };
  } catch (error) {
    notes.push(`plateau check: ${reason(error)}`);
    return null;
  }
}

/** Daily Sharpe ratio (mean / sample std), 0 without dispersion. */
/** Mean ÷ sample standard deviation of daily returns (0 with fewer than 2 or no spread). */
export function dailySharpe(returns: ArrayLike<number>): number {
  const n = returns.length;
  if (n < 2) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += returns[i]!;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (returns[i]! - mean) ** 2;
  const std = Math.sqrt(squares / (n - 1));
  return std > 1e-15 ? mean / std : 0;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^[A-Za-z]+: /, '');
}
