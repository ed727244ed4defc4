import { sliceBars, type BarSeries } from '../engine/bars.js';
import { createEngine, finishRun, replay, type BacktestInput, type BacktestResult } from '../engine/backtest.js';
import { ConfigError } from '../engine/config-error.js';
import type { Engine } from '../engine/engine.js';
import type { ParamSchema, ParamsOf } from '../engine/params.js';
import { parseBarMessage, type ParsedBar } from './bar-message.js';
import { LiveBars } from './live-bars.js';

/** What a paper session runs: a backtest's input (strategy, params, options, output) over live bars. */
export interface PaperSessionInput<S extends ParamSchema = ParamSchema> extends Omit<BacktestInput<S>, 'data'> {
  /** The config's data, one series per symbol in stream order (the first is the primary symbol). */
  readonly history: readonly BarSeries[];
  /** Replay the last `warmupBars` bars of each series before the first live bar; default all of them. */
  readonly warmupBars?: number | undefined;
  /** Receives one line per rejected message. Default: none. */
  readonly warn?: (message: string) => void;
  /** Room per symbol for warm-up and live bars together (see `LiveBars`). */
  readonly maxBarsPerSymbol?: number;
  /** Told of every bar taken and every step, e.g. to persist them (`state-journal.ts`). Default: none. */
  readonly journal?: PaperJournal;
}

/**
 * Follows a session as it changes, synchronously and in order: the hook through which its live
 * bars and the state after each step are persisted. An exception thrown here ends the run.
 */
export interface PaperJournal {
  /**
   * A live bar passed every check and is taken. Called before it changes anything; `step` is the
   * engine step that will take it (the next one), whether that comes now or when the rest of its
   * timestamp's bars are in.
   */
  barTaken(bar: ParsedBar, step: number): void;
  /** The engine ran a step: a warm-up step (`live` false, from the constructor) or one on live bars. */
  stepped(engine: Engine, live: boolean): void;
}

/** What {@link PaperSession.accept} did with a message. */
export type MessageOutcome = 'stepped' | 'buffered' | 'skipped' | 'rejected';

/**
 * The synchronous half of the live driver: one engine, built exactly as `runBacktest` builds it,
 * that first replays the warm-up and then takes feed messages one at a time.
 *
 * A paper run IS the backtest of its bars: the warm-up bars (the last `warmupBars` of each series
 * of the config's data) followed by the accepted live bars, stepped in the backtest's order —
 * by time, then by symbol order, all bars of one time in one step. Trades made during the warm-up
 * are part of the run (a position opened there is carried into live trading); the trade log,
 * metrics and digest cover both parts, so they equal `replaylab backtest` over the same bars.
 *
 * Every message is checked before anything changes; a rejected one leaves the run exactly as it
 * was. Rejected: not a bar (malformed JSON, missing or mistyped fields), an unknown symbol, bad
 * values (the loaders' row rules: NaN or non-positive prices, `high < low` …), a duplicate or
 * out-of-order time for its symbol, or a time the run has already stepped past (late). Skipped
 * (not an error): a bar at or before its symbol's last bar in the config's data — history, which
 * the warm-up covers (a replay feed re-sends it); live bars are the ones after the history. After
 * {@link skipTakenBars}, bars the session has already taken are skipped the same way.
 */
export class PaperSession<S extends ParamSchema = ParamSchema> {
  readonly engine: Engine;
  readonly symbols: readonly string[];
  /** The growing series (warm-up, then live bars), one per symbol. */
  readonly bars: readonly LiveBars[];
  /** The warm-up bars as replayed, one series per symbol (views of the config's data). */
  readonly warmup: readonly BarSeries[];
  /** Bars replayed in the warm-up, all symbols. */
  readonly warmupBars: number;
  /** Live bars stepped so far, all symbols. */
  liveBars = 0;
  rejectedMessages = 0;
  skippedMessages = 0;
  private readonly params: ParamsOf<S>;
  private readonly strategyName: string;
  private readonly rank: ReadonlyMap<string, number>;
  /** Per symbol: time of its last bar in the config's data (-Infinity without one). */
  private readonly historyEndMs: Float64Array;
  /** Symbols with a bar in the pending (not yet stepped) timestamp. */
  private readonly inGroup: Uint8Array;
  private groupSize = 0;
  private pendingMs = Number.NaN;
  private result: BacktestResult | undefined;
  private readonly warn: (message: string) => void;
  private readonly journal: PaperJournal | undefined;

