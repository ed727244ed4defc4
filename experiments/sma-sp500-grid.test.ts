/**
 * Golden test of the bundled 90-cell grid (experiments/sma-sp500.json): cells that other engines
 * agree on, and a cell equal to the sma-cross golden run (same digest).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from './experiment-spec.js';
import { runGrid } from './grid.js';

const file = fileURLToPath(new URL('./sma-sp500.json', import.meta.url));

describe('experiments/sma-sp500.json (90 cells, bundled S&P 500)', () => {
  it('matches the cross-checked cells', async () => {
    const experiment = parseExperiment(JSON.parse(readFileSync(file, 'utf8')), { file });
    const outcome = await runGrid({
      experiment,
      experimentFile: file,
      baseDir: dirname(file),
      outDir: join(mkdtempSync(join(tmpdir(), 'replaylab-grid-golden-')), 'run'),
      workers: 1,
      resume: false,
      version: 'test',
    });
    expect(outcome.status).toBe('complete');
    expect(outcome.rows).toHaveLength(90);
    const cell = (fast: number, slow: number) => outcome.rows.find((r) => r.params['fast'] === fast && r.params['slow'] === slow)!;
    // fast=10, slow=180 ends at 270,848.54 in backtrader, backtesting.py and vectorbt alike.
    // (quoted to the cent).
    expect(Math.abs(cell(10, 180).metrics.finalEquity! - 270_848.54)).toBeLessThan(0.005);
    // The cell equals the one-off backtest of the same params: identical digest and metrics.
    const { runBacktest } = await import('../engine/backtest.js');
    const { loadBars } = await import('../data/load.js');
    const { smaCross } = await import('../strategies/sma-cross.js');
    const { bars } = await loadBars(join(dirname(file), '../data/samples/sp500-2000.csv'), { symbol: 'SPX' });
    const alone = runBacktest({ data: bars, strategy: smaCross, params: { fast: 10, slow: 180 }, options: { initialCapital: 100_000 } });
    expect(cell(10, 180).digest).toBe(alone.digest);
    expect(cell(10, 180).metrics.sharpe).toBe(alone.metrics.sharpe);
  });
});
