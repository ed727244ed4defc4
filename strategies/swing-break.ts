import { ConfigError } from '../engine/config-error.js';
import type { StrategyContext } from '../engine/context.js';
import type { Fill } from '../engine/fill.js';
import type { ParamSchema, ParamsOf } from '../engine/params.js';
import { fixedRiskQuantity } from '../engine/sizing.js';
import { SlotOrders, type SlotIntent } from '../engine/slot-orders.js';
import { defineStrategy, type Strategy, type StrategyDefinition } from '../engine/strategy.js';
import type { SymbolData } from '../engine/symbol-data.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Bars at least this far apart are whole sessions (the engine's rule for day orders). */
const SESSION_BAR_MS = 20 * 3_600_000;
/** Tag of the market orders that flatten a position at the session close. */
export const SESSION_END_TAG = 'session-end';

/** Parameter schema of `swing-break`. */
const PARAMS = {
  k: { type: 'int', default: 3, min: 1, max: 100, step: 1, description: 'swing width: a swing low is below the lows of the k bars on each side, confirmed k bars after it' },
  bandLow: { type: 'number', default: 100, min: 0, max: 1e9, step: 10, description: 'lowest swing-low price that makes a candidate, price units' },
  bandHigh: { type: 'number', default: 300, min: 0, max: 1e9, step: 10, description: 'highest swing-low price that makes a candidate, price units' },
  minPremiumPct: { type: 'number', default: 4, min: -100, max: 10_000, step: 0.5, description: 'least premium of the swing low over the session VWAP at the swing bar, %' },
  minStopPct: { type: 'number', default: 2, min: 0, max: 1_000, step: 0.5, description: 'least stop distance (highest high since the swing − swing low) / swing low, %' },
  maxStopPct: { type: 'number', default: 10, min: 0, max: 1_000, step: 1, description: 'most stop distance, %' },
  targetStopPct: { type: 'number', default: 5, min: 0, max: 1_000, step: 0.5, description: 'preferred stop distance: per group the candidate closest to it is traded, %' },
  tick: { type: 'number', default: 0.05, min: 1e-9, max: 1e6, description: 'price increment of the orders, price units' },
  riskPerTrade: { type: 'number', default: 1000, min: 0.01, max: 1e12, step: 500, description: 'money lost at the protective stop (1 R), account currency' },
  lotSize: { type: 'number', default: 1, min: 1e-9, max: 1e9, description: 'units per lot; must match the instrument lot size of the run' },
  maxLots: { type: 'int', default: 0, min: 0, max: 1e9, description: 'most lots per entry; 0 = no cap' },
  sessionEndFlat: { type: 'boolean', default: true, description: 'intraday data: cancel orders and flatten from sessionCloseMinute on' },
  sessionCloseMinute: {
    type: 'int',
    default: 929,
    min: 0,
    max: 1440,
    description: 'minutes after UTC midnight from which the strategy flattens and stops entering; its market orders fill at the next bar, so 929 with 1-minute bars ending at 930 (15:30)',
  },
  groups: { type: 'string', default: '', description: 'symbol → group tags "A:CE,B:CE,C:PE"; a symbol not listed is its own group' },
} satisfies ParamSchema;

/** Resolved parameters of `swing-break`. */
export type SwingBreakParams = ParamsOf<typeof PARAMS>;

/**
 * Parses a group mapping `"A:CE,B:CE,C:PE"` (symbol `:` group, comma-separated, blanks ignored).
 * @returns symbol → group; empty for an empty string.
 * @throws ConfigError (`params.groups`) on an entry that is not `symbol:group` or a symbol listed twice.
 */
export function parseGroups(text: string): ReadonlyMap<string, string> {
  const groups = new Map<string, string>();
  if (text.trim() === '') return groups;
  text.split(',').forEach((entry, i) => {
    const parts = entry.split(':').map((s) => s.trim());
    const [symbol, group] = parts;
    if (parts.length !== 2 || !symbol || !group) {
      throw new ConfigError('params.groups', `entry ${i + 1} ${JSON.stringify(entry)} must be symbol:group, e.g. "A:CE,B:CE,C:PE"`);
    }
    if (groups.has(symbol)) throw new ConfigError('params.groups', `symbol ${symbol} is listed twice — give each symbol one group`);
    groups.set(symbol, group);
  });
  return groups;
}

