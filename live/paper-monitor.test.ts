import { describe, expect, it } from 'vitest';
import { makeBarSeries } from '../engine/bars.js';
import type { StrategyDefinition } from '../engine/strategy.js';
import { smaCross } from '../strategies/sma-cross.js';
import type { Alert, AlertSink } from './alerts.js';
import { PaperMonitor } from './paper-monitor.js';
import { PaperSession } from './paper-session.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const HISTORY = [20, 19, 18, 17, 16, 15];
const LIVE = [16, 18, 20, 22, 24, 15, 12, 10, 9];

function session(): PaperSession {
  const n = HISTORY.length;
  const close = Float64Array.from(HISTORY);
  const history = makeBarSeries({ symbol: 'X', timeMs: Float64Array.from(HISTORY, (_, i) => T0 + i * DAY), open: close, high: close.map((c) => c + 1), low: close.map((c) => c - 1), close });
  expect(history.length).toBe(n);
  return new PaperSession({ history: [history], strategy: smaCross as unknown as StrategyDefinition, params: { fast: 2, slow: 3 }, keepSeries: false, keepEvents: true });
}

const bar = (k: number) => ({ symbol: 'X', timeMs: T0 + (HISTORY.length + k) * DAY, open: LIVE[k]!, high: LIVE[k]! + 1, low: LIVE[k]! - 1, close: LIVE[k]! });

class Collect implements AlertSink {
  readonly alerts: Alert[] = [];
  send(alert: Alert): void {
    this.alerts.push(alert);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

describe('PaperMonitor', () => {
  it('alerts an entry order, its fill and the exit, and snapshots the run', () => {
    const s = session();
    const sink = new Collect();
    const monitor = new PaperMonitor(s, { name: 'demo', feed: 'test', dispatcher: sink, discardRead: true, nowMs: () => 123 });
    const snapshots = [];
    for (let k = 0; k < LIVE.length; k++) {
      s.accept(bar(k));
      monitor.afterStep();
      snapshots.push(monitor.snapshot());
      expect(s.engine.events).toHaveLength(0);
    }
    expect(sink.alerts.map((a) => a.kind)).toEqual(['OPPORTUNITY', 'FILL', 'EXIT']);
    expect(monitor.recent.list()).toEqual(sink.alerts);
    const trades = s.finish().trades;
    expect(trades).toHaveLength(1);
    expect(sink.alerts[2]!.timeMs).toBe(trades[0]!.exitTimeMs);

    // While the position is open: a position with unrealized P&L at the last close.
    const holding = snapshots.find((x) => x.positions.length > 0)!;
    expect(holding.positions[0]).toMatchObject({ symbol: 'X' });
    expect(holding.positions[0]!.qty).toBeGreaterThan(0);
    expect(holding.positions[0]!.lastPrice).toBe(holding.symbols[0]!.lastClose);
    expect(holding.positions[0]!.unrealizedPnl).toBeCloseTo(holding.positions[0]!.qty * (holding.positions[0]!.lastPrice - holding.positions[0]!.entryPrice), 6);
    // The step that placed the entry shows it as a working order.
    const placed = snapshots.find((x) => x.workingOrders.length > 0)!;
    expect(placed.workingOrders[0]).toMatchObject({ symbol: 'X', side: 'buy', type: 'market' });

    const last = snapshots[snapshots.length - 1]!;
    expect(last).toMatchObject({ name: 'demo', wallTimeMs: 123, feed: { description: 'test', state: 'live' }, positions: [], workingOrders: [] });
    expect(last.counts).toEqual({ warmupBars: HISTORY.length, liveBars: LIVE.length, rejectedMessages: 0, skippedMessages: 0 });
    expect(last.symbols).toEqual([{ symbol: 'X', lastClose: 9, lastBarTimeMs: bar(LIVE.length - 1).timeMs }]);
    expect(last.lastBarTimeMs).toBe(bar(LIVE.length - 1).timeMs);
    expect(last.equity).toBeCloseTo(s.equity, 9);
    // Daily bars: today's P&L is the last bar's equity change (flat on the last two bars).
    expect(last.today).toEqual({ pnl: 0, r: undefined });
    const exitDay = snapshots.findIndex((x) => x.recentAlerts.some((a) => a.kind === 'EXIT'));
    expect(snapshots[exitDay]!.today.pnl).toBeCloseTo(snapshots[exitDay]!.equity - snapshots[exitDay - 1]!.equity, 6);
  });

  it('turns feed notices into warnings and tracks the feed state; errors are ERROR alerts', () => {
    const s = session();
    const monitor = new PaperMonitor(s, { name: 'demo', feed: 'test' });
    monitor.feedNotice('feed: no bar for 3.5 s');
    expect(monitor.snapshot().feed.state).toBe('stale');
    monitor.feedNotice('feed: reconnecting (attempt 1)');
    s.accept(bar(0));
    monitor.afterStep();
    expect(monitor.snapshot().feed.state).toBe('live');
    monitor.error('webhook', new Error('boom'));
    monitor.feedEnded();
    const snap = monitor.snapshot();
    expect(snap.feed.state).toBe('ended');
    expect(snap.recentAlerts.map((a) => [a.kind, a.reason, a.message])).toEqual([
      ['WARNING', 'stale-feed', 'feed: no bar for 3.5 s'],
      ['WARNING', 'feed', 'feed: reconnecting (attempt 1)'],
      ['ERROR', 'error', 'webhook: boom'],
    ]);
    expect(snap.recentAlerts[0]!.data).toEqual({ silentMs: 3500 });
  });

  it('raises no alert for warm-up events', () => {
    const s = session();
    const monitor = new PaperMonitor(s, { name: 'demo', feed: 'test' });
    expect(monitor.afterStep()).toEqual([]);
  });
});
