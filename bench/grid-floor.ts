import type { CellResult } from '../experiments/grid-worker.js';
import { floorSmaCross } from './floor.js';
import type { GridSetup } from './grid-setup.js';

/**
 * The per-core floor of a grid: `floor.ts`'s plain loop over every cell's periods, one after the
 * other on the main thread, and the check that the grid's cells computed what the floor did (so a
 * speed ratio compares equal work).
 */

/** What each cell must come out as (the floor's figures, which the engine matches bit for bit). */
export interface CellOutcome {
  readonly closedTrades: number;
  readonly openTrades: number;
  readonly finalEquity: number;
  readonly maxDrawdownPct: number;
}

/** Runs the floor over every cell of `setup` (positions `0 … cells-1`); one outcome per cell. */
export function floorCells(setup: GridSetup, bars = setup.bars): CellOutcome[] {
  const { open, close } = bars;
  return setup.periods.map(({ fast, slow }) => {
    const r = floorSmaCross({ open, close, fast, slow, initialCapital: setup.initialCapital, commissionRate: 0 });
    return { closedTrades: r.closedTrades, openTrades: r.openTrades, finalEquity: r.finalEquity, maxDrawdownPct: r.maxDrawdownPct };
  });
}

/**
 * Checks one finished pass: every position exactly once, each cell's trades, final equity and
 * drawdown equal to the floor's, and each digest equal to the one recorded first (`digests`, filled
 * on the first pass) — so 1 and N workers give the same result. Throws `Error` naming the cell.
 */
export function checkPass(
  label: string,
  expected: readonly CellOutcome[],
  results: readonly Pick<CellResult, 'position' | 'cell' | 'metrics' | 'digest'>[],
  digests: (string | undefined)[],
): void {
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
      throw new Error(`${label}: cell ${r.cell} disagrees with the floor, so no ratio is meaningful — expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
    const digest = digests[r.position];
    if (digest === undefined) digests[r.position] = r.digest;
    else if (digest !== r.digest) throw new Error(`${label}: cell ${r.cell} digest ${r.digest} differs from an earlier run's ${digest}`);
  }
}