/**
 * Intraday swing-low breakdown on a set of symbols, each tagged with a group (from a desk's
 * intraday options system: e.g. group `CE` for calls, `PE` for puts). Short entries only.
 *
 * Swing lows, per symbol: bar j is a swing low when its low is strictly below the lows of the `k`
 * bars before and the `k` bars after it, all in one session (equal lows are no swing). It is known
 * at bar j + k, never earlier. On intraday data (bars less than 20 h apart) a session is a UTC day:
 * the detection and the VWAP start afresh with each; on daily data the whole run is one session.
 *
 * Candidates: a confirmed swing low inside `[bandLow, bandHigh]` makes its symbol a candidate (a
 * newer in-band swing replaces the symbol's previous one). It stays one until a bar trades below
 * the swing low (then its entry has filled, or it is dropped) or the session ends. Each bar every
 * candidate is checked again:
 * - premium `(swingLow / VWAP − 1) × 100 ≥ minPremiumPct`, VWAP being the session's
 *   `Σ typical × volume / Σ volume` up to the swing bar (typical = (high + low + close) / 3; the
 *   data needs volume; no volume yet → no VWAP → no candidate);
 * - stop = highest high from the swing bar (inclusive) to now, rounded up to `tick`; stop distance
 *   `(stop − swingLow) × 100 / swingLow` within `[minStopPct, maxStopPct]`;
 * - no position open in the symbol.
 * Per group the best passing candidate is the one whose stop distance is closest to
 * `targetStopPct`, then the one with the highest swing low, then the first in symbol order.
 *
 * Orders: one working entry per group, kept by `SlotOrders` (slot key and order tag = the group):
 * a sell-stop one tick below the best candidate's swing low (`floorTick(swingLow) − tick`), `gtc`,
 * for `fixedRiskQuantity(riskPerTrade, stop − entry price, multiplier 1, lotSize, maxLots)` units,
 * carrying the stop as `protectiveStop` (so the trade records `initialRisk` and its R).
 * - a best candidate and an empty slot: placed;
 * - same symbol and stop, new price or size: modified;
 * - another symbol, or a new stop: cancelled, and the new order placed on the next bar (a modify
 *   cannot move the entry's recorded protective stop, so the trade's R would be measured to a
 *   stale stop);
 * - no candidate (or a size of 0): cancelled.
 * On the fill the protective buy-stop (reduce-only, `gtc`, tag `stop-loss`) is placed at the stop
 * and works from the next bar. After the engine rejects an entry (a risk limit), no entry on that
 * symbol is sent for the group again until the strategy's open positions plus working entries
 * change, or a new session starts (a new price or size would meet the same position limit or halt).
 *
 * Session end (`sessionEndFlat`, intraday data): from the first step at or after
 * `sessionCloseMinute` minutes after UTC midnight, entries and protective stops are cancelled,
 * positions are closed at market (tag `session-end`, filling at the symbol's next bar) and no
 * candidate is kept, until the next session.
 *
 * Position limits and the daily R stop are the engine's risk manager's job. Run it with a risk
 * block, e.g. `risk: { maxOpenPositions: 2, maxPositionsPer: { group: 1 }, groups: { A: 'CE',
 * B: 'CE', C: 'PE' }, dailyLossR: 5, dailyProfitR: 5, riskPerTrade: 1000 }` with `riskPerTrade`
 * equal to the strategy's, so a stopped-out trade is −1 R and the day halts (flattening) at ±5 R.
 *
 * Groups come from the `groups` parameter (`"A:CE,B:CE,C:PE"`); a symbol not listed is its own
 * group. {@link swingBreakWithGroups} returns the definition with a different default mapping.
 */
