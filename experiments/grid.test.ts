import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { findStrategy } from '../strategies/index.js';
import { cellRunSpec, expandCells } from './cells.js';
import { parseExperiment } from './experiment-spec.js';
import { releaseInOrder, runGrid, type GridOptions } from './grid.js';
import { ReorderBuffer } from './reorder-buffer.js';
import type { CellOutput } from './results-store.js';
import { csvHeaderLine, csvRowLine } from './results-csv.js';
import { resultsLayout, rowMetrics } from './results-columns.js';
import { GRID_FILES, ResultsDirError } from './results-store.js';
import { dailyReturnsOf, returnsRecordBytes, writeReturnsRecord } from './returns-file.js';
import { runSpec } from './run.js';

const SP500 = fileURLToPath(new URL('../data/samples/sp500-2000.csv', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'replaylab-grid-'));

/** A small sma-cross grid on five years of the bundled S&P 500 file. */
function experimentJson(fast: readonly number[], slow: readonly number[], data = SP500) {
  return {
    name: 'small',
    data: { file: data, symbol: 'SPX', from: '2008-01-01', to: '2012-12-31' },
    strategy: 'sma-cross',
    capital: 50_000,
    costs: { commissionRate: 0.001 },
    sweep: { fast, slow },
    constraints: ['fast < slow'],
    ranking: { metric: 'sharpe', order: 'desc' },
  };
}

function gridOptions(json: unknown, outDir: string, overrides: Partial<GridOptions> = {}): GridOptions {
  const dir = tmp();
  const file = join(dir, 'small.json');
  writeFileSync(file, JSON.stringify(json));
  return { experiment: parseExperiment(json, { file }), experimentFile: file, baseDir: dir, outDir, workers: 1, resume: false, version: '0.0.0-test', ...overrides };
}

/** results.csv as `replaylab backtest` of every cell alone (runSpec, in this process) would write it. */
async function referenceCsv(json: unknown): Promise<string> {
  return (await reference(json)).csv;
}

/**
 * results.csv and returns.f32 from every cell run alone in this process (runSpec): the daily
 * returns from the kept equity series (daily bars: one bar per day).
 */
async function reference(json: unknown): Promise<{ readonly csv: string; readonly returns: Buffer }> {
  const experiment = parseExperiment(json, { file: 'small.json' });
  const layout = resultsLayout(findStrategy('sma-cross')!.params, Object.keys(experiment.sweep));
  let csv = csvHeaderLine(layout);
  const records: Buffer[] = [];
  for (const cell of expandCells(experiment)) {
    const { result } = await runSpec(cellRunSpec(experiment, cell), '/', { keepSeries: true, keepEvents: false });
    csv += csvRowLine(layout, { cell: cell.index, params: cell.swept, metrics: rowMetrics(result.metrics), digest: result.digest });
    const returns = dailyReturnsOf(result.series!.equity);
    const record = Buffer.alloc(returnsRecordBytes(returns.length));
    writeReturnsRecord(record, 0, cell.index, returns);
    records.push(record);
  }
  return { csv, returns: Buffer.concat(records) };
}

const read = (dir: string, file: string) => readFileSync(join(dir, file));

