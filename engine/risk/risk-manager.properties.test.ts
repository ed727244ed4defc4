/**
 * Property tests of the risk manager over random runs: random configs, bars (equity, closes,
 * session changes), closed trades, and entry/exit orders that become positions only when allowed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveRiskOptions, type ResolvedRiskConfig, type RiskOptions } from './risk-config.js';
import { RiskManager } from './risk-manager.js';
import type { RiskSnapshot } from './risk-state.js';
import type { OrderIntent, RiskPosition, WorkingEntry } from './risk-types.js';
import { T0_MS } from './test-support.js';

const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD'] as const;
const GROUPS = { AAA: 'tech', BBB: 'tech', CCC: 'energy' };

interface PlannedOrder {
  readonly sym: number;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly stopOffset: number | undefined;
  readonly isEntry: boolean;
}

interface Step {
  readonly newSession: boolean;
  readonly equityFactor: number;
  /** Return per symbol this bar; `null` = no bar for that symbol. */
  readonly moves: readonly (number | null)[];
  readonly trades: readonly { readonly pnl: number; readonly r: number | undefined }[];
  readonly orders: readonly PlannedOrder[];
  /** Bit i: pending entry i fills before the next bar (else it keeps working). */
  readonly fillMask: number;
  /** Bit i: position i is closed before the next bar. */
  readonly exitMask: number;
}

const step: fc.Arbitrary<Step> = fc.record({
  newSession: fc.boolean(),
  equityFactor: fc.double({ min: 0.95, max: 1.05, noNaN: true }),
  moves: fc.array(fc.option(fc.double({ min: -0.15, max: 0.15, noNaN: true }), { nil: null, freq: 5 }), { minLength: 4, maxLength: 4 }),
  trades: fc.array(fc.record({ pnl: fc.integer({ min: -3000, max: 3000 }), r: fc.option(fc.double({ min: -3, max: 3, noNaN: true }), { nil: undefined }) }), { maxLength: 3 }),
  orders: fc.array(
    fc.record({
      sym: fc.integer({ min: 0, max: 3 }),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      qty: fc.integer({ min: 1, max: 50 }),
      stopOffset: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
      isEntry: fc.boolean(),
    }),
    { maxLength: 5 },
  ),
  fillMask: fc.nat(),
  exitMask: fc.oneof(fc.constant(0), fc.constant(0), fc.nat()),
});

const count = fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined });
const options: fc.Arbitrary<RiskOptions> = fc
  .record({
    maxOpenPositions: count,
    maxPositionsPer: fc.record({ side: count, symbol: count, group: count }),
    maxCapitalAtRisk: fc.option(fc.integer({ min: 500, max: 20_000 }), { nil: undefined }),
    maxNotionalPerOrder: fc.option(fc.integer({ min: 1000, max: 6000 }), { nil: undefined }),
    dailyLossPct: fc.option(fc.double({ min: 0.5, max: 5, noNaN: true }), { nil: undefined }),
    dailyLossR: fc.option(fc.double({ min: 0.5, max: 5, noNaN: true }), { nil: undefined }),
    dailyProfitR: fc.option(fc.double({ min: 0.5, max: 5, noNaN: true }), { nil: undefined }),
    maxDrawdownPct: fc.option(fc.double({ min: 2, max: 20, noNaN: true }), { nil: undefined }),
    flattenOnDrawdown: fc.boolean(),
    losses: fc.option(fc.record({ maxConsecutiveLosses: fc.integer({ min: 1, max: 4 }), pauseBars: fc.integer({ min: 1, max: 4 }) }), { nil: undefined }),
    days: fc.option(fc.record({ maxLosingDays: fc.integer({ min: 1, max: 3 }), pauseDays: fc.integer({ min: 1, max: 2 }) }), { nil: undefined }),
    volSpike: fc.option(fc.record({ k: fc.double({ min: 1, max: 3, noNaN: true }), lookback: fc.integer({ min: 2, max: 6 }), pauseBars: fc.integer({ min: 1, max: 3 }) }), { nil: undefined }),
    var: fc.option(fc.record({ confidence: fc.constantFrom(0.8, 0.9, 0.95), lookback: fc.integer({ min: 2, max: 8 }), maxPct: fc.double({ min: 0.1, max: 3, noNaN: true }) }), { nil: undefined }),
    correlation: fc.option(fc.record({ max: fc.double({ min: -0.5, max: 0.95, noNaN: true }), lookback: fc.integer({ min: 3, max: 8 }) }), { nil: undefined }),
  })
  .map(({ losses, days, ...rest }) => ({ ...rest, ...losses, ...days, groups: GROUPS, riskPerTrade: 1000 }));