export function swingBreakWithGroups(groups: string): StrategyDefinition<typeof PARAMS> {
  parseGroups(groups);
  return defineStrategy({
    name: 'swing-break',
    description:
      'Intraday swing-low breakdown per symbol group: sell-stop under the best candidate swing low (VWAP premium, stop-distance filters), protective buy-stop at the high since the swing, fixed-R sized; run with a risk block (max positions, per group, daily ±5R)',
    params: { ...PARAMS, groups: { ...PARAMS.groups, default: groups } },
    check: (p) => {
      if (p.bandLow > p.bandHigh) return { path: 'params.bandLow', problem: `must be <= bandHigh (${p.bandHigh}), was ${p.bandLow}` };
      if (p.minStopPct > p.maxStopPct) return { path: 'params.minStopPct', problem: `must be <= maxStopPct (${p.maxStopPct}), was ${p.minStopPct}` };
      try {
        parseGroups(p.groups);
      } catch (error) {
        if (error instanceof ConfigError) return { path: error.path, problem: error.problem };
        throw error;
      }
      return undefined;
    },
    create: (p) => new SwingBreak(p, parseGroups(p.groups)),
  });
}

/** `swing-break` with every symbol in its own group. */
export const swingBreak = swingBreakWithGroups('');

/**
 * One symbol's state: its session, VWAP, the window of its last `2k + 1` bars of the session and
 * its candidate. Plain numeric fields (no closures), updated once per bar of the symbol.
 */
class SymbolTrack {
  private readonly lows: Float64Array;
  private readonly highs: Float64Array;
  private readonly vwaps: Float64Array;
  /** Bars of the current session so far (the window holds the last `2k + 1` of them). */
  private count = 0;
  private day = Number.NaN;
  private lastTimeMs = Number.NaN;
  private minGapMs = Number.POSITIVE_INFINITY;
  private priceVolume = 0;
  private volume = 0;
  hasCandidate = false;
  swingLow = Number.NaN;
  /** Session VWAP at the swing bar. */
  swingVwap = Number.NaN;
  /** Highest high from the swing bar to the current bar. */
  highSince = Number.NaN;

  constructor(
    readonly symbol: string,
    readonly rank: number,
    private readonly k: number,
  ) {
    this.lows = new Float64Array(2 * k + 1);
    this.highs = new Float64Array(2 * k + 1);
    this.vwaps = new Float64Array(2 * k + 1);
  }

  /** True once two bars of the symbol were less than 20 h apart. */
  get intraday(): boolean {
    return this.minGapMs < SESSION_BAR_MS;
  }

  /** Books the symbol's new bar: session, VWAP, the candidate's stop and drop, a newly confirmed swing. */
  update(data: SymbolData, bandLow: number, bandHigh: number): void {
    const timeMs = data.timeMs();
    if (timeMs - this.lastTimeMs < this.minGapMs) this.minGapMs = timeMs - this.lastTimeMs;
    this.lastTimeMs = timeMs;
    const day = Math.floor(timeMs / DAY_MS);
    if (day !== this.day && this.intraday) this.startSession();
    this.day = day;
    const high = data.high();
    const low = data.low();
    const volume = data.volume();
    if (Number.isNaN(volume)) throw new RangeError(`swing-break: ${this.symbol} has no volume — the session VWAP needs a volume column in the data`);
    this.priceVolume += ((high + low + data.close()) / 3) * volume;
    this.volume += volume;
    if (this.hasCandidate) {
      if (high > this.highSince) this.highSince = high;
      if (low < this.swingLow) this.hasCandidate = false;
    }
    const w = this.lows.length;
    const at = this.count % w;
    this.lows[at] = low;
    this.highs[at] = high;
    this.vwaps[at] = this.volume > 0 ? this.priceVolume / this.volume : Number.NaN;
    this.count++;
    if (this.count >= w) this.confirm(bandLow, bandHigh);
  }

  /** Bar `count − 1 − k` of the window: a swing low now confirmed by the k bars after it? */
  private confirm(bandLow: number, bandHigh: number): void {
    const { k, lows } = this;
    const w = lows.length;
    const j = this.count - 1 - k;
    const low = lows[j % w]!;
    for (let d = 1; d <= k; d++) if (!(low < lows[(j - d) % w]! && low < lows[(j + d) % w]!)) return;
    if (low < bandLow || low > bandHigh) return;
    let high = Number.NEGATIVE_INFINITY;
    for (let i = j; i < this.count; i++) high = Math.max(high, this.highs[i % w]!);
    this.hasCandidate = true;
    this.swingLow = low;
    this.swingVwap = this.vwaps[j % w]!;
    this.highSince = high;
  }

