import type { BarSeries } from './bars.js';
import { BarCursor } from './bar-cursor.js';
import { SimulatedBroker, type BrokerBar } from './broker.js';
import { EngineContext } from './context.js';
import { EntryGate } from './entry-gate.js';
import type { ResolvedEngineConfig } from './engine-config.js';
import type { EngineEvent } from './events.js';
import type { Fill } from './fill.js';
import type { Instrument } from './instrument.js';
import { OrderManager } from './order-manager.js';
import { Portfolio } from './portfolio.js';
import { ReplayClock } from './clock.js';
import { DigestWriter } from './digest.js';
import { EquityAccumulator } from './metrics/equity-accumulator.js';
import { DAY_MS } from './metrics/stats.js';
import { SeriesRecorder } from './series-recorder.js';
import { StepClose, StepTime } from './step-close.js';
import type { Strategy } from './strategy.js';
import { SymbolData } from './symbol-data.js';

/**
 * One deterministic engine: broker, portfolio, strategy context and order manager wired together.
 * A driver (the backtest loop, or later a live feed) advances the symbols' bar indexes and calls
 * {@link Engine.step} once per timestamp; the engine runs the fixed phases
 * broker → portfolio → risk → strategy → order manager.
 */
export class Engine {
  readonly portfolio: Portfolio;
  readonly broker: SimulatedBroker;
  readonly orders: OrderManager;
  readonly context: EngineContext;
  /** One view per symbol, in stream order. */
  readonly views: readonly SymbolData[];
  /** Every decision, in order. */
  readonly events: EngineEvent[] = [];
  /** Full per-step series, or undefined when the run streams its statistics only. */
  readonly recorder: SeriesRecorder | undefined;
  /** Streamed statistics of the net equity curve. */
  readonly netCurve: EquityAccumulator;
  /** Streamed statistics of the equity curve with costs added back (undefined when costs are zero). */
  readonly grossCurve: EquityAccumulator | undefined;
  readonly digest = new DigestWriter();
  /** This step's time and equity, handed to the accumulators without boxing (see {@link StepClose}). */
  private readonly stepClose = new StepClose();
  /** The gross-of-costs curve's close (time and equity + costs). */
  private readonly grossClose = new StepClose();
  /** {@link step}'s holder for the time it hands to {@link stepAt}. */
  private readonly stepTime = new StepTime();
  /** Moves with the steps; never backwards. */
  readonly clock = new ReplayClock();
  private readonly hasExpiries: boolean;
  /** Per symbol: the smallest spacing between consecutive bars scanned so far (causal session-bar test). */
  private readonly minGapMs: Float64Array;
  /** Per symbol: bars before this index have been scanned into {@link minGapMs}. */
  private readonly gapScanned: Int32Array;
  /** Keep every event in {@link Engine.events} (false for grids: they need metrics and digest only). */
  private readonly keepEvents: boolean;
  /** The broker's view of the bar it matches orders against (reads columns on demand). */
  private readonly cursor: BarCursor;
  /** Regimes and risk manager (the risk phase); undefined when the run configures neither. */
  readonly gate: EntryGate | undefined;

  constructor(
    readonly config: ResolvedEngineConfig,
    readonly instruments: readonly Instrument[],
    private readonly series: readonly BarSeries[],
    private readonly strategy: Strategy,
    /** Keep the full per-step series (preallocated for `capacity` steps), or stream statistics only. */
    output: { readonly keepSeries: boolean; readonly keepEvents?: boolean; readonly keepDailyEquity?: boolean; readonly capacity?: number } = {
      keepSeries: true,
    },
  ) {
    if (series.length === 0) throw new RangeError('an engine needs at least one bar series');
    this.portfolio = new Portfolio(instruments, config.initialCapital);
    this.keepEvents = output.keepEvents ?? true;
    this.broker = new SimulatedBroker(
      instruments,
      this.portfolio,
      config.broker,
      (event) => this.record(event),
      this.keepEvents || strategy.onFill !== undefined,
    );
    this.minGapMs = new Float64Array(series.length).fill(Number.POSITIVE_INFINITY);
    this.gapScanned = new Int32Array(series.length).fill(1);
    this.orders = new OrderManager(this.broker, this.clock, instruments, instruments[0]!.id);
    this.views = series.map((bars, rank) => new SymbolData(bars, rank));
    this.context = new EngineContext(this.views, this.portfolio, this.broker, this.orders, config.broker.commissionRate, this.clock);

    const downsideTarget = config.riskFreeRate / 252;
    this.netCurve = new EquityAccumulator(config.initialCapital, {
      downsideTarget,
      keepDayEnds: output.keepDailyEquity ?? output.keepSeries,
      maxDays: maxDaysOf(series),
    });
    const costFree = Object.values(config.costs).every((v) => v === 0 || v === null || v === false);
    this.grossCurve = costFree ? undefined : new EquityAccumulator(config.initialCapital, { downsideTarget });
    // A single series steps once per bar: its time column is the step times (no copy).
    this.recorder = output.keepSeries ? new SeriesRecorder(output.capacity, { time: series.length > 1, costs: !costFree }) : undefined;
    this.hasExpiries = instruments.some((i) => i.expiryMs !== undefined);
    this.cursor = new BarCursor(series[0]!);
    this.gate =
      config.regimes === undefined && config.risk === undefined
        ? undefined
        : new EntryGate(config.regimes, config.risk, {
            series,
            instruments,
            portfolio: this.portfolio,
            broker: this.broker,
            orders: this.orders,
            clock: this.clock,
            initialCapital: config.initialCapital,
            sessionOffsetMs: config.sessionOffsetMs,
            emit: (event) => this.record(event),
          });
    this.orders.gate = this.gate;
    this.context.gate = this.gate;
    this.context.emit = (event) => this.record(event);
  }

