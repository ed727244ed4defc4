import { COLORS } from '../specs/theme.js';

/** Colours of the grid and walk-forward charts: one per concept, consistent with the run report. */
export const GRID_COLORS = Object.freeze({
  /** Bars of a distribution. */
  distribution: COLORS.net,
  /** The best cell (marker rules). */
  best: COLORS.drawdown,
  /** In-sample series. */
  inSample: COLORS.gross,
  /** Out-of-sample series and the stitched out-of-sample equity. */
  outOfSample: COLORS.net,
});
