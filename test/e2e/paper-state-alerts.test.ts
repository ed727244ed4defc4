import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { replaylab, SP500 } from './cli.js';

describe('replaylab paper --state keeps the alerts in the state', () => {
  it('stores one EXIT alert per trade closed on live bars, and no alert twice after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replaylab-paper-state-alerts-'));
    const config = join(dir, 'sma.json');
    writeFileSync(config, JSON.stringify({
      kind: 'replaylab-paper', version: 1, name: 'sma-alerts', warmup: { bars: 300 },
      data: { file: SP500, symbol: 'SPX', to: '2007-12-12' }, strategy: 'sma-cross', params: { fast: 10, slow: 30 },
    }));
    const state = join(dir, 'state');
    const args = ['paper', config, '--feed', `replay:${SP500}?speed=max&symbols=SPX`, '--state', state, '--json', '--quiet'];
    const first = replaylab(args);
    expect(first.status).toBe(0);
    const doc = JSON.parse(first.stdout.trim().split('\n').pop()!) as { trades: { exitTime: string | null }[] };
    const historyEnd = Date.parse('2007-12-12T00:00:00Z');
    const liveExits = doc.trades.filter((t) => t.exitTime !== null && Date.parse(t.exitTime) > historyEnd).length;
    const count = (kind: string): number => {
      const db = new Database(join(state, 'paper.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT count(*) FROM alerts WHERE kind = ?').pluck().get(kind) as number;
      } finally {
        db.close();
      }
    };
    expect(liveExits).toBeGreaterThan(10);
    expect(count('EXIT')).toBe(liveExits);
    expect(count('OPPORTUNITY')).toBeGreaterThan(0);
    // A restart replays the stored bars (no alerts for them) and finds nothing new on the feed.
    expect(replaylab(args).status).toBe(0);
    expect(count('EXIT')).toBe(liveExits);
  }, 60_000);
});