  /** Resolves params and options (throws `ConfigError` as `runBacktest` does), builds the engine and replays the warm-up. */
  constructor(input: PaperSessionInput<S>) {
    const history = input.history;
    if (history.length === 0) throw new ConfigError('data', 'no bar series given');
    const symbols = history.map((s) => s.symbol);
    if (new Set(symbols).size !== symbols.length) throw new ConfigError('data', `duplicate symbols: ${symbols.join(', ')}`);
    const warmupBars = input.warmupBars ?? Number.POSITIVE_INFINITY;
    if (!(warmupBars >= 0)) throw new ConfigError('warmup.bars', `must be a whole number >= 0, was ${warmupBars}`);

    this.symbols = Object.freeze(symbols);
    this.strategyName = input.strategy.name;
    this.warn = input.warn ?? (() => {});
    this.journal = input.journal;
    this.rank = new Map(symbols.map((symbol, s) => [symbol, s]));
    this.warmup = Object.freeze(history.map((s) => sliceBars(s, Math.max(0, s.length - warmupBars), s.length)));
    this.bars = Object.freeze(this.warmup.map((s) => LiveBars.copyOf(s, input.maxBarsPerSymbol)));
    // The end of the history, not of the warm-up: with `warmupBars: 0` the history is still the past.
    this.historyEndMs = Float64Array.from(history, (b) => (b.length > 0 ? b.timeMs[b.length - 1]! : Number.NEGATIVE_INFINITY));
    this.warmupBars = this.warmup.reduce((n, s) => n + s.length, 0);
    this.inGroup = new Uint8Array(symbols.length);

    // The same factory as runBacktest: params, options, instruments, strategy instance, started.
    const { engine, params } = createEngine({ ...input, series: this.bars, capacity: this.warmupBars });
    this.engine = engine;
    this.params = params;
    this.replayWarmup();
  }

  /** Time of the last step (epoch ms), -Infinity before the first. */
  get lastTimeMs(): number {
    return this.engine.clock.nowMs();
  }

  /** Account equity at the last step's close. */
  get equity(): number {
    return this.engine.portfolio.equity();
  }

  /** True once {@link finish} was called. */
  get finished(): boolean {
    return this.result !== undefined;
  }

  /**
   * Takes one feed message (a `BarMessage` or its JSON text; anything else is rejected). Steps the
   * engine when the message completes a timestamp (every symbol has a bar at it) or starts a later
   * one (the pending timestamp is stepped first).
   */
  accept(message: unknown): MessageOutcome {
    if (this.result !== undefined) throw new Error('the paper session has finished');
    const parsed = parseBarMessage(message);
    if (parsed.bar === undefined) return this.reject(parsed.problem);
    const bar = parsed.bar;
    const s = this.rank.get(bar.symbol);
    if (s === undefined) return this.reject(`unknown symbol ${bar.symbol} — this run trades ${this.symbols.join(', ')}; make the feed's symbols match the config's data`);
    const bars = this.bars[s]!;
    const t = bar.timeMs;
    const problem = bars.problemWith(bar);
    if (problem !== undefined) return this.reject(`${bar.symbol} bar at ${iso(t)}: ${problem}`);
    if (t <= this.historyEndMs[s]!) {
      this.skippedMessages++;
      return 'skipped';
    }
    const last = bars.lastTimeMs;
    if (t === last) return this.reject(`${bar.symbol} bar at ${iso(t)}: duplicate time (that bar was taken already)`);
    if (t < last) return this.reject(`${bar.symbol} bar at ${iso(t)}: out of order (its last bar is at ${iso(last)})`);
    const movedOn = this.groupSize > 0 ? this.pendingMs : this.lastTimeMs;
    if (this.groupSize > 0 ? t < movedOn : t <= movedOn) {
      return this.reject(`${bar.symbol} bar at ${iso(t)}: late — the run is at ${iso(movedOn)} already (a feed must send the bars of all symbols in time order)`);
    }
    if (this.groupSize > 0 && t > this.pendingMs) this.flush();
    this.journal?.barTaken(bar, this.engine.clock.step + 1);
    bars.append(bar);
    this.pendingMs = t;
    this.inGroup[s] = 1;
    this.groupSize++;
    if (this.groupSize < this.symbols.length) return 'buffered';
    this.flush();
    return 'stepped';
  }

  /** Steps the pending timestamp, if any (bars of the symbols that have one at it). */
  flush(): void {
    if (this.groupSize === 0) return;
    const views = this.engine.views;
    for (let s = 0; s < views.length; s++) {
      const view = views[s]!;
      view.updated = this.inGroup[s] === 1;
      if (view.updated) view.index = this.bars[s]!.length - 1;
      this.inGroup[s] = 0;
    }
    this.liveBars += this.groupSize;
    this.groupSize = 0;
    this.engine.step(this.pendingMs);
    this.journal?.stepped(this.engine, true);
  }

  /**
   * From now on, skips (as history) every bar at or before one this session has taken: its
   * symbol's last bar, or the last step. For a session rebuilt from persisted bars whose feed sends
   * them again (a replay feed restarts at its file's beginning).
   */
  skipTakenBars(): void {
    const lastStepMs = this.lastTimeMs;
    for (let s = 0; s < this.bars.length; s++) {
      this.historyEndMs[s] = Math.max(this.historyEndMs[s]!, this.bars[s]!.lastTimeMs, lastStepMs);
    }
  }

  /** Steps what is pending and collects the run (`finishRun`: the backtest's result and digest). Once. */
  finish(): BacktestResult {
    if (this.result === undefined) {
      this.flush();
      this.result = finishRun(this.engine, this.strategyName, this.params as Readonly<Record<string, number | boolean | string>>, this.symbols);
    }
    return this.result;
  }

  private reject(problem: string): 'rejected' {
    this.rejectedMessages++;
    this.warn(`rejected: ${problem}`);
    return 'rejected';
  }

  /** The backtest's merge over the warm-up bars: by time, then symbol order; one step per time. */
  private replayWarmup(): void {
    const journal = this.journal;
    replay(this.engine, this.bars, journal === undefined ? undefined : () => journal.stepped(this.engine, false));
  }
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}
