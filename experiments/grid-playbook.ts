import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BarSeries } from '../engine/bars.js';
import { runBacktest } from '../engine/backtest.js';
import type { RegimeRow } from '../engine/metrics/regime-metrics.js';
import type { StrategyDefinition } from '../engine/strategy.js';
import type { Experiment, ParamValue } from './experiment.js';
import { choosePerRegime, runPlaybook, type Playbook, type RunFigures } from './playbook.js';
import type { RankingResult } from './ranking.js';
import type { GridRow } from './results-columns.js';
import { regimeRows, tradeJson } from './run-json.js';

/** Files a grid with a `regimes` block adds to its folder. */
export const REGIME_FILES = Object.freeze({
  regimes: 'regimes.json',
  playbook: 'playbook.json',
  /** The switching run's trades (trade JSON, one per line) and its events (regime changes, switches). */
  playbookTrades: 'playbook-trades.jsonl',
  playbookEvents: 'playbook-events.jsonl',
});

/**
 * The regime part of a finished grid: every cell's per-regime figures (`regimes.json`, in cell
 * order; cells finished before a resume are recomputed here, so the file is always whole) and the
 * playbook (`playbook.json`). Returns the playbook.
 */
export function writeRegimeResults(input: {
  readonly experiment: Experiment;
  readonly strategy: StrategyDefinition;
  readonly bars: readonly BarSeries[];
  readonly rows: readonly GridRow[];
  readonly params: ReadonlyMap<number, Readonly<Record<string, ParamValue>>>;
  readonly regimesByCell: Map<number, readonly RegimeRow[]>;
  readonly ranking: RankingResult;
  readonly outDir: string;
}): Playbook {
  const { experiment, strategy, bars, rows, regimesByCell } = input;
  for (const row of rows) {
    if (regimesByCell.has(row.cell)) continue;
    const result = runBacktest({ data: bars, strategy, params: input.params.get(row.cell)!, options: experiment.options, keepSeries: false, keepEvents: false });
    if (result.digest !== row.digest) throw new Error(`cell ${row.cell}: recomputed digest ${result.digest} differs from the results file's ${row.digest}`);
    regimesByCell.set(row.cell, regimeRows(result.regimes!));
  }
  const cells = rows.map((row) => ({ cell: row.cell, params: row.params, regimes: regimesByCell.get(row.cell)! }));
  writeFileSync(join(input.outDir, REGIME_FILES.regimes), `${JSON.stringify({ cells }, null, 1)}\n`);

  const { ranking, choices } = choosePerRegime(experiment, rows, regimesByCell);
  const run = runPlaybook(experiment, strategy, bars, choices);
  const best = input.ranking.ranked[0]?.row;
  const comparison: RunFigures[] = [run.figures];
  if (best !== undefined) {
    const m = best.metrics;
    comparison.push({
      name: `best single cell (${best.cell})`,
      finalEquity: m.finalEquity ?? Number.NaN,
      totalReturnPct: m.totalReturnPct ?? Number.NaN,
      sharpe: m.sharpe,
      maxDrawdownPct: m.maxDrawdownPct ?? Number.NaN,
      tradesClosed: m.tradesClosed ?? 0,
    });
  }
  const playbook: Playbook = { dimension: 'vol', ranking, choices, comparison, digest: run.digest };
  writeFileSync(join(input.outDir, REGIME_FILES.playbook), `${JSON.stringify(playbook, null, 2)}\n`);
  writeFileSync(join(input.outDir, REGIME_FILES.playbookTrades), jsonLines(run.result.trades.map(tradeJson)));
  writeFileSync(join(input.outDir, REGIME_FILES.playbookEvents), jsonLines(run.result.events));
  return playbook;
}

function jsonLines(items: readonly unknown[]): string {
  return items.map((item) => `${JSON.stringify(item)}\n`).join('');
}
