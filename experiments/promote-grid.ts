import { readFileSync } from 'node:fs';
import { dailySharpe } from './grid-overfitting.js';
import { join } from 'node:path';
import { findStrategy } from '../strategies/index.js';
import type { Experiment } from './experiment.js';
import { readManifest, type GridManifest } from './grid-manifest.js';
import { deflatedSharpeRatio } from './overfitting/deflated-sharpe.js';
import { passesFilters, rankRows } from './ranking.js';
import { completeLines, csvHeaderLine, parseCsvRow } from './results-csv.js';
import { resultsLayout, type GridRow } from './results-columns.js';
import { GRID_FILES } from './results-store.js';
import { decodeReturns, returnsRow, type ReturnsMatrix } from './returns-file.js';

/** The promote side of a grid folder: reading it back, choosing a cell, and the promotion gate. */

/** Default `--min-dsr`: the promoted cell's Deflated Sharpe Ratio must be at least this. */
export const DEFAULT_MIN_DSR = 0.5;

/** Why a cell may or may not be promoted; `reasons` lists every check it fails (empty when it passes). */
export interface PaperGate {
  readonly passedFilters: boolean;
  readonly deflatedSharpe: number | null;
  readonly minDeflatedSharpe: number;
  readonly reasons: readonly string[];
}

/** Which cell of a grid: by place after the filters and ranking, or by cell index. */
export type CellSelection = { readonly rank: number } | { readonly cell: number };

/** A promotion that cannot be done: `usage` (exit 2: bad flag, folder or name) or `refused` (exit 1: gate, data, reproduction). */
export class PromoteError extends Error {
  override readonly name = 'PromoteError';
  constructor(
    message: string,
    readonly kind: 'usage' | 'refused',
  ) {
    super(message);
  }
}

/** The fields of `experiment.json` promote reads. */
export type GridExperiment = Pick<Experiment, 'name' | 'data' | 'strategy' | 'fixedParams' | 'options' | 'ranking' | 'filters'> & { readonly sweep: Readonly<Record<string, unknown>> };

/** A grid results folder read back. */
export interface GridFolder {
  readonly dir: string;
  readonly manifest: GridManifest;
  readonly experiment: GridExperiment;
  /** Every cell, in cell order; row r's daily returns are row r of `returns`. */
  readonly rows: readonly GridRow[];
  readonly returns: ReturnsMatrix;
}

/**
 * Reads a grid results folder back: manifest, resolved experiment, every row of `results.csv` and
 * `returns.f32`. Throws {@link PromoteError} (refused) when the run is not complete or the files do
 * not agree.
 */
export function readGridFolder(dir: string): GridFolder {
  const manifest = readJson<GridManifest>(join(dir, GRID_FILES.manifest), readManifest);
  const experiment = readJson<GridExperiment>(join(dir, GRID_FILES.experiment));
  if (manifest.status !== 'complete' || manifest.completedCells !== manifest.cells) {
    throw new PromoteError(`${dir}: the grid is ${manifest.status} (${manifest.completedCells} of ${manifest.cells} cells) — let it finish, or resume it: replaylab grid ${manifest.experiment.file ?? 'EXPERIMENT.json'} --out ${dir} --resume`, 'refused');
  }
  const strategy = findStrategy(experiment.strategy);
  if (strategy === undefined) throw new PromoteError(`${dir}: unknown strategy ${JSON.stringify(experiment.strategy)} in ${GRID_FILES.experiment}`, 'refused');
  const layout = resultsLayout(strategy.params, Object.keys(experiment.sweep));
  const { lines } = completeLines(readFileSync(join(dir, GRID_FILES.csv)));
  if (`${lines[0] ?? ''}\n` !== csvHeaderLine(layout)) throw new PromoteError(`${join(dir, GRID_FILES.csv)}: its columns do not match ${GRID_FILES.experiment}`, 'refused');
  const rows = lines.slice(1).map((line, k) => {
    try {
      return parseCsvRow(layout, line);
    } catch (error) {
      throw new PromoteError(`${join(dir, GRID_FILES.csv)}:${k + 2}: ${error instanceof Error ? error.message : String(error)}`, 'refused');
    }
  });
  const returns = decodeReturns(readFileSync(join(dir, GRID_FILES.returns)), manifest.returnsPerCell);
  if (rows.length !== manifest.cells || returns.cells.length !== rows.length || rows.some((row, r) => returns.cells[r] !== row.cell)) {
    throw new PromoteError(`${dir}: ${GRID_FILES.csv} (${rows.length} rows) and ${GRID_FILES.returns} (${returns.cells.length} records) do not hold the manifest's ${manifest.cells} cells in order`, 'refused');
  }
  return { dir, manifest, experiment, rows, returns };
}

/**
 * The row a selection names: `rank` among the cells that pass the experiment's filters, ranked as
 * the grid ranks them, or `cell` by index (passing or not). Throws {@link PromoteError} (usage).
 */
