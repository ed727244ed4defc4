import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaylab, SP500 } from './cli.js';

describe('replaylab paper: a daily summary at each session end', () => {
  it('prints one per live session and lists them in --json; they add up to the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replaylab-paper-days-'));
    const config = join(dir, 'sma.json');
    // History: the first 2,000 bars (warm-up: the last 300 of them); the feed replays the whole file.
    writeFileSync(config, JSON.stringify({
      kind: 'replaylab-paper', version: 1, name: 'sma-days', warmup: { bars: 300 },
      data: { file: SP500, symbol: 'SPX', to: '2007-12-12' }, strategy: 'sma-cross', params: { fast: 10, slow: 30 },
    }));
    const run = replaylab(['paper', config, '--feed', `replay:${SP500}?speed=max&symbols=SPX`, '--json']);
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      liveBars: number; metrics: { finalEquity: number; tradesClosed: number };
      days: { date: string; equity: number; pnl: number; trades: number; r: number }[];
    };
    // Daily bars: every live bar is its own session.
    expect(doc.days).toHaveLength(doc.liveBars);
    expect(doc.days.at(-1)!.equity).toBe(doc.metrics.finalEquity);
    expect(doc.days.at(-1)!.date).toBe('2020-04-17');
    const pnl = doc.days.reduce((sum, d) => sum + d.pnl, 0);
    expect(pnl).toBeCloseTo(doc.days.at(-1)!.equity - (doc.days[0]!.equity - doc.days[0]!.pnl), 6);
    expect(run.stderr).toContain('paper sma-days: day 2020-04-17: equity');
    expect(run.stderr.match(/: day \d{4}-\d\d-\d\d: /g)).toHaveLength(doc.liveBars);
  }, 60_000);
});