/** Everything a run produced, in call order, for comparing runs. */
type LogEntry = readonly [string, unknown];

interface World {
  equity: number;
  session: number;
  closes: number[];
  positions: RiskPosition[];
  working: WorkingEntry[];
}

/**
 * Plays `steps` through a manager: the bar is booked, trades close, orders are checked and the
 * allowed entries become working orders that fill later. With `splitAt`, the manager is replaced
 * by one restored from a JSON round trip of its snapshot: before step `splitAt / 2` when even,
 * else between the first and second order of step `(splitAt − 1) / 2` (with entries reserved).
 */
function simulate(config: ResolvedRiskConfig, steps: readonly Step[], splitAt?: number, onCheck?: (risk: RiskManager, world: World) => void): LogEntry[] {
  let risk = new RiskManager(config, SYMBOLS);
  const world: World = { equity: 100_000, session: 1, closes: [100, 100, 100, 100], positions: [], working: [] };
  const log: LogEntry[] = [];
  steps.forEach((s, index) => {
    const roundTrip = (): RiskManager => RiskManager.restore(config, SYMBOLS, JSON.parse(JSON.stringify(risk.snapshot())) as RiskSnapshot);
    if (index * 2 === splitAt) risk = roundTrip();
    if (s.newSession) world.session++;
    world.equity *= s.equityFactor;
    const closes: Record<string, number> = {};
    s.moves.forEach((m, i) => {
      if (m === null) return;
      world.closes[i] = world.closes[i]! * (1 + m);
      closes[SYMBOLS[i]!] = world.closes[i]!;
    });
    world.positions = world.positions.map((p) => ({ ...p, price: world.closes[(SYMBOLS as readonly string[]).indexOf(p.symbol)]! }));
    const bar = { timeMs: T0_MS + index * 3_600_000, session: world.session, equity: world.equity, positions: world.positions, closes, workingEntries: world.working };
    log.push(['bar', risk.onBar(bar)]);
    for (const t of s.trades) log.push(['trade', risk.onTradeClosed(t.pnl, t.r)]);
    onCheck?.(risk, world);
    s.orders.forEach((o, n) => {
      if (index * 2 + 1 === splitAt && n === 1) risk = roundTrip();
      const price = world.closes[o.sym]!;
      const stop = o.stopOffset === undefined ? undefined : o.side === 'buy' ? price - o.stopOffset : price + o.stopOffset;
      const intent: OrderIntent = { symbol: SYMBOLS[o.sym]!, side: o.side, qty: o.qty, price, multiplier: 1, stop, isEntry: o.isEntry };
      const decision = risk.checkOrder(intent);
      log.push(['order', decision]);
      if (decision === undefined && o.isEntry) world.working.push({ symbol: intent.symbol, side: o.side, qty: o.qty, price, multiplier: 1, stop });
    });
    log.push(['figures', [risk.halted, risk.dailyR, risk.cumulativeR]]);
    world.positions = world.positions.filter((_, i) => ((s.exitMask >> i) & 1) === 0);
    const stillWorking: WorkingEntry[] = [];
    world.working.forEach((w, i) => {
      if (((s.fillMask >> i) & 1) === 0) stillWorking.push(w);
      else world.positions.push({ symbol: w.symbol, qty: w.side === 'buy' ? w.qty : -w.qty, price: w.price, multiplier: 1, entryPrice: w.price, stop: w.stop });
    });
    world.working = stillWorking;
  });
  return log;
}