describe('runGrid', () => {
  const fixed = experimentJson([5, 10, 15, 20], [30, 45, 60, 90, 120]);

  it('is deterministic: the same results.csv and returns.f32 bytes for 1, 2, 3 workers and batch sizes 1, 7, default, equal to running each cell alone', async () => {
    const expected = await reference(fixed);
    expect(expected.returns.byteLength).toBeGreaterThan(20 * 1000 * 4);
    for (const workers of [1, 2, 3]) {
      for (const batchSize of [1, 7, undefined]) {
        const out = join(tmp(), 'out');
        const outcome = await runGrid(gridOptions(fixed, out, { workers, batchSize }));
        expect(outcome.status).toBe('complete');
        expect(read(out, GRID_FILES.csv).toString('utf8'), `workers ${workers}, batch ${batchSize}`).toBe(expected.csv);
        expect(read(out, GRID_FILES.returns).equals(expected.returns), `workers ${workers}, batch ${batchSize}`).toBe(true);
      }
    }
  });

  it('property: any small grid, worker count and batch size gives the rows of the cells run alone, in cell order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([3, 5, 8, 13, 21], { minLength: 1 }),
        fc.subarray([25, 34, 55, 89], { minLength: 1 }),
        fc.constantFrom(1, 2, 3),
        fc.constantFrom(1, 7, undefined),
        async (fast, slow, workers, batchSize) => {
          const json = experimentJson(fast, slow);
          const out = join(tmp(), 'out');
          await runGrid(gridOptions(json, out, { workers, batchSize }));
          expect(read(out, GRID_FILES.csv).toString('utf8')).toBe(await referenceCsv(json));
        },
      ),
      { numRuns: 6 },
    );
  });

  it('writes the Arrow stream, manifest and summary, ranked and with overfitting statistics', async () => {
    const out = join(tmp(), 'out');
    const outcome = await runGrid(gridOptions(fixed, out, { workers: 2, top: 3 }));
    const table = tableFromIPC(read(out, GRID_FILES.arrow));
    expect(table.numRows).toBe(20);
    expect(Array.from(table.getChild('cell')!.toArray())).toEqual([...Array(20).keys()]);
    expect(table.getChild('digest')!.get(4)).toBe(outcome.rows[4]!.digest);
    const manifest = JSON.parse(read(out, GRID_FILES.manifest).toString('utf8'));
    // 20 cells on 2 workers, guided: capped at ceil(20 / 16) = 2 cells.
    expect(manifest).toMatchObject({ status: 'complete', cells: 20, completedCells: 20, workers: 2, batchSize: 2, batching: 'guided', replaylab: '0.0.0-test', seed: 0 });
    expect(manifest.data[0].digest).toMatch(/^[0-9a-f]{64}$/);
    const summary = JSON.parse(read(out, GRID_FILES.summary).toString('utf8'));
    expect(summary).toEqual(JSON.parse(JSON.stringify(outcome.summary)));
    expect(summary.top).toHaveLength(3);
    expect(summary.top.map((t: { rank: number }) => t.rank)).toEqual([1, 2, 3]);
    const sharpes = summary.top.map((t: { metrics: { sharpe: number } }) => t.metrics.sharpe);
    expect([...sharpes].sort((a, b) => b - a)).toEqual(sharpes);
    expect(summary.trials).toBe(20);
    expect(summary.overfitting.deflatedSharpe.cell).toBe(summary.top[0].cell);
    expect(summary.overfitting.pbo.pbo).toBeGreaterThanOrEqual(0);
    expect(summary.overfitting.pbo.partitions).toBe(16);
    expect(['plateau', 'spike', 'isolated']).toContain(summary.plateau.verdict);
  });

  it('stops on abort with the finished cells stored in order, and a resume completes to the same bytes', async () => {
    const expected = await referenceCsv(fixed);
    const out = join(tmp(), 'out');
    const controller = new AbortController();
    // Stop at the first finished batch: the running ones still complete and are stored in order.
    const first = await runGrid(gridOptions(fixed, out, { workers: 2, batchSize: 1, signal: controller.signal, onProgress: () => controller.abort() }));
    expect(first.status).toBe('interrupted');
    expect(first.summary).toBeUndefined();
    expect(first.rows.length).toBeGreaterThanOrEqual(1);
    expect(first.rows.length).toBeLessThan(20);
    expect(first.rows.map((r) => r.cell)).toEqual([...Array(first.rows.length).keys()]);
    expect(first.manifest.status).toBe('interrupted');
    // Without --resume the folder is in use.
    await expect(runGrid(gridOptions(fixed, out))).rejects.toThrow(ResultsDirError);
    let startedAt = -1;
    const second = await runGrid(gridOptions(fixed, out, { resume: true, workers: 3, batchSize: 7, onStart: (info) => (startedAt = info.done) }));
    expect(startedAt).toBe(first.rows.length);
    expect(second.status).toBe('complete');
    expect(read(out, GRID_FILES.csv).toString('utf8')).toBe(expected);
    expect(second.manifest.history.map((a) => a.status)).toEqual(['interrupted', 'complete']);
  });

  it('refuses to resume when the data file changed', async () => {
    const dir = tmp();
    const data = join(dir, 'spx.csv');
    copyFileSync(SP500, data);
    const json = experimentJson([5, 10], [30, 60], data);
    const out = join(dir, 'out');
    const controller = new AbortController();
    controller.abort();
    const first = await runGrid(gridOptions(json, out, { signal: controller.signal }));
    expect(first.status).toBe('interrupted');
    appendFileSync(data, '\n2020-04-20,2800,2850,2790,2820,2820,1000\n');
    await expect(runGrid(gridOptions(json, out, { resume: true }))).rejects.toThrow(/cannot resume .*: data file .*spx\.csv changed since the run started/);
  });
});

describe('releaseInOrder', () => {
  const row = (cell: number) => ({ cell, params: {}, metrics: {} as CellOutput['row']['metrics'], digest: `d${cell}` });

  it('releases the next cell with the pool’s view and keeps a copy of the returns of one that must wait', () => {
    const reorder = new ReorderBuffer<CellOutput>(0);
    const slot = new Float32Array(new SharedArrayBuffer(2 * 4));
    slot.set([0.5, -0.5]);
    expect(releaseInOrder(reorder, 1, { row: row(1), returns: slot })).toEqual([]);
    slot.set([9, 9]); // the lane's next batch overwrites the slot
    const released = releaseInOrder(reorder, 0, { row: row(0), returns: slot });
    expect(released.map((o) => o.row.cell)).toEqual([0, 1]);
    expect(released[0]!.returns).toBe(slot);
    expect(Array.from(released[1]!.returns)).toEqual([0.5, -0.5]);
    expect(released[1]!.returns.buffer).not.toBe(slot.buffer);
  });
});
