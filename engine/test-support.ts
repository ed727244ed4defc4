/**
 * Test support for the engine's unit and property tests: tiny hand-made bar series and a scripted
 * strategy that submits given requests on given steps. Used from tests only (no test-framework
 * imports, so it type-checks and builds like any other engine file).
 */
import { makeBarSeries, type BarSeries } from './bars.js';
import { runBacktest, type BacktestResult, type RunSeries } from './backtest.js';
import type { StrategyContext } from './context.js';
import type { EngineOptions } from './engine-config.js';
import type { EngineEvent } from './events.js';
import type { Fill } from './fill.js';
import type { BracketRequest, OrderChanges, OrderRequest } from './order-request.js';
import { defineStrategy, type StrategyDefinition } from './strategy.js';

/** One UTC day in ms. */
export const DAY_MS = 86_400_000;
/** Default time of the first test bar: 2024-01-01T00:00:00Z (a Monday). */
export const T0_MS = Date.UTC(2024, 0, 1);

/** One bar as `[open, high, low, close]`, or with its own time and volume. */
export type BarRow =
  | readonly [open: number, high: number, low: number, close: number]
  | { readonly open: number; readonly high: number; readonly low: number; readonly close: number; readonly timeMs?: number; readonly volume?: number };

/** Options for {@link barsOf}. */
export interface BarsOptions {
  /** Time of the first bar (default {@link T0_MS}). */
  readonly startMs?: number;
  /** Spacing of bars without their own time (default one day). */
  readonly stepMs?: number;
  /** Explicit bar times (overrides start/step). */
  readonly timesMs?: readonly number[];
  readonly extras?: Readonly<Record<string, readonly number[]>>;
  readonly volume?: readonly number[];
}

/** Builds a bar series from rows; bars are a day apart from 2024-01-01 unless told otherwise. */
export function barsOf(symbol: string, rows: readonly BarRow[], options: BarsOptions = {}): BarSeries {
  const n = rows.length;
  const columns = {
    timeMs: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
  };
  let volume: Float64Array | undefined = options.volume === undefined ? undefined : Float64Array.from(options.volume);
  const start = options.startMs ?? T0_MS;
  const step = options.stepMs ?? DAY_MS;
  rows.forEach((row, i) => {
    const r = Array.isArray(row)
      ? { open: row[0] as number, high: row[1] as number, low: row[2] as number, close: row[3] as number }
      : (row as Exclude<BarRow, readonly number[]>);
    columns.timeMs[i] = options.timesMs?.[i] ?? ('timeMs' in r && r.timeMs !== undefined ? r.timeMs : start + i * step);
    columns.open[i] = r.open;
    columns.high[i] = r.high;
    columns.low[i] = r.low;
    columns.close[i] = r.close;
    if ('volume' in r && r.volume !== undefined) {
      volume ??= new Float64Array(n).fill(Number.NaN);
      volume[i] = r.volume;
    }
  });
  const extras: Record<string, Float64Array> = {};
  for (const [name, values] of Object.entries(options.extras ?? {})) extras[name] = Float64Array.from(values);
  return makeBarSeries({ symbol, ...columns, volume, extras });
}

/** `n` bars whose open, high, low and close all equal `price`. */
export function flatBars(symbol: string, n: number, price: number, options: BarsOptions = {}): BarSeries {
  return barsOf(symbol, Array.from({ length: n }, () => [price, price, price, price] as const), options);
}

/** One scripted action. `as` names the order(s) so later actions and the test can refer to them. */
export type ScriptAction =
  | { readonly submit: OrderRequest; readonly as?: string }
  | { readonly bracket: BracketRequest; readonly as?: string }
  | { readonly oco: readonly OrderRequest[]; readonly as?: string }
  | { readonly cancel: string | number }
  | { readonly modify: string | number; readonly changes: OrderChanges }
  | { readonly closePosition: true; readonly symbol?: string; readonly tag?: string }
  | { readonly cancelAll: true; readonly symbol?: string };

/** Actions keyed by the step (or primary bar index) at which the strategy performs them; -1 = `init`. */
export type Script = Readonly<Record<number, readonly ScriptAction[]>>;

/** What one step of a scripted run looked like from inside the strategy. */
export interface Observation {
  readonly step: number;
  readonly timeMs: number;
  readonly cash: number;
  readonly equity: number;
  /** Position per symbol, in symbol order. */
  readonly positions: readonly number[];
}

/** Options for {@link scriptedStrategy}. */
export interface ScriptOptions {
  /** Key the script by the primary symbol's bar index (acting only when it has a new bar) instead of the step. */
  readonly byPrimaryBar?: boolean;
  /** Extra decisions made every bar after the scripted ones (e.g. data-dependent orders). */
  readonly onBar?: (ctx: StrategyContext, ids: Map<string, number>) => void;
}

/** Mutable record a scripted run writes into (refs → order ids, per-step observations, fills seen). */
export interface ScriptLog {
  readonly ids: Map<string, number>;
  readonly observations: Observation[];
  readonly fills: Fill[];
}

/**
 * A strategy that performs `script[k]` at step k (or primary bar k). Bracket refs `x` name the entry;
 * `x.tp` and `x.sl` name its exits; OCO refs `x` name the orders `x.0`, `x.1`, ….
 * Every created instance writes into the returned log (the log is reset when an instance starts).
 */
