/**
 * Synthetic bars with a model signal of known quality, for the `signal-filter` tests and
 * benchmarks (not used by any strategy). Lives in strategies/ because strategies/ may import
 * engine/ only (so not `data/synth.ts`); the price model is a plain random walk of its own.
 */
import { makeBarSeries, type BarSeries } from '../engine/bars.js';
import { Rng, type RngSeed } from '../engine/rng.js';

const DAY_MS = 86_400_000;

/** Options for {@link signalBars}. */
export interface SignalBarsOptions {
  /** Number of bars. */
  readonly bars: number;
  /** Seed: prices come from stream 0 of it, signals from stream 1 (`Rng.derive`), so runs that differ only in `accuracy` share one price path. */
  readonly seed: RngSeed;
  /**
   * Probability that the signal of bar t has the sign of bar t+1's close-to-close return, in
   * [0.5, 1]: 0.5 = no edge (the signal and its confidence say nothing), 0.6 = right 60 % of the time.
   */
  readonly accuracy: number;
  /** `direction` (default): −1/+1; `bps`: the calibrated expected return of the next bar in bps, signed. */
  readonly kind?: 'direction' | 'bps';
  /** Standard deviation of a bar's open→close log return; default 0.01 (1 %). The overnight gap has 0.3 × this. */
  readonly barVol?: number;
  /** Bar spacing, ms; default one day. Bar i is stamped `startMs + i × intervalMs`. */
  readonly intervalMs?: number;
  /** Time of the first bar, epoch ms UTC; default 2000-01-03. */
  readonly startMs?: number;
  readonly startPrice?: number;
  readonly symbol?: string;
}

/**
 * Driftless random-walk bars (gap, then open→close move, wicks) with extra columns `signal` and
 * `confidence`.
 *
 * For each bar t but the last: `confidence` is uniform in [0, 1); the signal is right (the sign of
 * `ln(close[t+1] / close[t])`) with probability `q = 0.5 + 2 × (accuracy − 0.5) × confidence`,
 * wrong otherwise. Averaged over confidence the hit rate is `accuracy`; the more confident, the
 * more often right (up to `2 × accuracy − 0.5`) — and at `accuracy: 0.5` confidence carries no
 * information at all. The `bps` kind writes `(2q − 1) × E|r|` with the signal's sign, where
 * `E|r|` is the mean absolute close-to-close return (`σ√(2/π)`), i.e. what the signal is worth.
 * The last bar has signal 0 and confidence 0 (there is no next bar).
 *
 * Deterministic from `seed`; throws `RangeError` on a bad option.
 */
export function signalBars(options: SignalBarsOptions): BarSeries {
  const n = options.bars;
  const { accuracy } = options;
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`bars must be a whole number >= 1, got ${n}`);
  if (!(accuracy >= 0.5 && accuracy <= 1)) throw new RangeError(`accuracy must be in [0.5, 1], got ${accuracy}`);
  const vol = options.barVol ?? 0.01;
  const gapVol = 0.3 * vol;
  const interval = options.intervalMs ?? DAY_MS;
  const start = options.startMs ?? Date.UTC(2000, 0, 3);
  const prices = Rng.derive(options.seed, 0);
  const signals = Rng.derive(options.seed, 1);

  const timeMs = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const signal = new Float64Array(n);
  const confidence = new Float64Array(n);
  let previous = options.startPrice ?? 100;
  for (let i = 0; i < n; i++) {
    timeMs[i] = start + i * interval;
    const o = i === 0 ? previous : previous * Math.exp(gapVol * prices.normal());
    const c = o * Math.exp(vol * prices.normal());
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(o, c) * Math.exp(0.5 * vol * Math.abs(prices.normal()));
    low[i] = Math.min(o, c) * Math.exp(-0.5 * vol * Math.abs(prices.normal()));
    previous = c;
  }
  const meanAbsBps = Math.sqrt(vol * vol + gapVol * gapVol) * Math.sqrt(2 / Math.PI) * 10_000;
  for (let i = 0; i + 1 < n; i++) {
    const c = signals.next();
    const q = 0.5 + 2 * (accuracy - 0.5) * c;
    const truth = close[i + 1]! >= close[i]! ? 1 : -1;
    const direction = signals.next() < q ? truth : -truth;
    confidence[i] = c;
    signal[i] = options.kind === 'bps' ? direction * (2 * q - 1) * meanAbsBps : direction;
  }
  return makeBarSeries({ symbol: options.symbol ?? 'SIG', timeMs, open, high, low, close, extras: { signal, confidence } });
}
