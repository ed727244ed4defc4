/**
 * Causal market-regime classification: every bar gets a volatility label (from a vol column such
 * as VIX, or from realized volatility) and a trend label (close against its SMA and the SMA's
 * slope), computed from data up to and including that bar only.
 */
import type { BarSeries } from './bars.js';
import { ConfigError } from './config-error.js';
import { RollingMean } from './indicators.js';

/**
 * Label of a bar whose regime cannot be known yet (indicator warm-up, missing vol value).
 * Entries filtered by regime never happen in `unknown`.
 */
export const UNKNOWN_REGIME = 'unknown';

/** Default volatility thresholds in vol points (VIX scale): `very_low < 12 <= low < 16 <= medium < 20 <= high < 30 <= extreme`. */
export const DEFAULT_VOL_THRESHOLDS: readonly number[] = Object.freeze([12, 16, 20, 30]);
/** Default volatility labels, one more than {@link DEFAULT_VOL_THRESHOLDS}. */
export const DEFAULT_VOL_LABELS: readonly string[] = Object.freeze(['very_low', 'low', 'medium', 'high', 'extreme']);

/** Trading days per year, used to annualize daily realized volatility. */
const TRADING_DAYS_PER_YEAR = 252;
const DAY_MS = 86_400_000;

/**
 * Where the volatility figure comes from: `column` (a bar column such as `vix`, required),
 * `realized` (annualized stdev of daily log returns), or `auto` (the column when the bars have it,
 * realized otherwise).
 */
export type VolSource = 'auto' | 'column' | 'realized';
const VOL_SOURCES: readonly VolSource[] = ['auto', 'column', 'realized'];

/** Volatility regime options as a user writes them. */
export interface VolRegimeOptions {
  /** Default `auto`. */
  readonly source?: VolSource;
  /** Extra bar column holding the vol figure, lower-case (default `vix`). */
  readonly column?: string;
  /** Realized vol window, in daily returns (default 20; whole number >= 2). */
  readonly lookback?: number;
  /** Increasing bucket boundaries in vol points; a value equal to a boundary falls in the upper bucket. */
  readonly thresholds?: readonly number[];
  /** One label per bucket: `thresholds.length + 1` distinct names. */
  readonly labels?: readonly string[];
}

/** Trend regime options as a user writes them. */
export interface TrendRegimeOptions {
  /** SMA period of the close, bars (default 50). */
  readonly period?: number;
  /** Slope horizon: `slope = sma[t] − sma[t − slopeBars]` (default 10 bars). */
  readonly slopeBars?: number;
  /** Neutral band around the SMA as a fraction (default 0.01 = 1 %). */
  readonly band?: number;
}

/** Regime options as a user writes them (the `regimes` object of a config); every field optional. */
export interface RegimeOptions {
  readonly vol?: VolRegimeOptions;
  readonly trend?: TrendRegimeOptions;
  /** Shift added to bar times before taking the UTC day that groups bars into daily closes, ms (default 0). */
  readonly sessionOffsetMs?: number;
}

/** {@link VolRegimeOptions} with every field decided. */
export interface ResolvedVolRegimeOptions {
  readonly source: VolSource;
  readonly column: string;
  readonly lookback: number;
  readonly thresholds: readonly number[];
  readonly labels: readonly string[];
}

/** {@link TrendRegimeOptions} with every field decided. */
export interface ResolvedTrendRegimeOptions {
  readonly period: number;
  readonly slopeBars: number;
  readonly band: number;
}

/** {@link RegimeOptions} with every field decided; frozen, JSON-able. */
export interface ResolvedRegimeOptions {
  readonly vol: ResolvedVolRegimeOptions;
  readonly trend: ResolvedTrendRegimeOptions;
  readonly sessionOffsetMs: number;
}

/** A value as it appears in messages: arrays as `[12, 10]`, others as JSON, `missing` for undefined. */
function show(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
  return JSON.stringify(value);
}

function objectAt(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(path, `must be an object, was ${show(value)}`);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) throw new ConfigError(`${path}.${key}`, `unknown field — allowed: ${allowed.join(', ')}`);
  }
  return record;
}

function wholeAt(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new ConfigError(path, `must be a whole number >= ${min}, was ${show(value)}`);
  return value;
}