  private startSession(): void {
    this.count = 0;
    this.priceVolume = 0;
    this.volume = 0;
    this.hasCandidate = false;
  }
}

/** One group: its slot key, its symbols (in symbol order) and what its slot was last told. */
interface Group {
  readonly key: string;
  readonly members: SymbolTrack[];
  placed: SlotIntent | undefined;
  /** Commitments (open positions + working entries) and UTC day when the slot's order was placed. */
  placedCommitments: number;
  placedDay: number;
  /** The last entry the engine rejected, and the commitments and day it was judged on. */
  rejected: SlotIntent | undefined;
  rejectedCommitments: number;
  rejectedDay: number;
}

/** One running `swing-break` (see {@link swingBreakWithGroups}). */
class SwingBreak implements Strategy {
  private readonly slots = new SlotOrders();
  private tracks: SymbolTrack[] = [];
  private readonly byName = new Map<string, SymbolTrack>();
  private groups: Group[] = [];
  /** Per symbol rank: the protective stop placed on its last entry fill. */
  private stopIds: (number | undefined)[] = [];
  private intraday = false;

  constructor(
    private readonly p: SwingBreakParams,
    private readonly mapping: ReadonlyMap<string, string>,
  ) {}

  init(ctx: StrategyContext): void {
    for (const symbol of this.mapping.keys()) {
      if (!ctx.symbols.includes(symbol)) throw new ConfigError('params.groups', `names ${symbol}, which is not in the data — symbols: ${ctx.symbols.join(', ')}`);
    }
    this.tracks = ctx.symbols.map((symbol, rank) => new SymbolTrack(symbol, rank, this.p.k));
    this.stopIds = ctx.symbols.map(() => undefined);
    for (const track of this.tracks) {
      this.byName.set(track.symbol, track);
      const key = this.mapping.get(track.symbol) ?? track.symbol;
      let group = this.groups.find((g) => g.key === key);
      if (group === undefined) {
        group = { key, members: [], placed: undefined, placedCommitments: 0, placedDay: 0, rejected: undefined, rejectedCommitments: 0, rejectedDay: 0 };
        this.groups.push(group);
      }
      group.members.push(track);
    }
  }

  onBar(ctx: StrategyContext): void {
    const { bandLow, bandHigh } = this.p;
    for (const track of this.tracks) {
      const data = ctx.data(track.symbol);
      if (!data.updated) continue;
      track.update(data, bandLow, bandHigh);
      if (track.intraday) this.intraday = true;
    }
    const closing = this.p.sessionEndFlat && this.intraday && Math.floor((ctx.timeMs % DAY_MS) / MINUTE_MS) >= this.p.sessionCloseMinute;
    if (closing) {
      this.flatten(ctx);
      return;
    }
    const commitments = this.commitments(ctx);
    const day = Math.floor(ctx.timeMs / DAY_MS);
    for (const group of this.groups) this.work(ctx, group, commitments, day);
  }

  onFill(ctx: StrategyContext, fill: Fill): void {
    const stopId = this.slots.onFill(ctx, fill);
    if (stopId === undefined) return;
    // The entry filled: its candidate is used up, and its stop is the one to cancel at the close.
    const track = this.byName.get(fill.instrumentId)!;
    track.hasCandidate = false;
    this.stopIds[track.rank] = stopId;
  }

