import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runBacktest } from './backtest.js';
import { DigestWriter, runDigest } from './digest.js';
import type { Trade } from './trade.js';
import { barsOf, runScript, scriptedStrategy, seriesOf, type Script } from './test-support.js';

const trade: Trade = Object.freeze({
  instrumentId: 'A',
  side: 'long',
  qty: 10,
  entryTimeMs: 1_000,
  exitTimeMs: 2_000,
  entryPrice: 100,
  exitPrice: 110,
  pnl: 97.9,
  grossPnl: 100,
  fees: 2.1,
  slippageCost: 0,
  entryStep: 1,
  exitStep: 2,
  entryTag: 'in',
  exitTag: 'out',
  open: false,
});
const equity = Float64Array.from([100_000, 100_010.5, 99_990.25, 100_097.9]);

/** The documented canonical form, hashed independently of the implementation. */
function referenceDigest(trades: readonly Trade[], values: Float64Array): string {
  const hash = createHash('sha256');
  hash.update('replaylab-digest-v3\n');
  const bytes = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => bytes.writeDoubleLE(v, i * 8));
  hash.update(bytes);
  const symbols: string[] = [];
  const tradeBytes = Buffer.alloc(trades.length * 11 * 8);
  trades.forEach((t, i) => {
    if (!symbols.includes(t.instrumentId)) symbols.push(t.instrumentId);
    const row = [symbols.indexOf(t.instrumentId), t.side === 'long' ? 1 : -1, t.qty, t.entryTimeMs, t.exitTimeMs ?? Number.NaN,
      t.entryPrice, t.exitPrice, t.pnl, t.fees, t.slippageCost, t.open ? 1 : 0];
    row.forEach((v, j) => tradeBytes.writeDoubleLE(v, (i * 11 + j) * 8));
  });
  hash.update(tradeBytes);
  hash.update(`\n${symbols.join('\n')}\n`);
  return hash.digest('hex');
}

describe('runDigest', () => {
  it('is the sha256 of the documented canonical form', () => {
    const digest = runDigest([trade], equity);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).toBe(referenceDigest([trade], equity));
    const open: Trade = { ...trade, exitTimeMs: undefined, exitStep: undefined, exitTag: undefined, open: true };
    expect(runDigest([trade, open], equity)).toBe(referenceDigest([trade, open], equity));
    expect(runDigest([], new Float64Array(0))).toBe(referenceDigest([], new Float64Array(0)));
  });

  it('changes when any hashed trade field or any equity value changes', () => {
    const base = runDigest([trade], equity);
    const variants: Partial<Trade>[] = [
      { instrumentId: 'B' },
      { side: 'short' },
      { qty: 11 },
      { entryTimeMs: 1_001 },
      { exitTimeMs: 2_001 },
      { entryPrice: 100.01 },
      { exitPrice: 110.01 },
      { pnl: 97.91 },
      { fees: 2.2 },
      { slippageCost: 0.1 },
      { open: true },
    ];
    const digests = variants.map((v) => runDigest([{ ...trade, ...v }], equity));
    for (const d of digests) expect(d).not.toBe(base);
    expect(new Set(digests).size).toBe(variants.length);
    const nudged = Float64Array.from(equity);
    nudged[2] = 99_990.25000000001;
    expect(runDigest([trade], nudged)).not.toBe(base);
    // Trade order matters; so does the split between equity and trades.
    expect(runDigest([trade, { ...trade, qty: 1 }], equity)).not.toBe(runDigest([{ ...trade, qty: 1 }, trade], equity));
  });

  it('ignores fields outside the canonical form (tags, steps, grossPnl)', () => {
    expect(runDigest([{ ...trade, entryTag: 'x', exitTag: 'y', entryStep: 9, exitStep: 10, grossPnl: 1 }], equity)).toBe(runDigest([trade], equity));
  });

  it('streaming through DigestWriter across chunk boundaries equals the one-shot digest', () => {
    const long = Float64Array.from({ length: 20_000 }, (_, i) => 100_000 + Math.sin(i) * 1000);
    const writer = new DigestWriter();
    for (const v of long) writer.pushEquity(v);
    expect(writer.finish([trade])).toBe(runDigest([trade], long));
    expect(runDigest([trade], long)).toBe(referenceDigest([trade], long));
  });
});

describe('run digests', () => {
  const bars = barsOf('A', [
    [100, 101, 99, 100],
    [100, 103, 98, 102],
    [102, 105, 101, 104],
    [104, 104, 95, 96],
    [96, 99, 95, 98],
  ]);
  const script: Script = {
    0: [{ bracket: { side: 'buy', qty: 10, takeProfit: 104.5, stopLoss: 97 } }],
    3: [{ submit: { side: 'sell', equityFraction: 0.5 } }],
  };
  const options = { costs: { commissionRate: 0.001, slippageBps: 2 } };

  it('a run’s digest is runDigest of its trades and equity curve', () => {
    const { result } = runScript(bars, script, options);
    expect(result.digest).toBe(runDigest(result.trades, seriesOf(result).equity));
  });

  it('repeated runs give the same digest; keepSeries: false gives the same digest and metrics', () => {
    const { definition } = scriptedStrategy(script);
    const a = runBacktest({ data: bars, strategy: definition, options });
    const b = runBacktest({ data: bars, strategy: definition, options });
    const streamed = runBacktest({ data: bars, strategy: definition, options, keepSeries: false });
    expect(b.digest).toBe(a.digest);
    expect(streamed.digest).toBe(a.digest);
    expect(streamed.series).toBeUndefined();
    expect(streamed.metrics).toEqual(a.metrics);
    expect(streamed.grossMetrics).toEqual(a.grossMetrics);
  });

  it('a different decision gives a different digest', () => {
    const a = runScript(bars, script, options).result;
    const b = runScript(bars, { ...script, 3: [{ submit: { side: 'sell', equityFraction: 0.25 } }] }, options).result;
    expect(b.digest).not.toBe(a.digest);
  });
});
