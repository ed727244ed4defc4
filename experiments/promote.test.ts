import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveEngineConfig, type EngineOptions } from '../engine/engine-config.js';
import { findStrategy } from '../strategies/index.js';
import { parseExperiment } from './experiment-spec.js';
import type { GridSummary } from './grid-summary.js';
import { runGrid } from './grid.js';
import { filterFailures, promotionGate, readGridFolder, selectCell, type GridFolder } from './promote-grid.js';
import { relativePath, resolvedJson, runSpecOptions, warmupBars } from './promote-spec.js';
import { paperRunSpecJson, promote, PromoteError, type PaperConfig, type PromoteOptions } from './promote.js';
import type { GridRow, RowMetrics } from './results-columns.js';
import { runSpec } from './run.js';
import { parseRunSpec } from './run-spec.js';
import { writeRunDir } from './run-store.js';

const SP500 = fileURLToPath(new URL('../data/samples/sp500-2000.csv', import.meta.url));
const tmp = (): string => mkdtempSync(join(tmpdir(), 'replaylab-promote-'));
const NOW = (): Date => new Date('2026-01-02T03:04:05.000Z');

/**
 * A project folder: data/sp.csv (a copy of the bundled S&P 500 file), experiments/small.json,
 * runs/small (its finished grid). Paths in the written configs are relative to paper/.
 */
async function project(extra: Record<string, unknown> = {}): Promise<{ root: string; gridDir: string; summary: GridSummary; grid: GridFolder }> {
  const root = tmp();
  mkdirSync(join(root, 'data'));
  mkdirSync(join(root, 'experiments'));
  copyFileSync(SP500, join(root, 'data', 'sp.csv'));
  const json = {
    name: 'small',
    data: { file: '../data/sp.csv', symbol: 'SPX', from: '2006-01-01', to: '2012-12-31' },
    strategy: 'sma-cross',
    capital: 50_000,
    costs: { commissionRate: 0.001 },
    sweep: { fast: [5, 10, 20], slow: [30, 60, 120] },
    constraints: ['fast < slow'],
    filters: { minTrades: 12 },
    ...extra,
  };
  const file = join(root, 'experiments', 'small.json');
  writeFileSync(file, JSON.stringify(json));
  const gridDir = join(root, 'runs', 'small');
  const outcome = await runGrid({
    experiment: parseExperiment(json, { file }), experimentFile: file, baseDir: dirname(file), outDir: gridDir, workers: 1, resume: false, version: '0.0.0-test',
  });
  return { root, gridDir, summary: outcome.summary!, grid: readGridFolder(gridDir) };
}

const readConfig = (file: string): PaperConfig => JSON.parse(readFileSync(file, 'utf8')) as PaperConfig;

/** Runs a written paper config as the paper driver will: the run-spec part, paths from its folder. */
async function digestOf(file: string): Promise<string> {
  const spec = parseRunSpec(paperRunSpecJson(readConfig(file)));
  return (await runSpec(spec, dirname(file), { keepSeries: false, keepEvents: false })).result.digest;
}

async function refusal(options: PromoteOptions): Promise<PromoteError> {
  const error = await promote(options).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PromoteError);
  return error as PromoteError;
}

