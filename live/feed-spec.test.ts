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
    expect(() => parseFeedSpec('ws://host/bars')).toThrow(`--feed: unknown feed "ws://host/bars" — ${use}`);
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
