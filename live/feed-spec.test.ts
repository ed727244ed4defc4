import { describe, expect, it } from 'vitest';
import { parseFeedSpec } from './feed-spec.js';

describe('parseFeedSpec', () => {
  it('replay:FILE with speed=max (the default), speed=N, rate=N and symbols', () => {
    expect(parseFeedSpec('replay:data/x.csv')).toEqual({ kind: 'replay', text: 'replay:data/x.csv', files: ['data/x.csv'], symbols: undefined, pace: { kind: 'max' } });
    expect(parseFeedSpec('replay:x.csv?speed=max').pace).toEqual({ kind: 'max' });
    expect(parseFeedSpec('replay:x.csv?speed=600').pace).toEqual({ kind: 'speed', factor: 600 });
    expect(parseFeedSpec('replay:x.csv?speed=0.5').pace).toEqual({ kind: 'speed', factor: 0.5 });
    expect(parseFeedSpec('replay:x.csv?rate=20').pace).toEqual({ kind: 'rate', barsPerSecond: 20 });
    const multi = parseFeedSpec('replay:a.csv,b.arrow?rate=5&symbols=A,B');
    expect(multi.files).toEqual(['a.csv', 'b.arrow']);
    expect(multi.symbols).toEqual(['A', 'B']);
  });

  it('names the problem and the accepted forms', () => {
    const use = 'use replay:FILE?speed=max|N or replay:FILE?rate=N';
    expect(() => parseFeedSpec('x')).toThrow(`--feed: unknown feed "x" — ${use}`);
    expect(() => parseFeedSpec('kafka://host/bars')).toThrow(`--feed: unknown feed "kafka://host/bars" — ${use}`);
    expect(() => parseFeedSpec('replay:')).toThrow(/--feed: "replay:" names no file/);
    expect(() => parseFeedSpec('replay:x.csv?speed=fast')).toThrow('--feed: speed "fast" must be a number > 0, e.g. speed=60 (60 × real time) or speed=max');
    expect(() => parseFeedSpec('replay:x.csv?speed=0')).toThrow(/speed "0" must be a number > 0/);
    expect(() => parseFeedSpec('replay:x.csv?rate=-1')).toThrow(/rate "-1" must be a number > 0/);
    expect(() => parseFeedSpec('replay:x.csv?speed=2&rate=1')).toThrow(/give speed or rate, not both/);
    expect(() => parseFeedSpec('replay:x.csv?sped=2')).toThrow(/unknown option "sped"/);
    expect(() => parseFeedSpec('replay:x.csv?speed=2&speed=3')).toThrow(/option speed is given twice/);
    expect(() => parseFeedSpec('replay:a.csv,b.csv?symbols=A')).toThrow(/must name one symbol per file \(2 files\)/);
    expect(() => parseFeedSpec('replay:a.csv,b.csv?symbols=A,A')).toThrow(/names a symbol twice/);
  });
});

describe('parseFeedSpec ws://', () => {
  it('reads the URL and the feed options, which are not sent to the server', () => {
    expect(parseFeedSpec('ws://127.0.0.1:8080/bars')).toEqual({
      kind: 'ws',
      text: 'ws://127.0.0.1:8080/bars',
      url: 'ws://127.0.0.1:8080/bars',
      staleMs: undefined,
      heartbeatMs: 15_000,
      reconnectMs: 500,
      maxAttempts: 10,
      ticks: false,
    });
    const spec = parseFeedSpec('wss://feed.example.com/v1/bars?token=abc&stale=180000&heartbeat=0&reconnect=250&attempts=3&ticks=1');
    expect(spec).toMatchObject({ kind: 'ws', url: 'wss://feed.example.com/v1/bars?token=abc', staleMs: 180_000, heartbeatMs: 0, reconnectMs: 250, maxAttempts: 3, ticks: true });
    expect(parseFeedSpec('ws://h:1/x?ticks=0').ticks).toBe(false);
    expect(parseFeedSpec('WS://h:1/x').kind).toBe('ws');
  });

  it('names the problem', () => {
    expect(() => parseFeedSpec('ws://')).toThrow(/--feed: "ws:\/\/" is not a valid URL — use ws:\/\/HOST:PORT\/PATH/);
    expect(() => parseFeedSpec('ws://h/x?stale=soon')).toThrow('--feed: stale "soon" must be a number > 0, e.g. stale=180000 (ms of silence)');
    expect(() => parseFeedSpec('ws://h/x?heartbeat=-5')).toThrow(/heartbeat "-5" must be a number > 0, e\.g\. heartbeat=15000 \(ms\), or 0 for no pings/);
    expect(() => parseFeedSpec('ws://h/x?reconnect=0')).toThrow(/reconnect "0" must be a number > 0/);
    expect(() => parseFeedSpec('ws://h/x?attempts=1.5')).toThrow('--feed: attempts "1.5" must be a whole number >= 1, e.g. attempts=20');
    expect(() => parseFeedSpec('ws://h/x?attempts=0')).toThrow(/attempts "0" must be a whole number >= 1/);
    expect(() => parseFeedSpec('ws://h/x?ticks=yes')).toThrow(/ticks "yes" must be 1 or 0/);
    expect(() => parseFeedSpec('ws://h/x?stale=1&stale=2')).toThrow(/option stale is given twice/);
  });
});