export function scriptedStrategy(script: Script, options: ScriptOptions = {}): { definition: StrategyDefinition; log: ScriptLog } {
  const log: ScriptLog = { ids: new Map(), observations: [], fills: [] };
  const resolve = (ref: string | number): number => {
    if (typeof ref === 'number') return ref;
    const id = log.ids.get(ref);
    if (id === undefined) throw new Error(`script refers to unknown order ${ref}`);
    return id;
  };
  const perform = (ctx: StrategyContext, actions: readonly ScriptAction[] | undefined): void => {
    for (const action of actions ?? []) {
      if ('submit' in action) {
        const id = ctx.submit(action.submit);
        if (action.as !== undefined) log.ids.set(action.as, id);
      } else if ('bracket' in action) {
        const ids = ctx.bracket(action.bracket);
        if (action.as !== undefined) {
          log.ids.set(action.as, ids.entryId);
          if (ids.takeProfitId !== undefined) log.ids.set(`${action.as}.tp`, ids.takeProfitId);
          if (ids.stopLossId !== undefined) log.ids.set(`${action.as}.sl`, ids.stopLossId);
        }
      } else if ('oco' in action) {
        const ids = ctx.oco(action.oco);
        if (action.as !== undefined) ids.forEach((id, i) => log.ids.set(`${action.as}.${i}`, id));
      } else if ('cancel' in action) ctx.cancel(resolve(action.cancel));
      else if ('modify' in action) ctx.modify(resolve(action.modify), action.changes);
      else if ('closePosition' in action) ctx.closePosition(action.symbol, action.tag);
      else ctx.cancelAll(action.symbol);
    }
  };
  const definition = defineStrategy({
    name: 'scripted',
    description: 'test-only: performs scripted order actions on given steps',
    params: {},
    create: () => ({
      init(ctx: StrategyContext): void {
        log.ids.clear();
        log.observations.length = 0;
        log.fills.length = 0;
        perform(ctx, script[-1]);
      },
      onBar(ctx: StrategyContext): void {
        log.observations.push({
          step: ctx.step,
          timeMs: ctx.timeMs,
          cash: ctx.cash,
          equity: ctx.equity,
          positions: ctx.symbols.map((s) => ctx.position(s)),
        });
        if (options.byPrimaryBar === true) {
          const primary = ctx.data();
          if (primary.updated) perform(ctx, script[primary.index]);
        } else perform(ctx, script[ctx.step]);
        options.onBar?.(ctx, log.ids);
      },
      onFill(_ctx: StrategyContext, fill: Fill): void {
        log.fills.push(fill);
      },
    }),
  });
  return { definition: definition as unknown as StrategyDefinition, log };
}

/** Runs a script over `data` with engine `options` (keeping the series and events unless told not to); returns the result and the script's log. */
export function runScript(
  data: BarSeries | readonly BarSeries[],
  script: Script,
  options: EngineOptions = {},
  scriptOptions: ScriptOptions = {},
  run: { readonly keepSeries?: boolean; readonly keepEvents?: boolean } = {},
): { result: BacktestResult; log: ScriptLog; id: (ref: string) => number } {
  const { definition, log } = scriptedStrategy(script, scriptOptions);
  const result = runBacktest({ data, strategy: definition, options, keepSeries: run.keepSeries ?? true, keepEvents: run.keepEvents ?? true });
  const id = (ref: string): number => {
    const value = log.ids.get(ref);
    if (value === undefined) throw new Error(`no order named ${ref}`);
    return value;
  };
  return { result, log, id };
}

type EventOfKind<K extends EngineEvent['kind']> = Extract<EngineEvent, { kind: K }>;

/** The events of one kind, in log order. */
export function eventsOfKind<K extends EngineEvent['kind']>(result: BacktestResult, kind: K): EventOfKind<K>[] {
  return result.events.filter((e): e is EventOfKind<K> => e.kind === kind);
}

/** All fills, in log order. */
export function fillsOf(result: BacktestResult): Fill[] {
  return eventsOfKind(result, 'OrderFilled').map((e) => e.fill);
}

/** The fill of one order, or undefined. */
export function fillOf(result: BacktestResult, orderId: number): Fill | undefined {
  return fillsOf(result).find((f) => f.orderId === orderId);
}

/** Events that concern one order (accepted, filled, cancelled, …), in log order. */
export function orderEvents(result: BacktestResult, orderId: number): EngineEvent[] {
  return result.events.filter((e) => (e.kind === 'OrderFilled' ? e.fill.orderId === orderId : 'orderId' in e && e.orderId === orderId));
}

/** The final status of an order as the events tell it: `working` when it never finished. */
export function finalStatus(result: BacktestResult, orderId: number): 'working' | 'filled' | 'canceled' | 'expired' | 'rejected' | 'unknown' {
  const events = orderEvents(result, orderId);
  if (events.length === 0) return 'unknown';
  for (const e of events) {
    if (e.kind === 'OrderFilled') return 'filled';
    if (e.kind === 'OrderCanceled') return 'canceled';
    if (e.kind === 'OrderExpired') return 'expired';
    if (e.kind === 'OrderRejected') return 'rejected';
  }
  return 'working';
}

/** The per-step series of a run made with `keepSeries` (the default); throws when it was not kept. */
export function seriesOf(result: BacktestResult): RunSeries {
  if (result.series === undefined) throw new Error('the run was made with keepSeries: false');
  return result.series;
}
