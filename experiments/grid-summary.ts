import type { Experiment, ParamValue } from './experiment.js';
import type { GridOverfitting } from './grid-overfitting.js';
import type { Playbook, RunFigures } from './playbook.js';
import type { RankingResult } from './ranking.js';
import type { GridRow, RowMetrics } from './results-columns.js';

/** One of the top cells in the summary. */
export interface TopCell {
  readonly rank: number;
  readonly cell: number;
  /** Swept params. */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly metrics: RowMetrics;
  /** The ranking metric or composite score. */
  readonly score: number | null;
  readonly digest: string;
}

/** `summary.json` and the `grid --json` document. */
export interface GridSummary extends GridOverfitting {
  /** With a `regimes` block: the playbook (also in playbook.json). */
  readonly playbook?: Playbook;
  /** With a `regimes` block: the playbook's choice per regime, as rows (for the report). */
  readonly regimes?: readonly Record<string, string | number | null>[];
  /** With a `regimes` block: the switching run beside the best single cell (for the report). */
  readonly regimeComparison?: readonly RunFigures[];
  readonly experiment: string;
  /** Cells in the grid. */
  readonly cells: number;
  /** Cells that passed the quality filters. */
  readonly passed: number;
  readonly top: readonly TopCell[];
  readonly outDir: string;
}

/** Assembles the summary of a finished grid: the top `top` ranked cells and the overfitting statistics. */
export function gridSummary(input: {
  readonly experiment: Experiment;
  readonly rows: readonly GridRow[];
  readonly ranking: RankingResult;
  readonly top: number;
  readonly overfitting: GridOverfitting;
  readonly outDir: string;
  readonly playbook?: Playbook | undefined;
}): GridSummary {
  const { experiment, rows, ranking, overfitting } = input;
  return {
    experiment: experiment.name,
    cells: rows.length,
    passed: ranking.passed,
    top: ranking.ranked.slice(0, Math.max(0, input.top)).map(({ rank, row, score }) => ({
      rank, cell: row.cell, params: row.params, metrics: row.metrics, score, digest: row.digest,
    })),
    trials: overfitting.trials,
    overfitting: overfitting.overfitting,
    plateau: overfitting.plateau,
    outDir: input.outDir,
    ...(input.playbook === undefined
      ? {}
      : {
          playbook: input.playbook,
          regimes: input.playbook.choices.map((c) => ({
            regime: c.regime,
            cell: c.cell,
            passed: c.passed,
            trades: c.inRegime?.trades ?? null,
            returnPct: c.inRegime?.returnPct ?? null,
            sharpe: c.inRegime?.sharpe ?? null,
            maxDrawdownPct: c.inRegime?.maxDrawdownPct ?? null,
          })),
          regimeComparison: input.playbook.comparison,
        }),
  };
}