  /** Time of every step so far (a view; for a single series, of its own time column). */
  stepTimes(): Float64Array {
    const recorded = this.recorder?.view().timeMs;
    if (recorded !== undefined) return recorded;
    if (this.series.length === 1) return this.series[0]!.timeMs.subarray(0, this.clock.step + 1);
    throw new Error('step times of a multi-series run are kept only with keepSeries');
  }

  /** Calls the strategy's `init` (before the first step). */
  start(): void {
    this.strategy.init?.(this.context);
    if (this.orders.pending) this.orders.flush();
  }

  /**
   * Runs one step at `timeMs`. Before calling, the driver has set `index` and `updated = true` on
   * the views of the symbols that have a bar at this time (and `updated = false` on the others).
   */
  step(timeMs: number): void {
    const at = this.stepTime;
    at.timeMs = timeMs;
    this.stepAt(at);
  }

  /**
   * {@link step} with the time read from a holder the driver reuses: a number this large passed to
   * a call V8 does not inline is boxed — one heap allocation per step — while an object is not.
   */
  stepAt(at: StepTime): void {
    this.run(at, undefined, 0, 1);
  }

  /**
   * Steps through bars `from … to − 1` of a single-series engine, one step per bar (the backtest's
   * usual case), in one call: the loop runs inside the optimized step body instead of calling it
   * per bar. Same steps as {@link step} for each bar.
   */
  stepBars(from: number, to: number): void {
    if (this.series.length !== 1) throw new RangeError('stepBars drives a single-series engine; use step() per timestamp');
    this.run(undefined, this.series[0]!.timeMs, from, to);
  }

  /**
   * The step body, for bars `from … to − 1`: with `time`, a single-series run over those bars (the
   * view's index moves with them); without, one step at `at.timeMs` with the views as the driver set them.
   */
  private run(at: StepTime | undefined, time: Float64Array | undefined, from: number, to: number): void {
    // Checked before anything moves: a step would book fills and then fail at the equity curve.
    if (this.netCurve.isFinished) throw new Error('this engine has finished (finishRun collected its result): it takes no more steps');
    const clock = this.clock;
    const views = this.views;
    const portfolio = this.portfolio;
    for (let bar = from; bar < to; bar++) {
      let timeMs: number;
      if (time === undefined) timeMs = at!.timeMs;
      else {
        timeMs = time[bar]!;
        const view = views[0]!;
        view.index = bar;
        view.updated = true;
      }
      clock.advance(timeMs);
      const step = clock.step;

      // 1. Broker: orders accepted before this step meet this bar. 2. Portfolio: marks.
      if (time !== undefined) this.brokerPhase(0, bar, step);
      else {
        for (let s = 0; s < views.length; s++) {
          const view = views[s]!;
          if (view.updated) this.brokerPhase(s, view.index, step);
        }
      }
      if (this.hasExpiries) this.settleExpiries(step, timeMs);
      // 3. Risk: regimes and the risk manager (circuit breakers, flattening, RegimeChanged).
      if (this.gate !== undefined) this.gate.onBar(step, timeMs, views);
      // 4. Strategy.
      this.strategy.onBar(this.context);
      // 5. Order manager.
      if (this.orders.pending) this.orders.flush();
      this.broker.endStep();

      const exposed = portfolio.openPositions > 0;
      const close = this.stepClose;
      close.timeMs = timeMs;
      if (exposed) portfolio.equityInto(close);
      else close.equity = portfolio.cash;
      this.netCurve.pushClose(close, exposed);
      this.digest.pushClose(close);
      const equity = close.equity;
      if (this.gate !== undefined) this.gate.afterStep(timeMs, equity);
      if (this.grossCurve !== undefined || this.recorder !== undefined) this.pushGrossAndSeries(exposed);
    }
  }