  /**
   * States the group's entry: the best candidate's sell-stop, or nothing. `commitments` (open
   * positions + working entries) and `day` are what a risk verdict depends on.
   */
  private work(ctx: StrategyContext, group: Group, commitments: number, day: number): void {
    const held = this.slots.orderIn(group.key);
    const status = held === undefined ? undefined : ctx.order(held)?.status;
    if (status === 'rejected') {
      group.rejected = group.placed;
      group.rejectedCommitments = group.placedCommitments;
      group.rejectedDay = group.placedDay;
    }
    const best = this.best(ctx, group);
    let intent = best === undefined ? undefined : this.intentFor(best);
    if (intent !== undefined && group.rejected !== undefined) {
      // Position counts and halts do not depend on the order's price or size, only on what is held.
      const unchanged = intent.symbol === group.rejected.symbol && commitments === group.rejectedCommitments && day === group.rejectedDay;
      if (unchanged) intent = undefined;
      else group.rejected = undefined;
    }
    const working = status === 'working' ? group.placed : undefined;
    // Another symbol or another stop: cancel now, place on the next bar. The risk gate counts a
    // working entry until the bar after its cancel, so a same-step replacement would be refused
    // by a per-group limit of 1; and a modify cannot move the entry's recorded protective stop.
    if (intent !== undefined && working !== undefined && (intent.symbol !== working.symbol || intent.protectiveStop !== working.protectiveStop)) intent = undefined;
    this.slots.want(ctx, group.key, intent);
    if (intent !== undefined && working === undefined) {
      group.placedCommitments = commitments;
      group.placedDay = day;
    }
    group.placed = intent;
  }

  /** The group's best candidate that passes the filters now, or undefined. */
  private best(ctx: StrategyContext, group: Group): SymbolTrack | undefined {
    const p = this.p;
    let best: SymbolTrack | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const track of group.members) {
      if (!track.hasCandidate || ctx.position(track.symbol) !== 0) continue;
      const low = track.swingLow;
      if (!(((low / track.swingVwap) - 1) * 100 >= p.minPremiumPct)) continue;
      const stopPct = ((this.ceilTick(track.highSince) - low) * 100) / low;
      if (stopPct < p.minStopPct || stopPct > p.maxStopPct) continue;
      const distance = Math.abs(stopPct - p.targetStopPct);
      if (distance < bestDistance || (distance === bestDistance && low > best!.swingLow)) {
        best = track;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** The sell-stop for a candidate, or undefined when it sizes to 0. */
  private intentFor(track: SymbolTrack): SlotIntent | undefined {
    const p = this.p;
    const entryTicks = Math.floor(track.swingLow / p.tick + 1e-6) - 1;
    const stopTicks = Math.ceil(track.highSince / p.tick - 1e-6);
    const qty = fixedRiskQuantity({
      riskAmount: p.riskPerTrade,
      stopDistance: this.price(stopTicks - entryTicks),
      multiplier: 1,
      lotSize: p.lotSize,
      maxLots: p.maxLots > 0 ? p.maxLots : undefined,
    });
    if (!(qty > 0 && entryTicks > 0)) return undefined;
    return { symbol: track.symbol, side: 'sell', type: 'stop', qty, stopPrice: this.price(entryTicks), tif: 'gtc', protectiveStop: this.price(stopTicks) };
  }

  /** Session close: cancel entries and protective stops, close positions at market, forget candidates. */
  private flatten(ctx: StrategyContext): void {
    for (const group of this.groups) {
      this.slots.want(ctx, group.key, undefined);
      group.placed = undefined;
    }
    for (const track of this.tracks) {
      track.hasCandidate = false;
      const stopId = this.stopIds[track.rank];
      if (stopId !== undefined && ctx.order(stopId)?.status === 'working') ctx.cancel(stopId);
      this.stopIds[track.rank] = undefined;
      if (ctx.position(track.symbol) !== 0 && !ctx.workingOrders(track.symbol).some((o) => o.tag === SESSION_END_TAG)) {
        ctx.closePosition(track.symbol, SESSION_END_TAG);
      }
    }
  }

  /** Open positions plus working entries of this strategy: what the risk limits count. */
  private commitments(ctx: StrategyContext): number {
    let n = 0;
    for (const track of this.tracks) if (ctx.position(track.symbol) !== 0) n++;
    for (const group of this.groups) {
      const id = this.slots.orderIn(group.key);
      if (id !== undefined && ctx.order(id)?.status === 'working') n++;
    }
    return n;
  }

  private ceilTick(price: number): number {
    return this.price(Math.ceil(price / this.p.tick - 1e-6));
  }

  /** `ticks × tick` as the shortest decimal (3999 × 0.05 is 199.95, not 199.95000000000002). */
  private price(ticks: number): number {
    return Number((ticks * this.p.tick).toPrecision(12));
  }
}