/**
 * Resolves regime options once (defaults, validation); the classifier only sees the result.
 * @param options user options, possibly straight from JSON (checked field by field).
 * @param path JSON path of `options` in the user's config, used in error messages.
 * @returns frozen options.
 * @throws ConfigError naming the bad field, e.g. `regimes.vol.thresholds: must be increasing, was [12, 10]`.
 */
export function resolveRegimeOptions(options: RegimeOptions = {}, path = 'regimes'): ResolvedRegimeOptions {
  const root = objectAt(options, path, ['vol', 'trend', 'sessionOffsetMs']);
  const volPath = `${path}.vol`;
  const vol = objectAt(root['vol'] ?? {}, volPath, ['source', 'column', 'lookback', 'thresholds', 'labels']);
  const source = vol['source'] ?? 'auto';
  if (!VOL_SOURCES.includes(source as VolSource)) throw new ConfigError(`${volPath}.source`, `must be one of ${VOL_SOURCES.join(', ')}, was ${show(source)}`);
  const column = vol['column'] ?? 'vix';
  if (typeof column !== 'string' || column.trim() === '') throw new ConfigError(`${volPath}.column`, `must be a column name, was ${show(column)}`);
  const lookback = wholeAt(vol['lookback'] ?? 20, `${volPath}.lookback`, 2);

  const thresholds = vol['thresholds'] ?? DEFAULT_VOL_THRESHOLDS;
  const thresholdsPath = `${volPath}.thresholds`;
  if (!Array.isArray(thresholds) || thresholds.length === 0 || !thresholds.every((t) => typeof t === 'number' && Number.isFinite(t))) {
    throw new ConfigError(thresholdsPath, `must be a non-empty list of numbers, was ${show(thresholds)}`);
  }
  const levels = thresholds as readonly number[];
  if (levels.some((t, i) => i > 0 && !(t > levels[i - 1]!))) throw new ConfigError(thresholdsPath, `must be increasing, was ${show(levels)}`);

  const labels = vol['labels'] ?? DEFAULT_VOL_LABELS;
  const labelsPath = `${volPath}.labels`;
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string' && l !== '')) {
    throw new ConfigError(labelsPath, `must be a list of names, was ${show(labels)}`);
  }
  const names = labels as readonly string[];
  if (names.length !== levels.length + 1) {
    const hint = vol['labels'] === undefined ? ' (the default) — give one label per bucket' : '';
    throw new ConfigError(labelsPath, `must have ${levels.length + 1} labels (thresholds + 1), was ${show(names)}${hint}`);
  }
  if (new Set(names).size !== names.length) throw new ConfigError(labelsPath, `must be distinct, was ${show(names)}`);
  if (names.includes(UNKNOWN_REGIME)) throw new ConfigError(labelsPath, `"${UNKNOWN_REGIME}" is reserved for bars whose regime is not known yet`);

  const trendPath = `${path}.trend`;
  const trend = objectAt(root['trend'] ?? {}, trendPath, ['period', 'slopeBars', 'band']);
  const period = wholeAt(trend['period'] ?? 50, `${trendPath}.period`, 1);
  const slopeBars = wholeAt(trend['slopeBars'] ?? 10, `${trendPath}.slopeBars`, 1);
  const band = trend['band'] ?? 0.01;
  if (typeof band !== 'number' || !(band >= 0 && band < 1)) throw new ConfigError(`${trendPath}.band`, `must be a fraction in [0, 1), was ${show(band)}`);

  const sessionOffsetMs = root['sessionOffsetMs'] ?? 0;
  if (typeof sessionOffsetMs !== 'number' || !Number.isFinite(sessionOffsetMs)) {
    throw new ConfigError(`${path}.sessionOffsetMs`, `must be a number of ms, was ${show(sessionOffsetMs)}`);
  }
  return Object.freeze({
    vol: Object.freeze({
      source: source as VolSource,
      column: column.trim().toLowerCase(),
      lookback,
      thresholds: Object.freeze([...levels]),
      labels: Object.freeze([...names]),
    }),
    trend: Object.freeze({ period, slopeBars, band }),
    sessionOffsetMs,
  });
}

/**
 * The bucket label of a vol figure: `labels[k]` where k is the number of thresholds <= value
 * (a value on a boundary goes up); {@link UNKNOWN_REGIME} for NaN or infinite values.
 */
