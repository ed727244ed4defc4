import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MIN_STALE_MS, SilenceWatch } from './silence-watch.js';

describe('SilenceWatch', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  const watch = (fixedMs?: number) => {
    const notices: number[] = [];
    const w = new SilenceWatch(fixedMs, (ms) => notices.push(ms), () => Date.now());
    return { w, notices };
  };

  it('with stale=MS: once per silence, from the start, again after a message and a new silence', () => {
    const { w, notices } = watch(500);
    w.start();
    vi.advanceTimersByTime(499);
    expect(notices).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(notices).toEqual([500]);
    vi.advanceTimersByTime(5000);
    expect(notices).toEqual([500]);
    w.heard();
    vi.advanceTimersByTime(300);
    w.heard();
    vi.advanceTimersByTime(400);
    expect(notices).toEqual([500]);
    vi.advanceTimersByTime(100);
    expect(notices).toEqual([500, 500]);
    w.stop();
  });

  it('derives 3 × the median gap once 3 gaps are known; a burst (the bars of one time) is one message', () => {
    const { w, notices } = watch();
    w.start();
    vi.advanceTimersByTime(100_000);
    w.heard(); // the gap from the start is not the feed's rhythm
    expect(w.thresholdMs).toBeUndefined();
    for (const gap of [60_000, 60_000, 90_000]) {
      vi.advanceTimersByTime(gap);
      w.heard();
      vi.advanceTimersByTime(5); // a second symbol's bar of the same minute
      w.heard();
    }
    expect(w.thresholdMs).toBe(3 * 60_000);
    vi.advanceTimersByTime(3 * 60_000 - 1);
    expect(notices).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(notices).toEqual([180_000]);
    w.stop();
  });

  it('a derived threshold is at least MIN_STALE_MS; the gap after a reconnect is not counted', () => {
    const { w } = watch();
    w.start();
    w.heard();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(300);
      w.heard();
    }
    expect(w.thresholdMs).toBe(MIN_STALE_MS);
    w.reconnected();
    vi.advanceTimersByTime(1_000_000);
    w.heard();
    expect(w.thresholdMs).toBe(MIN_STALE_MS);
    w.stop();
  });
});