export function selectCell(grid: Pick<GridFolder, 'rows' | 'experiment' | 'dir'>, select: CellSelection): { row: GridRow; rank: number | null } {
  const { ranked, passed } = rankRows(grid.rows, grid.experiment.ranking, grid.experiment.filters);
  if ('cell' in select) {
    const row = grid.rows.find((r) => r.cell === select.cell);
    if (row === undefined) throw new PromoteError(`--cell ${select.cell}: ${grid.dir} has cells 0…${grid.rows.length - 1}`, 'usage');
    return { row, rank: ranked.find((r) => r.row === row)?.rank ?? null };
  }
  const chosen = ranked[select.rank - 1];
  if (chosen === undefined) {
    if (passed === 0) throw new PromoteError(`no cell of ${grid.dir} passed the experiment's filters — nothing to promote by rank; name one with --cell ID (the gate refuses it unless --force)`, 'usage');
    throw new PromoteError(`--rank ${select.rank}: only ${passed} of ${grid.rows.length} cells passed the experiment's filters — choose --rank 1…${passed}`, 'usage');
  }
  return { row: chosen.row, rank: chosen.rank };
}

/**
 * The promotion gate of one cell: the experiment's quality filters, and its Deflated Sharpe Ratio
 * (as the grid computes it for its best cell: every cell is a trial, their daily Sharpe variance
 * sets the deflation, the cell's own daily returns its skew and kurtosis) against `minDsr`.
 * `minDsr` 0 switches the DSR check off.
 */
export function promotionGate(grid: Pick<GridFolder, 'rows' | 'returns' | 'experiment'>, row: GridRow, minDsr: number): PaperGate {
  const reasons = filterFailures(row, grid.experiment.filters);
  const passedFilters = passesFilters(row, grid.experiment.filters);
  if (!passedFilters && reasons.length === 0) reasons.push("fails the experiment's filters");
  // Sharpe ratios straight from the float32 records (the same doubles the grid's copies hold).
  const trialSharpes = Float64Array.from(grid.rows, (_, r) => dailySharpe(returnsRow(grid.returns, r)));
  let dsr: number | null = null;
  let why = '';
  try {
    const d = deflatedSharpeRatio({ bestReturns: new Float64Array(returnsRow(grid.returns, grid.rows.indexOf(row))), trialSharpes });
    dsr = Number.isFinite(d.dsr) ? d.dsr : null;
    if (dsr === null) why = 'its return moments give no finite value';
  } catch (error) {
    why = error instanceof Error ? error.message.replace(/^[A-Za-z]+: /, '') : String(error);
  }
  if (minDsr > 0) {
    if (dsr === null) reasons.push(`its Deflated Sharpe Ratio cannot be computed (${why}) and --min-dsr is ${minDsr}`);
    else if (dsr < minDsr) {
      // Three decimals, unless they round up to the bound (0.4996 is not "0.500 < 0.5").
      const shown = Number(dsr.toFixed(3)) < minDsr ? dsr.toFixed(3) : round(dsr);
      reasons.push(`Deflated Sharpe Ratio ${shown} < --min-dsr ${minDsr} (${grid.rows.length} trials)`);
    }
  }
  return Object.freeze({ passedFilters, deflatedSharpe: dsr, minDeflatedSharpe: minDsr, reasons: Object.freeze(reasons) });
}

/** Each quality filter a row fails, as `metric value vs bound` (empty when it passes them all). */
export function filterFailures(row: GridRow, filters: Experiment['filters']): string[] {
  const out: string[] = [];
  const check = (metric: keyof GridRow['metrics'], filter: string, bound: number | undefined, atLeast: boolean): void => {
    if (bound === undefined) return;
    const value = row.metrics[metric];
    if (value === null || !Number.isFinite(value)) out.push(`${metric} is undefined (filter ${filter} ${bound})`);
    else if (atLeast ? value < bound : value > bound) out.push(`${metric} ${round(value)} ${atLeast ? '<' : '>'} ${filter} ${bound}`);
  };
  check('tradesClosed', 'minTrades', filters.minTrades, true);
  check('winRatePct', 'minWinRatePct', filters.minWinRatePct, true);
  check('totalReturnPct', 'minReturnPct', filters.minReturnPct, true);
  check('sharpe', 'minSharpe', filters.minSharpe, true);
  check('maxDrawdownPct', 'maxDrawdownPct', filters.maxDrawdownPct, false);
  return out;
}


/** Reads a JSON file (with `read`, default `JSON.parse`); an unreadable one is a refusal naming the file. */
export function readJson<T>(path: string, read: (path: string) => T = (p) => JSON.parse(readFileSync(p, 'utf8')) as T): T {
  try {
    return read(path);
  } catch (error) {
    throw new PromoteError(`${path}: unreadable (${error instanceof Error ? error.message : String(error)})`, 'refused');
  }
}

function round(value: number): string {
  return Number(value.toPrecision(6)).toString();
}
