import { makeBarSeries, type BarSeries } from '../engine/bars.js';
import { Rng, type RngSeed } from '../engine/rng.js';
import { DAY_MS } from './parse-time.js';
import { SessionClock } from './session-clock.js';

/** A volatility regime of the synthetic market. */
export interface VolRegime {
  /** Annualized volatility of log returns, e.g. 0.16 for 16 %. */
  readonly annualVol: number;
  /** Mean time spent in the regime before switching, in trading days. */
  readonly meanDays: number;
}

/** Default regimes: calm, normal, elevated, crisis (annualized vol 10 %, 16 %, 28 %, 60 %). */
export const DEFAULT_REGIMES: readonly VolRegime[] = Object.freeze([
  { annualVol: 0.1, meanDays: 60 },
  { annualVol: 0.16, meanDays: 40 },
  { annualVol: 0.28, meanDays: 20 },
  { annualVol: 0.6, meanDays: 8 },
]);

/** Options for {@link synthBars}. */
export interface SynthOptions {
  /** Number of bars to generate. */
  readonly bars: number;
  /** Seed; the same options always give the same bars. */
  readonly seed: RngSeed;
  /** First session day, epoch ms UTC (its date is used); default 2000-01-03. Weekends are skipped. */
  readonly start?: number;
  /**
   * Bar length in ms. `86_400_000` (default): one bar per weekday stamped at 00:00 UTC, like daily
   * CSV dates. Shorter: intraday bars over a 390-minute session 14:30–21:00 UTC on weekdays, stamped
   * at each bar's close; the interval must divide 390 minutes (1m, 5m, 15m, 30m, 65m …).
   */
  readonly intervalMs?: number;
  /** Symbol of the series; default `SYNTH`. */
  readonly symbol?: string;
  /** Price of the first open; default 100. */
  readonly startPrice?: number;
  /** Annual drift of log prices before the variance correction; default 0.07. */
  readonly annualDrift?: number;
  /** Volatility regimes of the Markov chain; default {@link DEFAULT_REGIMES}; the chain starts in regime 1 (or 0). */
  readonly regimes?: readonly VolRegime[];
}

const TRADING_DAYS_PER_YEAR = 252;
const SESSION_MINUTES = 390;

/**
 * Synthetic OHLCV bars: geometric Brownian motion whose volatility follows a Markov chain over
 * volatility regimes (on leaving a regime the chain moves to a neighbouring one). OHLC are
 * consistent (low ≤ min(open, close) ≤ max(open, close) ≤ high, all > 0); volume rises with the
 * regime's volatility; the extra column `vix` is the regime's annualized vol in VIX points
 * (0.16 → 16) times slowly varying noise. Deterministic from `seed`; memory is seven preallocated
 * `Float64Array`s, so 10 million bars take about 560 MB and a few seconds.
 */
export function synthBars(options: SynthOptions): BarSeries {
  const n = options.bars;
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bars must be a non-negative integer, got ${n}`);
  const regimes = options.regimes ?? DEFAULT_REGIMES;
  if (regimes.length === 0) throw new RangeError('at least one volatility regime is needed');
  const intervalMs = options.intervalMs ?? DAY_MS;
  const clock = new SessionClock(options.start ?? Date.UTC(2000, 0, 3), intervalMs);
  const barsPerDay = intervalMs >= DAY_MS ? 1 : (SESSION_MINUTES * 60_000) / intervalMs;
  const barsPerYear = TRADING_DAYS_PER_YEAR * barsPerDay;
  const drift = options.annualDrift ?? 0.07;
  const rng = new Rng(options.seed);
  // Per-bar switch probability giving the regime's mean duration in trading days.
  const leave = regimes.map((r) => 1 - Math.pow(1 - 1 / Math.max(1, r.meanDays), 1 / barsPerDay));
  const sigma = regimes.map((r) => r.annualVol / Math.sqrt(barsPerYear));
  const mu = regimes.map((r) => (drift - (r.annualVol * r.annualVol) / 2) / barsPerYear);
  const baseVolume = 1_000_000 / barsPerDay;
  const volumeScale = regimes.map((r) => baseVolume * Math.pow(r.annualVol / 0.16, 0.8));
  const vixLevel = regimes.map((r) => r.annualVol * 100);

  const timeMs = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const vix = new Float64Array(n);
  let regime = Math.min(1, regimes.length - 1);
  let previousClose = options.startPrice ?? 100;
  let vixNoise = 0;
  for (let i = 0; i < n; i++) {
    const sessionStart = clock.next();
    timeMs[i] = clock.timeMs;
    if (i > 0 && rng.next() < (leave[regime] as number)) regime = neighbour(rng, regime, regimes.length);
    const s = sigma[regime] as number;
    // Overnight gap on the first bar of a session (every daily bar), none inside a session.
    const gap = sessionStart && i > 0 ? Math.exp(0.3 * s * Math.sqrt(barsPerDay) * rng.normal()) : 1;
    const o = previousClose * gap;
    const c = o * Math.exp((mu[regime] as number) + s * rng.normal());
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(o, c) * Math.exp(0.5 * s * Math.abs(rng.normal()));
    low[i] = Math.min(o, c) * Math.exp(-0.5 * s * Math.abs(rng.normal()));
    volume[i] = Math.round((volumeScale[regime] as number) * Math.exp(0.35 * rng.normal()));
    vixNoise = 0.95 * vixNoise + 0.03 * rng.normal();
    vix[i] = (vixLevel[regime] as number) * Math.exp(vixNoise);
    previousClose = c;
  }
  return makeBarSeries({ symbol: options.symbol ?? 'SYNTH', timeMs, open, high, low, close, volume, extras: { vix } });
}

/** The regime after leaving `regime`: one step up or down (reflecting at the ends). */
function neighbour(rng: Rng, regime: number, count: number): number {
  if (count === 1) return regime;
  if (regime === 0) return 1;
  if (regime === count - 1) return count - 2;
  return rng.next() < 0.5 ? regime - 1 : regime + 1;
}