describe('promote from a grid folder', () => {
  let p: Awaited<ReturnType<typeof project>>;
  beforeAll(async () => {
    p = await project();
  });

  it('selects by rank exactly as the grid ranks (the summary\'s top cells), or by cell index', () => {
    expect(p.summary.passed).toBeGreaterThan(1);
    expect(p.summary.passed).toBeLessThan(p.summary.cells);
    for (const top of p.summary.top) {
      const { row, rank } = selectCell(p.grid, { rank: top.rank });
      expect([row.cell, rank, row.digest]).toEqual([top.cell, top.rank, top.digest]);
    }
    const failing = p.grid.rows.find((row) => !p.summary.top.some((t) => t.cell === row.cell))!;
    expect(selectCell(p.grid, { cell: failing.cell })).toEqual({ row: failing, rank: null });
    const second = p.summary.top[1]!;
    expect(selectCell(p.grid, { cell: second.cell }).rank).toBe(2);
  });

  it('rejects a rank past the passing cells, an unknown cell, and ranks when nothing passed', () => {
    expect(() => selectCell(p.grid, { rank: p.summary.passed + 1 })).toThrow(`only ${p.summary.passed} of ${p.summary.cells} cells passed the experiment's filters — choose --rank 1…${p.summary.passed}`);
    expect(() => selectCell(p.grid, { cell: 999 })).toThrow(`has cells 0…${p.summary.cells - 1}`);
    const none = { ...p.grid, experiment: { ...p.grid.experiment, filters: { minTrades: 1e9 } } };
    expect(() => selectCell(none, { rank: 1 })).toThrow('nothing to promote by rank; name one with --cell ID');
    const error = (() => {
      try {
        selectCell(p.grid, { rank: 99 });
      } catch (e) {
        return e as PromoteError;
      }
      return undefined;
    })();
    expect(error?.kind).toBe('usage');
  });

  it("gate: the rank-1 cell's Deflated Sharpe Ratio is the grid's own figure; the threshold and the filters refuse", () => {
    const best = selectCell(p.grid, { rank: 1 }).row;
    const gate = promotionGate(p.grid, best, 0.5);
    expect(gate.deflatedSharpe).toBe(p.summary.overfitting.deflatedSharpe!.dsr);
    expect(gate.passedFilters).toBe(true);
    const high = promotionGate(p.grid, best, 0.999);
    expect(high.reasons).toEqual([`Deflated Sharpe Ratio ${gate.deflatedSharpe!.toFixed(3)} < --min-dsr 0.999 (${p.summary.cells} trials)`]);
    const failing = p.grid.rows.find((row) => (row.metrics.tradesClosed ?? 0) < 12)!;
    const failed = promotionGate(p.grid, failing, 0);
    expect(failed.passedFilters).toBe(false);
    expect(failed.reasons).toEqual([`tradesClosed ${failing.metrics.tradesClosed} < minTrades 12`]);
    expect(failed.minDeflatedSharpe).toBe(0);
  });

  it('filter failures name each metric against its bound; an undefined metric fails its filter', () => {
    const metrics = { tradesClosed: 3, winRatePct: 40, totalReturnPct: -5.123456789, sharpe: null, maxDrawdownPct: 55 } as unknown as RowMetrics;
    const row: GridRow = { cell: 0, params: {}, metrics, digest: '' };
    expect(filterFailures(row, { minTrades: 5, minWinRatePct: 30, minReturnPct: 0, minSharpe: 0.2, maxDrawdownPct: 50 })).toEqual([
      'tradesClosed 3 < minTrades 5', 'totalReturnPct -5.12346 < minReturnPct 0', 'sharpe is undefined (filter minSharpe 0.2)', 'maxDrawdownPct 55 > maxDrawdownPct 50',
    ]);
    expect(filterFailures(row, {})).toEqual([]);
  });

  it('writes paper/NAME.json: kind, version, name, full params, the options, relative data paths, warm-up and provenance; it reproduces the cell', async () => {
    const out = join(p.root, 'paper', 'small-cell.json');
    const outcome = await promote({ source: p.gridDir, out, version: '9.9.9', now: NOW });
    const top = p.summary.top[0]!;
    const config = readConfig(out);
    expect(outcome.file).toBe(out);
    expect(config).toEqual(outcome.config);
    expect(Object.keys(config)).toEqual([
      'kind', 'version', 'name', 'description', 'data', 'strategy', 'params', 'capital', 'costs', 'fills', 'leverage', 'riskFreeRate', 'instruments', 'sessionOffsetMs', 'warmup', 'provenance',
    ]);
    expect(config).toMatchObject({
      kind: 'replaylab-paper', version: 1, name: 'small-cell', strategy: 'sma-cross',
      data: [{ file: '../data/sp.csv', symbol: 'SPX', from: '2006-01-01', to: '2012-12-31' }],
      params: { ...top.params, longOnly: true },
      capital: 50_000, fills: { ambiguity: 'stop-first' }, leverage: 1,
      warmup: { bars: top.params['slow'] },
    });
    expect(config['costs']).toMatchObject({ commissionRate: 0.001, slippageBps: 0 });
    expect(config.provenance).toEqual({
      experiment: { name: 'small', file: '../experiments/small.json', digest: p.grid.manifest.experiment.digest },
      gridDir: '../runs/small',
      cell: top.cell,
      rank: 1,
      metrics: top.metrics,
      digest: top.digest,
      data: [{ file: '../data/sp.csv', digest: p.grid.manifest.data[0]!.digest }],
      replaylab: '9.9.9',
      seed: 0,
      promotedAt: '2026-01-02T03:04:05.000Z',
      forced: false,
      gate: { passedFilters: true, deflatedSharpe: p.summary.overfitting.deflatedSharpe!.dsr, minDeflatedSharpe: 0.5, reasons: [] },
    });
    expect(await digestOf(out)).toBe(top.digest);
    expect(readdirSync(dirname(out))).toEqual(['small-cell.json']);
  });

  it('defaults to paper/<experiment>-cell-<id>.json under the working directory', async () => {
    const cwd = process.cwd();
    process.chdir(p.root);
    try {
      const outcome = await promote({ source: 'runs/small', select: { rank: 2 }, version: '0', now: NOW });
      const second = p.summary.top[1]!;
      expect(outcome.file).toBe(join(p.root, 'paper', `small-cell-${second.cell}.json`));
      expect(outcome.config.provenance).toMatchObject({ gridDir: '../runs/small', cell: second.cell, rank: 2 });
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses an existing file unless --overwrite, a failing cell unless --force, and leaves nothing behind', async () => {
    const dir = join(p.root, 'refusals');
    const out = join(dir, 'x.json');
    mkdirSync(dir);
    writeFileSync(out, 'keep me');
    const exists = await refusal({ source: p.gridDir, out, version: '0' });
    expect([exists.kind, exists.message]).toEqual(['usage', `${out} already exists — pass --overwrite to replace it, or choose another --name or --out`]);
    const strict = await refusal({ source: p.gridDir, out, overwrite: true, minDeflatedSharpe: 0.999, version: '0' });
    expect(strict.kind).toBe('refused');
    expect(strict.message).toMatch(/^refused to promote cell \d+ of small: Deflated Sharpe Ratio 0\.\d{3} < --min-dsr 0\.999 \(9 trials\) — pass --force/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('--force promotes a failing cell and records why it would have failed', async () => {
    const failing = p.grid.rows.find((row) => (row.metrics.tradesClosed ?? 0) < 12)!;
    const out = join(p.root, 'paper', 'forced.json');
    const { config } = await promote({ source: p.gridDir, select: { cell: failing.cell }, out, force: true, minDeflatedSharpe: 0.999, version: '0', now: NOW });
    expect(config.provenance.forced).toBe(true);
    expect(config.provenance.rank).toBeNull();
    expect(config.provenance.gate.passedFilters).toBe(false);
    expect(config.provenance.gate.reasons[0]).toBe(`tradesClosed ${failing.metrics.tradesClosed} < minTrades 12`);
    expect(config.provenance.gate.reasons[1]).toMatch(/^Deflated Sharpe Ratio -?\d\.\d{3} < --min-dsr 0\.999/);
    expect(config['description']).toContain('unranked: fails the filters');
    expect(await digestOf(out)).toBe(failing.digest);
    // --force on a cell that passes records nothing forced.
    const clean = await promote({ source: p.gridDir, out, overwrite: true, force: true, version: '0' });
    expect(clean.config.provenance.forced).toBe(false);
  });
});

describe('promote refuses what it cannot prove', () => {
  it('a grid whose data changed, an unfinished grid, a config that does not reproduce the stored digest', async () => {
    const p = await project({ sweep: { fast: [5, 10], slow: [30] }, filters: {} });
    const out = join(p.root, 'paper', 'x.json');
    const csv = join(p.gridDir, 'results.csv');
    const original = readFileSync(csv, 'utf8');
    const best = selectCell(p.grid, { rank: 1 }).row;
    writeFileSync(csv, original.replace(best.digest, 'f'.repeat(64)));
    const mismatch = await refusal({ source: p.gridDir, out, minDeflatedSharpe: 0, version: '0' });
    expect([mismatch.kind, mismatch.message]).toEqual(['refused', `the frozen config does not reproduce cell ${best.cell} of small: digest ${best.digest.slice(0, 12)}… ≠ ffffffffffff… (grid run by replaylab 0.0.0-test) — rerun it with this replaylab, then promote again`]);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(p.root, 'paper'))).toEqual([]);
    writeFileSync(csv, original);

    const manifestFile = join(p.gridDir, 'manifest.json');
    const manifest = readFileSync(manifestFile, 'utf8');
    writeFileSync(manifestFile, manifest.replace('"status": "complete"', '"status": "interrupted"'));
    const unfinished = await refusal({ source: p.gridDir, out, version: '0' });
    expect(unfinished.message).toContain('the grid is interrupted');
    expect(unfinished.message).toContain(`replaylab grid ${join(p.root, 'experiments', 'small.json')} --out ${p.gridDir} --resume`);
    writeFileSync(manifestFile, manifest);

    const data = join(p.root, 'data', 'sp.csv');
    appendFileSync(data, '\n');
    const changed = await refusal({ source: p.gridDir, out, minDeflatedSharpe: 0, version: '0' });
    expect(changed.message).toMatch(/^data file .*sp\.csv changed since the grid ran \(sha256 \w{12}… → \w{12}…\) — rerun the grid on the current data$/);
  });

  it('a folder that is neither a grid nor a run, and --rank on a run folder', async () => {
    const dir = tmp();
    const neither = await refusal({ source: dir, version: '0' });
    expect(neither.kind).toBe('usage');
    expect(neither.message).toContain('not a grid folder (manifest.json + results.csv) or run folder (config.json + metrics.json)');
  });
});

describe('promote with regimes and a risk block', () => {
  it('freezes every option the cell ran with and reproduces its digest', async () => {
    const regimes = { vol: { source: 'realized', lookback: 30, allow: ['very_low', 'low', 'medium', 'high'] }, trend: ['up', 'sideways'] };
    const risk = { maxDrawdownPct: 25, maxConsecutiveLosses: 3, pauseBars: 5, volSpike: { k: 4, lookback: 40, pauseBars: 3 }, maxPositionsPer: { side: 1 } };
    const p = await project({ regimes, risk, filters: {}, sweep: { fast: [5, 10], slow: [30, 60] }, fills: { ambiguity: 'target-first' }, leverage: 2 });
    const out = join(p.root, 'paper', 'risk.json');
    const { config } = await promote({ source: p.gridDir, out, minDeflatedSharpe: 0, version: '0' });
    expect(config).toMatchObject({
      fills: { ambiguity: 'target-first' },
      leverage: 2,
      regimes: { vol: { source: 'realized', lookback: 30, allow: regimes.vol.allow }, trend: { period: 50, slopeBars: 10, allow: ['up', 'sideways'] } },
      risk: { maxDrawdownPct: 25, maxConsecutiveLosses: 3, pauseBars: 5, volSpike: risk.volSpike, maxPositionsPer: { side: 1 }, flattenOnDrawdown: false, warnAt: 0.8 },
    });
    expect(await digestOf(out)).toBe(p.summary.top[0]!.digest);
    // The trend SMA and its slope (60 bars) or the 40-return volatility spike window outlast a 30-bar SMA.
    expect(config.warmup).toEqual({ bars: Math.max(Number(p.summary.top[0]!.params['slow']), 60, 41) });
  });
});

describe('promote from a run folder (backtest --out)', () => {
  it('rebuilds the run spec from config.json, window and all, and reproduces metrics.json\'s digest', async () => {
    const root = tmp();
    const runDir = join(root, 'runs', 'demo');
    const spec = parseRunSpec({
      data: { file: SP500, symbol: 'SPX', from: '2010-01-01', to: '2014-12-31' }, strategy: 'sma-cross', params: { fast: 10, slow: 40 },
      capital: 25_000, costs: { commissionRate: 0.0005, slippageBps: 2 }, risk: { dailyLossPct: 3 }, regimes: { vol: ['low', 'medium'] },
    });
    const outcome = await runSpec(spec, root);
    await writeRunDir(runDir, outcome);
    const out = join(root, 'paper', 'demo.json');
    const promoted = await promote({ source: runDir, out, version: '0', now: NOW });
    expect(promoted.config).toMatchObject({ name: 'demo', params: { fast: 10, slow: 40, longOnly: true }, capital: 25_000, risk: { dailyLossPct: 3 } });
    expect((promoted.config['data'] as { from?: string }[])[0]).toMatchObject({ from: '2010-01-04T00:00:00.000Z', to: '2014-12-31T00:00:00.000Z' });
    expect(promoted.config.provenance).toMatchObject({
      experiment: null, gridDir: null, runDir: '../runs/demo', cell: null, rank: null, seed: null, forced: false, digest: outcome.result.digest,
      gate: { passedFilters: true, deflatedSharpe: null, reasons: [] },
    });
    expect(await digestOf(out)).toBe(outcome.result.digest);
    const ranked = await refusal({ source: runDir, select: { rank: 1 }, out: join(root, 'y.json'), version: '0' });
    expect(ranked.message).toContain('is a run folder (one run): --rank and --cell apply to grid folders');
  });
});

describe('runSpecOptions', () => {
  const cases: Record<string, EngineOptions> = {
    defaults: {},
    everything: {
      initialCapital: 1e6, costs: { commissionPerShare: 0.005, commissionMin: 1, commissionMax: 20, slippageTicks: 1, spreadFromColumn: true }, ambiguity: 'target-first',
      leverage: 3, sessionOffsetMs: -5 * 3_600_000, riskFreeRate: 0.02, instruments: { ES: { multiplier: 50, tickSize: 0.25 } },
      regimes: { vol: { source: 'column', column: 'vix', thresholds: [15, 25], labels: ['calm', 'normal', 'stormy'], allow: ['calm'] }, trend: { period: 20, slopeBars: 5, band: 0.02 } },
      risk: {
        maxOpenPositions: 3, maxPositionsPer: { symbol: 1, group: 2 }, groups: { ES: 'index' }, maxCapitalAtRisk: 5000, maxNotionalPerOrder: 1e5, dailyLossR: 3, dailyProfitR: 5,
        riskPerTrade: 500, maxDrawdownPct: 20, flattenOnDrawdown: true, maxLosingDays: 2, pauseDays: 1, var: { confidence: 0.95, lookback: 100, maxPct: 2 },
        correlation: { max: 0.8, lookback: 60 }, warnAt: 0.5,
      },
    },
  };
  for (const [name, options] of Object.entries(cases)) {
    it(`turns a resolved config back into run-spec fields that resolve to the same config (${name})`, () => {
      const fields = runSpecOptions(resolvedJson(options));
      const again = parseRunSpec({ data: 'x.csv', strategy: 'sma-cross', ...fields }).options;
      expect(resolvedJson(again)).toEqual(resolvedJson(options));
      expect(JSON.stringify(resolveEngineConfig(again))).toBe(JSON.stringify(resolveEngineConfig(options)));
    });
  }
});

describe('relativePath', () => {
  it('is relative to the config folder with / separators, absolute when only the root is shared', () => {
    expect(relativePath('/work/project/data/sp.csv', '/work/project/paper')).toBe('../data/sp.csv');
    expect(relativePath('/work/project/paper/sp.csv', '/work/project/paper')).toBe('sp.csv');
    expect(relativePath('/work/project/data/sp.csv', '/tmp/paper')).toBe('/work/project/data/sp.csv');
    expect(relativePath('data/sp.csv', process.cwd())).toBe('data/sp.csv');
  });
});

describe('warmupBars', () => {
  const base = resolvedJson({});
  it('takes the longest bar lookback among the params, regimes and risk rules', () => {
    const sma = findStrategy('sma-cross')!;
    const channel = findStrategy('channel-breakout')!;
    expect(warmupBars({ strategy: sma, params: { fast: 5, slow: 80 }, config: base }, [])).toBe(80);
    expect(warmupBars({ strategy: sma, params: {}, config: base }, [])).toBe(30);
    expect(warmupBars({ strategy: channel, params: { lookback: 55 }, config: base }, [])).toBe(55);
    const regimes = resolvedJson({ regimes: { vol: { source: 'column' }, trend: { period: 100, slopeBars: 20 } } });
    expect(warmupBars({ strategy: sma, params: {}, config: regimes }, [])).toBe(120);
    const risk = resolvedJson({ risk: { correlation: { max: 0.5, lookback: 250 } } });
    expect(warmupBars({ strategy: sma, params: {}, config: risk }, [])).toBe(251);
  });

  it('counts realized-volatility days as bars of the data, and is undefined when nothing is known', () => {
    const sma = findStrategy('sma-cross')!;
    const hour = 3_600_000;
    // Three bars a day for ten days: a 4-return (5-day) window is the last 15 bars.
    const timeMs = Float64Array.from({ length: 30 }, (_, i) => Math.floor(i / 3) * 24 * hour + (i % 3) * hour);
    const config = resolvedJson({ regimes: { vol: { source: 'realized', lookback: 4 }, trend: { period: 2, slopeBars: 1 } } });
    expect(warmupBars({ strategy: sma, params: { fast: 1, slow: 2 }, config }, [{ timeMs } as never])).toBe(15);
    const swing = findStrategy('swing-break')!;
    expect(warmupBars({ strategy: swing, params: {}, config: base }, [])).toBeUndefined();
  });
});
