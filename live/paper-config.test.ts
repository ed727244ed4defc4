import { describe, expect, it } from 'vitest';
import { isPaperConfig, parsePaperConfig, runSpecPart } from './paper-config.js';

/**
 * Stands in for `parseRunSpec` (experiments/, which live/ does not import): returns what it was
 * given and throws for a field a run spec does not have, as the real one does. The e2e tests run
 * the real one.
 */
function parseRunSpec(json: unknown): { parsed: unknown } {
  for (const key of Object.keys(json as object)) if (!Object.hasOwn(RUN, key)) throw new Error(`${key}: unknown field`);
  return { parsed: json };
}

const RUN = { data: { file: 'spx.csv', symbol: 'SPX' }, strategy: 'sma-cross', params: { fast: 10, slow: 30 }, capital: 50_000, costs: { commissionRate: 0.001 } };
const PAPER = {
  kind: 'replaylab-paper',
  version: 1,
  name: 'sma-spx',
  warmup: { bars: 250 },
  provenance: { experiment: { file: 'experiments/sma-sp500.json', digest: 'abc' }, cell: 12, rank: 1 },
  ...RUN,
};

describe('parsePaperConfig', () => {
  it('a run spec plus kind, version, name, warmup and provenance', () => {
    const config = parsePaperConfig(PAPER, '/work/paper/sma-spx.json', parseRunSpec);
    expect(config.name).toBe('sma-spx');
    expect(config.warmupBars).toBe(250);
    expect(config.provenance).toEqual(PAPER.provenance);
    expect(config.baseDir).toBe('/work/paper');
    expect(config.runSpec).toEqual(parseRunSpec(RUN));
    // Defaults: name from the file, warm-up over all of the data, no provenance.
    const bare = parsePaperConfig({ kind: 'replaylab-paper', version: 1, ...RUN }, 'paper/spx-live.json', parseRunSpec);
    expect(bare).toMatchObject({ name: 'spx-live', warmupBars: undefined, provenance: undefined });
    expect(parsePaperConfig({ ...PAPER, warmup: {} }, 'p.json', parseRunSpec).warmupBars).toBeUndefined();
  });

  it('rejects bad paper fields with their JSON paths, and run-spec mistakes as parseRunSpec does', () => {
    const bad = (patch: Record<string, unknown>) => () => parsePaperConfig({ ...PAPER, ...patch }, 'p.json', parseRunSpec);
    expect(() => parsePaperConfig(RUN, 'p.json', parseRunSpec)).toThrow(/^kind: must be "replaylab-paper", missing — a paper config is a run spec with/);
    expect(bad({ kind: 'replaylab-experiment' })).toThrow(/^kind: must be "replaylab-paper", was "replaylab-experiment"/);
    expect(bad({ version: 2 })).toThrow('version: must be 1, was 2 — this replaylab reads version 1');
    expect(bad({ version: undefined })).toThrow('version: must be 1, is required');
    expect(bad({ name: '' })).toThrow('name: must be a non-empty string, was ""');
    expect(bad({ warmup: 250 })).toThrow('warmup: must be an object like {"bars": 250}, was 250');
    expect(bad({ warmup: { bars: -1 } })).toThrow(/^warmup\.bars: must be a whole number >= 0/);
    expect(bad({ warmup: { bars: 2.5 } })).toThrow(/^warmup\.bars/);
    expect(bad({ warmup: { days: 5 } })).toThrow('warmup.days: unknown field — allowed: bars');
    expect(bad({ provenance: 'promote' })).toThrow('provenance: must be an object, was "promote"');
    expect(bad({ feed: 'replay:x.csv' })).toThrow(/^feed: unknown field/);
    expect(() => parsePaperConfig([], 'p.json', parseRunSpec)).toThrow(/^\(root\): must be a JSON object/);
  });
});

describe('runSpecPart (the backtest hook)', () => {
  it('drops the paper fields of a paper config (after checking them) and passes anything else through', () => {
    expect(isPaperConfig(PAPER)).toBe(true);
    expect(isPaperConfig(RUN)).toBe(false);
    expect(runSpecPart(PAPER)).toEqual(RUN);
    expect(runSpecPart(RUN)).toBe(RUN);
    expect(runSpecPart('x')).toBe('x');
    expect(() => runSpecPart({ ...PAPER, version: 3 })).toThrow(/^version/);
  });
});