const steps = fc.array(step, { minLength: 1, maxLength: 40 });

describe('RiskManager properties', () => {
  it('position-count limits are never exceeded by positions and working entries placed only when allowed', () => {
    fc.assert(
      fc.property(options, steps, fc.boolean(), (raw, plan, countsOnly) => {
        // Half the runs keep only the count limits, so that many entries pass and fill.
        const { maxOpenPositions: total, maxPositionsPer: per, groups } = raw;
        const config = resolveRiskOptions(countsOnly ? { maxOpenPositions: total, maxPositionsPer: per, groups } : raw);
        const { maxOpenPositions, maxPositionsPer } = config;
        simulate(config, plan, undefined, (_risk, world) => {
          const held = [...world.positions.map((p) => ({ symbol: p.symbol, long: p.qty > 0 })), ...world.working.map((w) => ({ symbol: w.symbol, long: w.side === 'buy' }))];
          if (maxOpenPositions !== undefined) expect(held.length).toBeLessThanOrEqual(maxOpenPositions);
          for (const long of [true, false]) {
            if (maxPositionsPer.side !== undefined) expect(held.filter((h) => h.long === long).length).toBeLessThanOrEqual(maxPositionsPer.side);
          }
          for (const symbol of SYMBOLS) {
            if (maxPositionsPer.symbol !== undefined) expect(held.filter((h) => h.symbol === symbol).length).toBeLessThanOrEqual(maxPositionsPer.symbol);
          }
          if (maxPositionsPer.group !== undefined) {
            expect(held.filter((h) => h.symbol === 'AAA' || h.symbol === 'BBB').length).toBeLessThanOrEqual(maxPositionsPer.group);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('no entry is allowed while halted, and a halt-free state rejects nothing when only circuit breakers are on', () => {
    fc.assert(
      fc.property(options, steps, fc.integer({ min: 0, max: 3 }), (raw, plan, sym) => {
        const breakersOnly = resolveRiskOptions({ ...raw, maxOpenPositions: undefined, maxPositionsPer: undefined, maxCapitalAtRisk: undefined, maxNotionalPerOrder: undefined, var: undefined, correlation: undefined });
        for (const config of [resolveRiskOptions(raw), breakersOnly]) {
          simulate(config, plan, undefined, (risk, world) => {
            const probe: OrderIntent = { symbol: SYMBOLS[sym]!, side: 'buy', qty: 1, price: world.closes[sym]!, multiplier: 1, stop: undefined, isEntry: true };
            const before = risk.snapshot();
            const decision = RiskManager.restore(config, SYMBOLS, before).checkOrder(probe);
            if (risk.halted) expect(decision).toMatch(/^ORDER_REJECTED: (halted|paused) \(/);
            else if (config === breakersOnly) expect(decision).toBeUndefined();
            expect(RiskManager.restore(config, SYMBOLS, before).checkOrder({ ...probe, isEntry: false })).toBeUndefined();
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('cumulative R is the sum of the R multiples passed in', () => {
    fc.assert(
      fc.property(options, fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.boolean()), { maxLength: 60 }), (raw, trades) => {
        const risk = new RiskManager(resolveRiskOptions(raw), SYMBOLS);
        let sum = 0;
        let session = 1;
        trades.forEach(([r, newSession], i) => {
          if (newSession) session++;
          risk.onBar({ timeMs: T0_MS + i, session, equity: 100_000, positions: [], closes: {} });
          risk.onTradeClosed(r * 1000, r);
          sum += r;
          expect(risk.cumulativeR).toBe(sum);
        });
      }),
    );
  });

  it('snapshot → JSON → restore takes the same decisions as the uninterrupted run', () => {
    fc.assert(
      fc.property(options, steps, fc.nat(), (raw, plan, at) => {
        const config = resolveRiskOptions(raw);
        const splitAt = at % (2 * plan.length);
        expect(simulate(config, plan, splitAt)).toEqual(simulate(config, plan));
      }),
      { numRuns: 300 },
    );
  });
});
