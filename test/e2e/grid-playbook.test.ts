import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { replaylab } from './cli.js';

interface PlaybookFile {
  readonly dimension: string;
  readonly choices: readonly { readonly regime: string; readonly cell: number | null; readonly params: Record<string, number> | null }[];
  readonly comparison: readonly { readonly name: string; readonly finalEquity: number; readonly tradesClosed: number }[];
  readonly digest: string;
}

describe('replaylab grid with a regime playbook (experiments/sma-sp500-regimes.json, realized-vol regimes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replaylab-e2e-playbook-'));
  const out = join(dir, 'grid');
  let first: ReturnType<typeof replaylab>;

  beforeAll(() => {
    first = replaylab(['grid', 'experiments/sma-sp500-regimes.json', '--out', out, '--workers', '2']);
  }, 120_000);

  it('prints the playbook table and the comparison with the best single cell', () => {
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('regime playbook (vol regimes; best cell per regime by sharpe in the regime (desc), after the filters)');
    expect(first.stdout).toMatch(/regime playbook\s+150,244\.92\s+50\.24/);
    expect(first.stdout).toMatch(/best single cell \(8\)\s+267,663\.07/);
  });

  it('writes playbook.json: the best cell per vol regime and one switching run, pinned', () => {
    const playbook = JSON.parse(readFileSync(join(out, 'playbook.json'), 'utf8')) as PlaybookFile;
    expect(playbook.dimension).toBe('vol');
    expect(playbook.choices.map((c) => [c.regime, c.cell, c.params?.['fast'], c.params?.['slow']])).toEqual([
      ['high', 70, 40, 140],
      ['medium', 55, 30, 180],
      ['extreme', 13, 10, 80],
      ['low', 14, 10, 100],
      ['very_low', 79, 45, 160],
    ]);
    expect(playbook.comparison.map((c) => [c.name, c.finalEquity.toFixed(2), c.tradesClosed])).toEqual([
      ['regime playbook', '150244.92', 44],
      ['best single cell (8)', '267663.07', 35],
    ]);
    expect(playbook.digest).toMatch(/^5f30dec98174/);
  });

  it('writes the switching run\'s trades and events: regime changes and the exits at a switch', () => {
    const lines = (name: string) => readFileSync(join(out, name), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const trades = lines('playbook-trades.jsonl');
    expect(trades.filter((t) => t['open'] !== true)).toHaveLength(44);
    const events = lines('playbook-events.jsonl');
    expect(events.some((e) => e['kind'] === 'RegimeChanged' && e['dimension'] === 'vol')).toBe(true);
    const switchExits = events.filter((e) => e['kind'] === 'OrderFilled' && (e['fill'] as { tag: string }).tag === 'regime-switch');
    expect(switchExits.length).toBeGreaterThan(0);
    expect(trades.filter((t) => t['exitTag'] === 'regime-switch')).toHaveLength(switchExits.length);
  });

  it('writes every cell\'s per-regime figures (regimes.json), which add up to each cell\'s bars', () => {
    const { cells } = JSON.parse(readFileSync(join(out, 'regimes.json'), 'utf8')) as { cells: { cell: number; regimes: { regime: string; bars: number }[] }[] };
    expect(cells).toHaveLength(90);
    for (const c of cells) {
      const volBars = c.regimes.filter((r) => r.regime.startsWith('vol:')).reduce((n, r) => n + r.bars, 0);
      expect(volBars).toBe(5105);
    }
  });

  it('gives the same playbook after --resume, recomputing per-regime figures of cells finished earlier', () => {
    const before = readFileSync(join(out, 'playbook.json'), 'utf8');
    const regimesBefore = readFileSync(join(out, 'regimes.json'), 'utf8');
    const again = replaylab(['grid', 'experiments/sma-sp500-regimes.json', '--out', out, '--resume', '--quiet']);
    expect(again.status).toBe(0);
    expect(readFileSync(join(out, 'playbook.json'), 'utf8')).toBe(before);
    expect(readFileSync(join(out, 'regimes.json'), 'utf8')).toBe(regimesBefore);
  }, 120_000);
});