export function volBucket(value: number, thresholds: readonly number[], labels: readonly string[]): string {
  if (!Number.isFinite(value)) return UNKNOWN_REGIME;
  let k = 0;
  while (k < thresholds.length && value >= thresholds[k]!) k++;
  return labels[k] ?? UNKNOWN_REGIME;
}

/**
 * Annualized realized volatility of daily log returns in vol points (`sampleStd × √252 × 100`,
 * the VIX scale), fed one bar at a time. Bars are grouped into days by
 * `floor((timeMs + sessionOffsetMs) / 86_400_000)`; the latest bar's close stands for the running
 * day's close, so the window is the last `lookback − 1` completed days' returns plus the running
 * day's return `log(close / previous day's close)`. On daily bars that is the last `lookback` bar
 * returns. O(1) per bar, plus O(lookback) once per completed day.
 */
export class DailyRealizedVol {
  /** The completed days' returns, a ring of the last `lookback − 1`. */
  private readonly completed: Float64Array;
  private head = 0;
  private count = 0;
  private completedMean = 0;
  /** Σ squared deviations of the ring from its mean. */
  private completedM2 = 0;
  private day = Number.NaN;
  private dayClose = Number.NaN;
  private previousClose = Number.NaN;
  private hasPreviousDay = false;

  /**
   * @param lookback daily returns in the window, whole number >= 2.
   * @param sessionOffsetMs shift added to bar times before taking the UTC day, ms.
   */
  constructor(
    readonly lookback: number,
    readonly sessionOffsetMs = 0,
  ) {
    if (!Number.isSafeInteger(lookback) || lookback < 2) throw new RangeError(`lookback must be a whole number >= 2, was ${lookback}`);
    this.completed = new Float64Array(lookback - 1);
  }

  /**
   * Adds the next bar (times non-decreasing).
   * @returns the annualized vol in points, NaN until `lookback` daily returns exist.
   */
  update(timeMs: number, close: number): number {
    const day = Math.floor((timeMs + this.sessionOffsetMs) / DAY_MS);
    if (day !== this.day) {
      if (!Number.isNaN(this.day)) this.completeDay();
      this.day = day;
    }
    this.dayClose = close;
    const m = this.completed.length;
    if (!this.hasPreviousDay || this.count < m) return Number.NaN;
    // Add the running day's return to the ring's (mean, M2): M2 grows by (x − mean)² · m / (m + 1).
    const d = Math.log(close / this.previousClose) - this.completedMean;
    const m2 = this.completedM2 + (d * d * m) / (m + 1);
    return Math.sqrt((m2 / m) * TRADING_DAYS_PER_YEAR) * 100;
  }

  private completeDay(): void {
    if (this.hasPreviousDay) {
      const ring = this.completed;
      ring[this.head] = Math.log(this.dayClose / this.previousClose);
      this.head = this.head + 1 === ring.length ? 0 : this.head + 1;
      if (this.count < ring.length) this.count++;
      // Two passes over the ring once a day: exact, and no drift from a sliding sum of squares.
      const n = this.count;
      let sum = 0;
      for (let k = 0; k < n; k++) sum += ring[k]!;
      const mean = sum / n;
      let m2 = 0;
      for (let k = 0; k < n; k++) m2 += (ring[k]! - mean) ** 2;
      this.completedMean = mean;
      this.completedM2 = m2;
    }
    this.previousClose = this.dayClose;
    this.hasPreviousDay = true;
  }
}

/**
 * Labels bars with a volatility and a trend regime, one bar at a time, from data up to that bar
 * only. Vol: {@link volBucket} of the vol column's value at the bar or of {@link DailyRealizedVol}.
 * Trend: `up` when `close > sma × (1 + band)` and `slope > 0`; `down` when
 * `close < sma × (1 − band)` and `slope < 0`; else `sideways`; where `sma` is the SMA of the close
 * over `period` bars and `slope = sma[t] − sma[t − slopeBars]`. Both are {@link UNKNOWN_REGIME}
 * until known (trend: the first `period − 1 + slopeBars` bars; realized vol: until `lookback + 1`
 * days have been seen; column: where the value is missing).
 */
