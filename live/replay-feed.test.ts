import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeBarSeries, type BarSeries } from '../engine/bars.js';
import { writeBars } from '../data/load.js';
import type { BarMessage, FeedEvents } from './feed.js';
import { parseFeedSpec, type ReplayPace } from './feed-spec.js';
import { openReplayFeed, ReplayFeed } from './replay-feed.js';
import type { WaitingClock } from './wall-clock.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 2, 9, 16);
const events: FeedEvents = { warning: () => {}, stale: () => {} };

/** A clock whose sleeps only move its time (and are recorded). */
class FakeClock implements WaitingClock {
  now = 1_000_000;
  readonly sleeps: number[] = [];
  nowMs(): number {
    return this.now;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    if (ms > 0) this.now += ms;
  }
}

function bars(symbol: string, minutes: readonly number[], price = 100): BarSeries {
  const n = minutes.length;
  const col = (v: number) => new Float64Array(n).fill(v);
  return makeBarSeries({ symbol, timeMs: Float64Array.from(minutes, (m) => T0 + m * MINUTE), open: col(price), high: col(price + 1), low: col(price - 1), close: col(price), volume: col(10) });
}

async function play(feed: ReplayFeed, clock: FakeClock): Promise<{ at: number; message: BarMessage }[]> {
  const out: { at: number; message: BarMessage }[] = [];
  for await (const message of feed.messages(events)) out.push({ at: clock.now, message: message as BarMessage });
  return out;
}

const feedOf = (series: BarSeries[], pace: ReplayPace, clock: FakeClock, paceAfterMs = Number.NEGATIVE_INFINITY) => new ReplayFeed('test', series, pace, clock, paceAfterMs);

describe('ReplayFeed', () => {
  it('merges the series by (time, series order), as the backtest steps them', async () => {
    const clock = new FakeClock();
    const out = await play(feedOf([bars('A', [0, 2, 3]), bars('B', [0, 1, 3])], { kind: 'max' }, clock), clock);
    expect(out.map((o) => `${o.message.symbol}${(o.message.timeMs - T0) / MINUTE}`)).toEqual(['A0', 'B0', 'B1', 'A2', 'A3', 'B3']);
    expect(out[0]!.message).toEqual({ symbol: 'A', timeMs: T0, open: 100, high: 101, low: 99, close: 100, volume: 10, extras: {} });
    expect(clock.sleeps).toEqual([]);
  });

  it('speed=N: the bars\' time gaps ÷ N of wall time, from the first bar after paceAfterMs', async () => {
    const clock = new FakeClock();
    const start = clock.now;
    const feed = feedOf([bars('A', [0, 1, 2, 3, 5, 6])], { kind: 'speed', factor: 60 }, clock, T0 + 1 * MINUTE);
    const out = await play(feed, clock);
    // Bars 0 and 1 are history (played at once); 2 opens the clock; then 1 s per minute of bar time.
    expect(out.map((o) => o.at - start)).toEqual([0, 0, 0, 1000, 3000, 4000]);
  });

  it('rate=N: N bars per second whatever the gaps; targets are absolute, so slow consumers do not add drift', async () => {
    const clock = new FakeClock();
    const start = clock.now;
    const feed = feedOf([bars('A', [0, 1, 60, 61])], { kind: 'rate', barsPerSecond: 4 }, clock);
    const out: number[] = [];
    for await (const _ of feed.messages(events)) {
      out.push(clock.now - start);
      clock.now += 100; // the consumer takes 100 ms per bar
    }
    expect(out).toEqual([0, 250, 500, 750]);
  });

  it('speed=max lets the event loop in every 256 bars; close() ends the feed', async () => {
    const clock = new FakeClock();
    const feed = feedOf([bars('A', Array.from({ length: 1000 }, (_, i) => i))], { kind: 'max' }, clock);
    let n = 0;
    for await (const _ of feed.messages(events)) {
      if (++n === 600) feed.close();
    }
    expect(n).toBe(600);
    expect(clock.sleeps).toEqual([0, 0]);
  });

  it('close() during a wait of the wall clock ends the iteration promptly', async () => {
    const { wallClock } = await import('./wall-clock.js');
    const feed = new ReplayFeed('slow', [bars('A', [0, 600])], { kind: 'speed', factor: 1 }, wallClock, Number.NEGATIVE_INFINITY);
    const started = Date.now();
    const seen: number[] = [];
    setTimeout(() => feed.close(), 50);
    for await (const m of feed.messages(events)) seen.push((m as BarMessage).timeMs);
    expect(seen).toEqual([T0]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('openReplayFeed loads files with the data loader (names symbols, validates)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replaylab-feed-'));
    await writeBars(join(dir, 'a.csv'), bars('A', [0, 1]));
    await writeBars(join(dir, 'b.csv'), bars('B', [0, 1], 50));
    const feed = await openReplayFeed(parseFeedSpec(`replay:a.csv,b.csv?symbols=X,Y`), { baseDir: dir });
    expect(feed.symbols).toEqual(['X', 'Y']);
    expect(feed.length).toBe(4);
    expect(feed.description).toBe('replay:a.csv,b.csv?symbols=X,Y');
    const unnamed = await openReplayFeed(parseFeedSpec(`replay:${join(dir, 'a.csv')}`));
    expect(unnamed.symbols).toEqual(['A']);
    await expect(openReplayFeed(parseFeedSpec('replay:nope.csv'), { baseDir: dir })).rejects.toThrow(/nope\.csv: file does not exist/);
  });
});
