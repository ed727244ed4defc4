import type { CellResult } from '../experiments/grid-worker.js';
import { METRIC_COLUMNS, rowMetrics, type RowMetrics } from '../experiments/results-columns.js';
import { dailyReturnsOf } from '../experiments/returns-file.js';
import { floorSmaCross } from './floor.js';
import { floorSmaCrossFull } from './floor-full.js';
import type { GridSetup } from './grid-setup.js';

/**
 * The per-core floors of a grid: a floor loop over every cell's periods, one after the other on
 * the main thread, and the check that the grid's cells computed what the floor did (so a speed
 * ratio compares equal work). Two floors, as in the in-process bench: {@link floorCells} runs
 * `floor.ts` (trades only, the strictest limit); {@link floorCellsFull} runs `floor-full.ts` and
 * produces what a grid worker returns per cell (`experiments/grid-worker.ts`): the stored metric
 * columns, the digest and the float32 daily returns.
 */

/** What each cell must come out as (the floor's figures, which the engine matches bit for bit). */
export interface CellOutcome {
  readonly closedTrades: number;
  readonly openTrades: number;
  readonly finalEquity: number;
  readonly maxDrawdownPct: number;
  /** The cell's digest (same-output floor only). */
  readonly digest?: string;
  /** The cell's stored metrics, `rowMetrics` of its metrics (same-output floor only). */
  readonly metrics?: RowMetrics;
  /** Daily returns from day-end equity, float32, as the worker stores them (same-output floor only). */
  readonly returns?: Float32Array;
}

/** Runs the trades-only floor over every cell of `setup` (positions `0 … cells-1`); one outcome per cell. */
export function floorCells(setup: GridSetup, bars = setup.bars): CellOutcome[] {
  const { open, close } = bars;
  return setup.periods.map(({ fast, slow }) => {
    const r = floorSmaCross({ open, close, fast, slow, initialCapital: setup.initialCapital, commissionRate: 0 });
    return { closedTrades: r.closedTrades, openTrades: r.openTrades, finalEquity: r.finalEquity, maxDrawdownPct: r.maxDrawdownPct };
  });
}

/**
 * Runs the same-output floor over every cell of `setup`: per cell what a grid worker returns
 * (metric columns, digest, daily returns), computed by one plain loop per cell plus the same
 * finishing steps the worker takes (`rowMetrics`, `dailyReturnsOf`).
 */
export function floorCellsFull(setup: GridSetup, bars = setup.bars): CellOutcome[] {
  const { open, close, timeMs, symbol } = bars;
  const riskFreeRate = setup.experiment.options.riskFreeRate ?? 0;
  return setup.periods.map(({ fast, slow }) => {
    const r = floorSmaCrossFull({ open, close, timeMs, symbol, fast, slow, initialCapital: setup.initialCapital, commissionRate: 0, riskFreeRate, keepDayEnds: true });
    const m = r.metrics;
    return {
      closedTrades: m.tradesClosed,
      openTrades: m.tradesOpen,
      finalEquity: m.finalEquity,
      maxDrawdownPct: m.maxDrawdownPct,
      digest: r.digest,
      metrics: rowMetrics(m),
      returns: dailyReturnsOf(r.summary.dayEndEquity!),
    };
  });
}

/** A finished cell as the checks read it (pool results carry `returns`, `runGrid` rows do not). */
export type CheckedCell = Pick<CellResult, 'position' | 'cell' | 'metrics' | 'digest'> & { readonly returns?: Float32Array };

/**
 * Checks one finished pass: every position exactly once, each cell's trades, final equity and
 * drawdown equal to the floor's — and, when `expected` comes from {@link floorCellsFull}, its
 * digest, every metric column (Object.is) and its daily returns — and each digest equal to the one
 * recorded first (`digests`, filled on the first pass), so 1 and N workers give the same result.
 * With `returns` (the default) every result must carry its daily returns; `returns: false` skips
 * them. Throws `Error` naming the cell.
 */
export function checkPass(
  label: string,
  expected: readonly CellOutcome[],
  results: readonly CheckedCell[],
  digests: (string | undefined)[],
  options: { readonly returns?: boolean } = {},
): void {
  const checkReturns = options.returns ?? true;
  if (results.length !== expected.length) throw new Error(`${label}: ${results.length} cell results, expected ${expected.length}`);
  const seen = new Uint8Array(expected.length);
  for (const r of results) {
    const want = expected[r.position];
    if (want === undefined || seen[r.position] === 1) throw new Error(`${label}: unexpected or repeated position ${r.position}`);
    seen[r.position] = 1;
    const m = r.metrics;
    const same =
      m.tradesClosed === want.closedTrades &&
      m.tradesOpen === want.openTrades &&
      Object.is(m.finalEquity, want.finalEquity) &&
      Object.is(m.maxDrawdownPct, want.maxDrawdownPct);
    if (!same) {
      const got = { closedTrades: m.tradesClosed, openTrades: m.tradesOpen, finalEquity: m.finalEquity, maxDrawdownPct: m.maxDrawdownPct };
      const { closedTrades, openTrades, finalEquity, maxDrawdownPct } = want;
      throw new Error(`${label}: cell ${r.cell} disagrees with the floor, so no ratio is meaningful — expected ${JSON.stringify({ closedTrades, openTrades, finalEquity, maxDrawdownPct })}, got ${JSON.stringify(got)}`);
    }
    if (want.digest !== undefined && r.digest !== want.digest) {
      throw new Error(`${label}: cell ${r.cell} digest ${r.digest} differs from the same-output floor's ${want.digest}`);
    }
    const wantMetrics = want.metrics;
    if (wantMetrics !== undefined) {
      const wrong = METRIC_COLUMNS.filter((name) => !Object.is(m[name], wantMetrics[name]));
      if (wrong.length > 0) {
        const detail = wrong.map((name) => `${name} ${String(m[name])} vs ${String(wantMetrics[name])}`).join(', ');
        throw new Error(`${label}: cell ${r.cell} metrics differ from the same-output floor's: ${detail}`);
      }
    }
    if (checkReturns && r.returns === undefined) throw new Error(`${label}: cell ${r.cell} came without its daily returns to check`);
    if (checkReturns && want.returns !== undefined && !sameFloats(r.returns!, want.returns)) {
      throw new Error(`${label}: cell ${r.cell} daily returns differ from the same-output floor's`);
    }
    const digest = digests[r.position];
    if (digest === undefined) digests[r.position] = r.digest;
    else if (digest !== r.digest) throw new Error(`${label}: cell ${r.cell} digest ${r.digest} differs from an earlier run's ${digest}`);
  }
}

/** Same length and the same bits (NaN equal to NaN). */
function sameFloats(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