export class RegimeClassifier {
  /** The vol source actually used (`auto` resolved against the bars' columns). */
  readonly volSource: 'column' | 'realized';
  private readonly volColumn: Float64Array | undefined;
  private readonly realized: DailyRealizedVol | undefined;
  private readonly sma: RollingMean;
  /** The last `slopeBars` SMA values, a ring; the slot at `smaHead` holds sma[t − slopeBars]. */
  private readonly smaHistory: Float64Array;
  private smaHead = 0;
  private smaCount = 0;
  private next = 0;
  private volLabel = UNKNOWN_REGIME;
  private trendLabel = UNKNOWN_REGIME;
  private volFigure = Number.NaN;

  /**
   * @param bars the series to label; read at index i only when `update(i)` is called.
   * @param options resolved by {@link resolveRegimeOptions}.
   * @param path JSON path of the options, for the missing-column error.
   * @throws ConfigError when the vol source is `column` and the bars lack the column.
   */
  constructor(
    private readonly bars: BarSeries,
    private readonly options: ResolvedRegimeOptions,
    path = 'regimes',
  ) {
    const { source, column, lookback } = options.vol;
    const values = bars.extras[column];
    if (source === 'column' && values === undefined) {
      const available = ['open', 'high', 'low', 'close', ...(bars.volume === undefined ? [] : ['volume']), ...Object.keys(bars.extras)];
      throw new ConfigError(
        `${path}.vol.column`,
        `column "${column}" is not in the bars of ${bars.symbol} (columns: ${available.join(', ')}) — add it to the data, name another column, or set source to "auto" or "realized"`,
      );
    }
    this.volSource = source !== 'realized' && values !== undefined ? 'column' : 'realized';
    this.volColumn = this.volSource === 'column' ? values : undefined;
    this.realized = this.volSource === 'realized' ? new DailyRealizedVol(lookback, options.sessionOffsetMs) : undefined;
    this.sma = new RollingMean(options.trend.period);
    this.smaHistory = new Float64Array(options.trend.slopeBars);
  }

  /** Volatility label of the last updated bar. */
  get vol(): string {
    return this.volLabel;
  }

  /** Trend label of the last updated bar: `up`, `down`, `sideways` or `unknown`. */
  get trend(): string {
    return this.trendLabel;
  }

  /** The vol figure the label came from (column value or realized vol, points); NaN when unknown. */
  get volValue(): number {
    return this.volFigure;
  }

  /**
   * Classifies bar `i`. Call once per bar, in order from 0.
   * @throws RangeError when `i` is not the next bar.
   */
  update(i: number): void {
    if (i !== this.next) throw new RangeError(`update(${i}) out of order: expected bar ${this.next} (call once per bar, in order)`);
    this.next++;
    const bars = this.bars;
    const close = bars.close[i]!;
    const vol = this.options.vol;
    const figure = this.volColumn !== undefined ? this.volColumn[i]! : this.realized!.update(bars.timeMs[i]!, close);
    this.volFigure = Number.isFinite(figure) ? figure : Number.NaN;
    this.volLabel = volBucket(this.volFigure, vol.thresholds, vol.labels);

    this.trendLabel = UNKNOWN_REGIME;
    const sma = this.sma.update(close);
    if (!this.sma.ready) return;
    const history = this.smaHistory;
    const head = this.smaHead;
    const earlier = this.smaCount >= history.length ? history[head]! : Number.NaN;
    history[head] = sma;
    this.smaHead = head + 1 === history.length ? 0 : head + 1;
    this.smaCount++;
    if (Number.isNaN(earlier) || !Number.isFinite(sma)) return;
    const slope = sma - earlier;
    const band = this.options.trend.band;
    if (close > sma * (1 + band) && slope > 0) this.trendLabel = 'up';
    else if (close < sma * (1 - band) && slope < 0) this.trendLabel = 'down';
    else this.trendLabel = 'sideways';
  }
}

/**
 * Labels every bar of a series (for tests and reports): the same labels a {@link RegimeClassifier}
 * gives bar by bar.
 * @returns one vol and one trend label per bar.
 */
export function classifyAll(bars: BarSeries, options: ResolvedRegimeOptions): { vol: string[]; trend: string[] } {
  const classifier = new RegimeClassifier(bars, options);
  const vol: string[] = new Array<string>(bars.length);
  const trend: string[] = new Array<string>(bars.length);
  for (let i = 0; i < bars.length; i++) {
    classifier.update(i);
    vol[i] = classifier.vol;
    trend[i] = classifier.trend;
  }
  return { vol, trend };
}
