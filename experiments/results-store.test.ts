import { appendFileSync, existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { GridIdentity } from './grid-manifest.js';
import { METRIC_COLUMNS, type GridRow, type ResultsLayout } from './results-columns.js';
import { GRID_FILES, ResultsDirError, ResultsStore, type CellOutput, type OpenResultsOptions } from './results-store.js';
import { returnsRecordBytes } from './returns-file.js';

const layout: ResultsLayout = { params: [{ name: 'fast', kind: 'number' }, { name: 'mode', kind: 'string' }] };
const DAYS = 3;
const CELLS = 10;
const identity: GridIdentity = {
  replaylab: '0.0.0-test',
  experiment: { name: 't', file: null, digest: 'e'.repeat(64) },
  data: [{ file: '/data.csv', digest: 'd'.repeat(64) }],
  seed: 7,
  cells: CELLS,
  returnsPerCell: DAYS,
};

function output(cell: number): CellOutput {
  const metrics = Object.fromEntries(METRIC_COLUMNS.map((name, i) => [name, i === 6 ? null : cell + i / 7])) as GridRow['metrics'];
  const row: GridRow = { cell, params: { fast: cell * 5, mode: cell % 2 === 0 ? 'a' : 'b,c' }, metrics, digest: String(cell).padStart(64, '0') };
  return { row, returns: Float32Array.of(cell / 100, -cell / 200, 0.5) };
}

function options(dir: string, overrides: Partial<OpenResultsOptions> = {}): OpenResultsOptions {
  return {
    dir, layout, identity, cellIndexes: [...Array(CELLS).keys()], resume: false, workers: 2, batchSize: 3, batching: 'fixed',
    experimentJson: { name: 't' }, now: () => new Date(Date.UTC(2024, 0, 1)), arrowFlushMs: 0, ...overrides,
  };
}

const tmp = () => join(mkdtempSync(join(tmpdir(), 'replaylab-store-')), 'out');
const read = (dir: string, file: string) => readFileSync(join(dir, file));

/** A complete, uninterrupted folder to compare against. */
function reference(): string {
  const dir = tmp();
  const store = ResultsStore.open(options(dir));
  for (let c = 0; c < CELLS; c++) store.append([output(c)]);
  store.close('complete');
  return dir;
}

describe('ResultsStore', () => {
  it('writes the same returns.f32 whatever the chunk its records are encoded in and however cells are appended', () => {
    const whole = read(reference(), GRID_FILES.returns);
    for (const chunk of [1, returnsRecordBytes(DAYS) * 2 + 1, returnsRecordBytes(DAYS) * 3]) {
      const dir = tmp();
      const store = ResultsStore.open(options(dir, { returnsChunkBytes: chunk }));
      store.append([0, 1, 2, 3, 4, 5, 6].map(output));
      store.append([output(7)]);
      store.append([output(8), output(9)]);
      store.close('complete');
      expect(read(dir, GRID_FILES.returns).equals(whole), `chunk ${chunk}`).toBe(true);
    }
    const first = whole.subarray(returnsRecordBytes(DAYS), 2 * returnsRecordBytes(DAYS));
    expect(first.readInt32LE(0)).toBe(1);
    expect(first.readFloatLE(4)).toBe(Math.fround(0.01));
  });

  it('writes results.csv, returns.f32, results.arrow, experiment.json and manifest.json in cell order', () => {
    const dir = reference();
    const csv = read(dir, GRID_FILES.csv).toString('utf8').trim().split('\n');
    expect(csv).toHaveLength(CELLS + 1);
    expect(csv[0]).toBe(`cell,fast,mode,${METRIC_COLUMNS.join(',')},digest`);
    expect(csv[2]).toMatch(/^1,5,"b,c",/);
    expect(read(dir, GRID_FILES.returns).byteLength).toBe(CELLS * returnsRecordBytes(DAYS));
    const table = tableFromIPC(read(dir, GRID_FILES.arrow));
    expect(table.numRows).toBe(CELLS);
    expect(table.batches).toHaveLength(CELLS);
    expect(table.getChild('mode')!.get(1)).toBe('b,c');
    expect(table.getChild(METRIC_COLUMNS[6])!.get(0)).toBeNull();
    const manifest = JSON.parse(read(dir, GRID_FILES.manifest).toString('utf8'));
    expect(manifest).toMatchObject({ version: 1, status: 'complete', completedCells: CELLS, cells: CELLS, seed: 7, workers: 2, batchSize: 3, batching: 'fixed' });
    expect(manifest.history).toEqual([{ startedAt: '2024-01-01T00:00:00.000Z', endedAt: '2024-01-01T00:00:00.000Z', fromCell: 0, completedCells: CELLS, workers: 2, batchSize: 3, batching: 'fixed', status: 'complete' }]);
    expect(JSON.parse(read(dir, GRID_FILES.experiment).toString('utf8'))).toEqual({ name: 't' });
  });

  it('refuses rows out of cell order and returns of the wrong length', () => {
    const store = ResultsStore.open(options(tmp()));
    expect(() => store.append([output(1)])).toThrow(/out of order: got cell 1, expected 0/);
    expect(() => store.append([{ ...output(0), returns: new Float32Array(2) }])).toThrow(/2 daily returns, expected 3/);
  });

  it('refuses a non-empty folder without --resume', () => {
    const dir = reference();
    expect(() => ResultsStore.open(options(dir))).toThrow(ResultsDirError);
    expect(() => ResultsStore.open(options(dir))).toThrow(/already holds results — pass --resume to continue that run, or --out another folder/);
  });

  it('resumes after a crash that tore the last CSV line and returns record: same bytes as an uninterrupted run', () => {
    const expected = reference();
    const dir = tmp();
    const first = ResultsStore.open(options(dir));
    for (let c = 0; c < 6; c++) first.append([output(c)]);
    // kill -9: no close(); a half-written row and record follow the last whole ones.
    appendFileSync(join(dir, GRID_FILES.returns), Buffer.alloc(5));
    appendFileSync(join(dir, GRID_FILES.csv), '6,30,"a",1.5');
    const resumed = ResultsStore.open(options(dir, { resume: true, workers: 1, batchSize: 1 }));
    expect(resumed.done).toBe(6);
    expect(resumed.rows.map((r) => r.cell)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(resumed.rows[1]).toEqual(output(1).row);
    for (let c = 6; c < CELLS; c++) resumed.append([output(c)]);
    resumed.close('complete');
    expect(read(dir, GRID_FILES.csv).equals(read(expected, GRID_FILES.csv))).toBe(true);
    expect(read(dir, GRID_FILES.returns).equals(read(expected, GRID_FILES.returns))).toBe(true);
    const arrow = tableFromIPC(read(dir, GRID_FILES.arrow));
    expect(arrow.batches[0]!.numRows).toBe(6); // the resumed prefix is rebuilt as one batch
    expect(JSON.stringify(arrow.toArray())).toBe(JSON.stringify(tableFromIPC(read(expected, GRID_FILES.arrow)).toArray()));
    const manifest = resumed.status;
    expect(manifest.history.map((a) => [a.fromCell, a.completedCells, a.status])).toEqual([[0, null, 'interrupted'], [6, CELLS, 'complete']]);
  });

  it('resumes to the shorter of results.csv and returns.f32', () => {
    const dir = tmp();
    const first = ResultsStore.open(options(dir));
    for (let c = 0; c < 5; c++) first.append([output(c)]);
    truncateSync(join(dir, GRID_FILES.returns), 3 * returnsRecordBytes(DAYS) + 2);
    const resumed = ResultsStore.open(options(dir, { resume: true }));
    expect(resumed.done).toBe(3);
    expect(read(dir, GRID_FILES.csv).toString('utf8').trim().split('\n')).toHaveLength(4);
    expect(read(dir, GRID_FILES.returns).byteLength).toBe(3 * returnsRecordBytes(DAYS));
    expect(resumed.readReturns().cells).toEqual(Int32Array.of(0, 1, 2));
  });

  it('resumes a folder whose CSV header was torn, and an interrupted (closed) run', () => {
    const dir = tmp();
    ResultsStore.open(options(dir));
    writeFileSync(join(dir, GRID_FILES.csv), 'cell,fa');
    const resumed = ResultsStore.open(options(dir, { resume: true }));
    expect(resumed.done).toBe(0);
    resumed.append([output(0)]);
    resumed.close('interrupted');
    const again = ResultsStore.open(options(dir, { resume: true }));
    expect(again.done).toBe(1);
    expect(again.status.history.map((a) => a.status)).toEqual(['interrupted', 'interrupted', 'running']);
  });

  it('refuses to resume when the experiment or data changed, or the rows are not this grid', () => {
    const dir = reference();
    const changed = (patch: Partial<GridIdentity>) => () => ResultsStore.open(options(dir, { resume: true, identity: { ...identity, ...patch } }));
    expect(changed({ experiment: { ...identity.experiment, digest: 'f'.repeat(64) } })).toThrow(/cannot resume .*: the experiment changed since the run started \(sha256 eeeeeeeeeeee… → ffffffffffff…\)/);
    expect(changed({ data: [{ file: '/data.csv', digest: '0'.repeat(64) }] })).toThrow(/data file \/data.csv changed since the run started/);
    expect(() => ResultsStore.open(options(dir, { resume: true, layout: { params: [{ name: 'slow', kind: 'number' }, { name: 'mode', kind: 'string' }] } }))).toThrow(/other columns/);
    expect(() => ResultsStore.open(options(dir, { resume: true, cellIndexes: [...Array(CELLS).keys()].map((i) => i + 1) }))).toThrow(/row 1 holds cell 0/);
    const other = tmp();
    ResultsStore.open(options(other));
    writeFileSync(join(other, GRID_FILES.manifest), '{');
    expect(() => ResultsStore.open(options(other, { resume: true }))).toThrow(/manifest.json is unreadable/);
  });

  it('--resume on a missing folder starts a new run', () => {
    const dir = tmp();
    const store = ResultsStore.open(options(dir, { resume: true }));
    expect(store.done).toBe(0);
    expect(existsSync(join(dir, GRID_FILES.manifest))).toBe(true);
  });

  it('batches Arrow rows by count and time', () => {
    const dir = tmp();
    let now = 0;
    const store = ResultsStore.open(options(dir, { arrowFlushMs: 1000, arrowBatchRows: 4, now: () => new Date(now) }));
    for (let c = 0; c < CELLS; c++) {
      now += c === 5 ? 2000 : 1;
      store.append([output(c)]);
    }
    store.close('complete');
    expect(tableFromIPC(read(dir, GRID_FILES.arrow)).batches.map((b) => b.numRows)).toEqual([4, 2, 4]);
  });
});
