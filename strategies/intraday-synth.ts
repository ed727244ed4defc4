/**
 * Seeded multi-symbol intraday minute bars with volume, for the `swing-break` tests (and any other
 * intraday strategy test). Lives in strategies/ because strategies/ may import engine/ only (so
 * not `data/synth.ts`, whose intraday session is the US one and whose volatility is an index's).
 */
import { makeBarSeries, type BarSeries } from '../engine/bars.js';
import { Rng, type RngSeed } from '../engine/rng.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Options for {@link intradayBars}. */
export interface IntradayBarsOptions {
  /** One series per symbol, in this order. */
  readonly symbols: readonly string[];
  /** Number of sessions (weekdays; Saturdays and Sundays are skipped). */
  readonly sessions: number;
  /** Symbol i draws from `Rng.derive(seed, i)`: adding a symbol leaves the others' bars unchanged. */
  readonly seed: RngSeed;
  /** A time on the first session's day, epoch ms UTC (only its UTC date is used); default 2024-01-01 (a Monday). */
  readonly startMs?: number;
  /** Session open, minutes after UTC midnight; default 555 (09:15). */
  readonly openMinute?: number;
  /** Session close, minutes after UTC midnight; default 930 (15:30). One bar per minute in between. */
  readonly closeMinute?: number;
  /** First open per symbol (same order as `symbols`); default 200 for every symbol. */
  readonly startPrices?: readonly number[];
  /** Standard deviation of a minute's log return; default 0.004 (0.4 %, an option premium's kind of move). */
  readonly minuteVol?: number;
  /** Standard deviation of the overnight log gap; default 0.02. */
  readonly gapVol?: number;
  /** Every price is a multiple of this; default 0.05. */
  readonly tick?: number;
  /** Mean volume of a minute at mid-session; default 1000 (the open and the close trade three times as much). */
  readonly meanVolume?: number;
}

/**
 * Minute bars of `symbols.length` symbols over `sessions` weekdays: per symbol a driftless
 * geometric random walk (each minute `close = open × exp(minuteVol × z)`, the next minute opening
 * at that close; each session opening with an overnight gap `exp(gapVol × z)`), wicks of half a
 * minute's volatility beyond the body, every price rounded to `tick` (open and close to the
 * nearest, high up, low down, never below one tick). Bars are stamped at their close: minutes
 * `openMinute + 1 … closeMinute` after UTC midnight, so with the defaults 375 bars per session
 * from 09:16 to 15:30 and every symbol has a bar at every minute. Volume is U-shaped over the
 * session (`meanVolume × (1 + 2x²)` with x from −1 at the open to 1 at the close) times log-normal
 * noise, rounded to whole units (at least 1).
 * Deterministic from `seed`.
 * @returns one frozen series per symbol.
 * @throws RangeError on a bad option (named).
 */
export function intradayBars(options: IntradayBarsOptions): BarSeries[] {
  const { symbols, sessions } = options;
  const openMinute = options.openMinute ?? 555;
  const closeMinute = options.closeMinute ?? 930;
  const tick = options.tick ?? 0.05;
  const minuteVol = options.minuteVol ?? 0.004;
  const gapVol = options.gapVol ?? 0.02;
  const meanVolume = options.meanVolume ?? 1000;
  if (symbols.length === 0 || new Set(symbols).size !== symbols.length) throw new RangeError(`symbols must be distinct and not empty, got [${symbols.join(', ')}]`);
  if (!Number.isSafeInteger(sessions) || sessions < 0) throw new RangeError(`sessions must be a whole number >= 0, got ${sessions}`);
  if (!(Number.isInteger(openMinute) && Number.isInteger(closeMinute) && openMinute >= 0 && openMinute < closeMinute && closeMinute <= 1440)) {
    throw new RangeError(`openMinute/closeMinute must be whole minutes with 0 <= open < close <= 1440, got ${openMinute}/${closeMinute}`);
  }
  for (const [name, value] of [['tick', tick], ['minuteVol', minuteVol], ['gapVol', gapVol], ['meanVolume', meanVolume]] as const) {
    if (!(Number.isFinite(value) && value >= 0) || (name === 'tick' && value === 0)) throw new RangeError(`${name} must be a finite number ${name === 'tick' ? '> 0' : '>= 0'}, got ${value}`);
  }
  const days = sessionDays(options.startMs ?? Date.UTC(2024, 0, 1), sessions);
  return symbols.map((symbol, i) => {
    const startPrice = options.startPrices?.[i] ?? 200;
    if (!(Number.isFinite(startPrice) && startPrice > 0)) throw new RangeError(`startPrices[${i}] must be a price > 0, got ${startPrice}`);
    const walk = { rng: Rng.derive(options.seed, i), tick, minuteVol, gapVol, meanVolume, openMinute, closeMinute };
    return symbolBars(symbol, days, startPrice, walk);
  });
}

interface Walk {
  readonly rng: Rng;
  readonly tick: number;
  readonly minuteVol: number;
  readonly gapVol: number;
  readonly meanVolume: number;
  readonly openMinute: number;
  readonly closeMinute: number;
}

/** Midnight (epoch ms UTC) of the first `count` weekdays from the date of `startMs` on. */
function sessionDays(startMs: number, count: number): number[] {
  const days: number[] = [];
  for (let day = Math.floor(startMs / DAY_MS) * DAY_MS; days.length < count; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day);
  }
  return days;
}

function symbolBars(symbol: string, days: readonly number[], startPrice: number, w: Walk): BarSeries {
  const perSession = w.closeMinute - w.openMinute;
  const n = days.length * perSession;
  const cols = { timeMs: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  const { rng, tick } = w;
  const nearest = (p: number): number => Math.max(tick, Number((Math.round(p / tick) * tick).toPrecision(12)));
  let last = nearest(startPrice);
  let i = 0;
  days.forEach((day, d) => {
    for (let m = 1; m <= perSession; m++, i++) {
      const open = m === 1 && d > 0 ? nearest(last * Math.exp(w.gapVol * rng.normal())) : last;
      const close = nearest(open * Math.exp(w.minuteVol * rng.normal()));
      const wickUp = Math.exp(0.5 * w.minuteVol * Math.abs(rng.normal()));
      const wickDown = Math.exp(-0.5 * w.minuteVol * Math.abs(rng.normal()));
      cols.timeMs[i] = day + (w.openMinute + m) * MINUTE_MS;
      cols.open[i] = open;
      cols.close[i] = close;
      cols.high[i] = Math.max(Number((Math.ceil((Math.max(open, close) * wickUp) / tick - 1e-9) * tick).toPrecision(12)), open, close);
      cols.low[i] = Math.min(Math.max(tick, Number((Math.floor((Math.min(open, close) * wickDown) / tick + 1e-9) * tick).toPrecision(12))), open, close);
      const x = (2 * (m - 0.5)) / perSession - 1;
      cols.volume[i] = Math.max(1, Math.round(w.meanVolume * (1 + 2 * x * x) * Math.exp(0.5 * rng.normal())));
      last = close;
    }
  });
  return makeBarSeries({ symbol, ...cols });
}