  /** Symbol `s` has bar `i` at this step: its working orders meet the bar, then its mark moves to the close. */
  private brokerPhase(s: number, i: number, step: number): void {
    if (this.broker.hasWorkingOrders(s)) this.broker.matchBar(s, step, this.loadBar(s, i), this.isSessionBar(s, i));
    this.portfolio.mark[s] = this.series[s]!.close[i]!;
  }

  /**
   * The gross-of-costs curve and the kept series, from this step's close. Numbers go through
   * reused {@link StepClose} objects: passed as arguments to calls V8 does not inline they would be
   * boxed, several allocations per step.
   */
  private pushGrossAndSeries(exposed: boolean): void {
    const portfolio = this.portfolio;
    const close = this.stepClose;
    const costs = portfolio.feesPaid + portfolio.slippagePaid;
    if (this.grossCurve !== undefined) {
      const gross = this.grossClose;
      gross.timeMs = close.timeMs;
      gross.equity = close.equity + costs;
      this.grossCurve.pushClose(gross, exposed);
    }
    if (this.recorder !== undefined) {
      close.exposure = exposed ? portfolio.grossExposure() / close.equity : 0;
      close.costs = costs;
      this.recorder.pushClose(close);
    }
  }

  /**
   * True when symbol `s`'s bars up to `i` are all at least {@link SESSION_BAR_MS} apart (each bar a
   * whole session). Scans the gaps lazily — only steps with working orders ask — so a step without
   * orders costs nothing here; the answer still depends on bars up to `i` only.
   */
  private isSessionBar(s: number, i: number): boolean {
    let min = this.minGapMs[s]!;
    // The smallest gap only shrinks: once under a session it stays under (intraday data: always).
    if (min < SESSION_BAR_MS) return false;
    const time = this.series[s]!.timeMs;
    for (let k = this.gapScanned[s]!; k <= i; k++) {
      const gap = time[k]! - time[k - 1]!;
      if (gap < min) min = gap;
    }
    if (i + 1 > this.gapScanned[s]!) this.gapScanned[s] = i + 1;
    this.minGapMs[s] = min;
    return min >= SESSION_BAR_MS;
  }

  private settleExpiries(step: number, timeMs: number): void {
    for (let s = 0; s < this.instruments.length; s++) {
      const expiry = this.instruments[s]!.expiryMs;
      if (expiry !== undefined && timeMs >= expiry && this.portfolio.qty[s] !== 0) this.settle(s, step, timeMs);
    }
  }

  private loadBar(s: number, i: number): BrokerBar {
    return this.cursor.moveTo(this.series[s]!, i);
  }


  private settle(s: number, step: number, timeMs: number): void {
    const qty = this.portfolio.qty[s]!;
    const price = this.portfolio.mark[s]!;
    const fill: Fill = {
      orderId: 0,
      instrumentId: this.instruments[s]!.id,
      side: qty > 0 ? 'sell' : 'buy',
      qty: Math.abs(qty),
      price,
      slippage: 0,
      fee: 0,
      timeMs,
      step,
      tag: 'expiry',
    };
    this.portfolio.applyFill(s, fill);
    this.record({ kind: 'PositionSettled', step, timeMs, instrumentId: fill.instrumentId, qty, price, reason: 'expiry' });
  }

  private record(event: EngineEvent): void {
    if (this.keepEvents) this.events.push(event);
    if (event.kind === 'OrderFilled' && this.strategy.onFill !== undefined) this.strategy.onFill(this.context, event.fill);
  }
}

/**
 * At most how many UTC days a replay of `series` steps through: each bar starts at most one day,
 * and no more days than the calendar span holds (a live run appends bars: then the growth rule of
 * the accumulator applies past this).
 */
function maxDaysOf(series: readonly BarSeries[]): number {
  let bars = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    bars += s.length;
    if (s.length === 0) continue;
    first = Math.min(first, s.timeMs[0]!);
    last = Math.max(last, s.timeMs[s.length - 1]!);
  }
  if (bars === 0) return 0;
  const calendarDays = Math.floor(last / DAY_MS) - Math.floor(first / DAY_MS) + 1;
  return Math.min(bars, calendarDays);
}


/**
 * Bars at least this far apart are whole sessions (daily, weekly …). Decided causally from the
 * smallest spacing between the symbol's bars seen so far — timestamps only, never prices — so a
 * day order on daily bars ends with its one session bar, while intraday bars share a session.
 */
const SESSION_BAR_MS = 20 * 3_600_000;
