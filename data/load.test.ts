import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DateDay, DateMillisecond, Float32, Int64, TimestampMicrosecond, TimestampNanosecond, TimestampSecond, Table, makeVector, tableToIPC, vectorFromArray, Utf8 } from 'apache-arrow';
import { parquetWriteFile } from 'hyparquet-writer';
import type { BarSeries } from '../engine/bars.js';
import { DataError } from './data-error.js';
import { fileDigest, formatOf, loadBars, writeBars } from './load.js';
import { writeArrowColumns } from './arrow.js';
import { synthBars } from './synth.js';

const dir = mkdtempSync(join(tmpdir(), 'replaylab-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLE = 'data/samples/sp500-2000.csv';

function expectSameColumns(a: BarSeries, b: BarSeries): void {
  expect(b.length).toBe(a.length);
  for (const name of ['timeMs', 'open', 'high', 'low', 'close', 'volume'] as const) expect(b[name], name).toEqual(a[name]);
  expect(Object.keys(b.extras).sort()).toEqual(Object.keys(a.extras).sort());
  for (const [name, column] of Object.entries(a.extras)) expect(b.extras[name], name).toEqual(column);
}

describe('round trips', () => {
  it('CSV → Arrow → Parquet → CSV keeps every column bit for bit', async () => {
    const { bars } = await loadBars(SAMPLE);
    await writeBars(join(dir, 'a.arrow'), bars);
    const fromArrow = (await loadBars(join(dir, 'a.arrow'), { symbol: 'SP500-2000' })).bars;
    await writeBars(join(dir, 'b.parquet'), fromArrow);
    const fromParquet = (await loadBars(join(dir, 'b.parquet'), { symbol: 'SP500-2000' })).bars;
    await writeBars(join(dir, 'c.csv'), fromParquet);
    const back = (await loadBars(join(dir, 'c.csv'), { symbol: 'SP500-2000' })).bars;
    for (const copy of [fromArrow, fromParquet, back]) expectSameColumns(bars, copy);
    expect(readFileSync(join(dir, 'c.csv'), 'utf8').split('\n', 2)).toEqual([
      'date,open,high,low,close,volume,adjclose',
      '2000-01-03,1469.25,1478,1438.359985,1455.219971,931800000,1455.219971',
    ]);
  });

  it('intraday synthetic bars with NaN extras survive every format, times written with ms', async () => {
    const bars = synthBars({ bars: 3000, seed: 5, intervalMs: 60_000 });
    const vix = bars.extras['vix'] as Float64Array;
    vix[7] = Number.NaN;
    const csv = join(dir, 'm.csv');
    await writeBars(csv, bars);
    expect(readFileSync(csv, 'utf8').split('\n')[1]?.startsWith('2000-01-03T14:31:00.000Z,100,')).toBe(true);
    for (const ext of ['csv', 'feather', 'ipc', 'parquet']) {
      const path = join(dir, `m2.${ext}`);
      await writeBars(path, bars);
      expectSameColumns(bars, (await loadBars(path, { symbol: 'SYNTH' })).bars);
    }
  });

  it('CSV writing streams in chunks: more rows than one chunk round-trip exactly', async () => {
    const bars = synthBars({ bars: 20_000, seed: 9 });
    const path = join(dir, 'big.csv');
    await writeBars(path, bars);
    expectSameColumns(bars, (await loadBars(path, { symbol: 'SYNTH' })).bars);
  });
});

describe('Arrow and Parquet inputs from other tools', () => {
  it('reads Arrow Timestamp (s, µs, ns), Date32, Date64, Float32 and Int64 columns, Utf8 times and nulls', async () => {
    const path = join(dir, 'other.arrow');
    const day = makeVector(Int32Array.from([18263, 18264]));
    const table = new Table({
      Date: vectorFromArray([new Date(Date.UTC(2020, 0, 2)), new Date(Date.UTC(2020, 0, 3))], new DateDay()),
      Open: vectorFromArray([1, 2], new Float32()),
      High: vectorFromArray([2, 3], new Float32()),
      Low: vectorFromArray([0.5, 1], new Float32()),
      Close: vectorFromArray([1.5, 2.5], new Float32()),
      Volume: vectorFromArray([10n, 20n], new Int64()),
      Signal: vectorFromArray([1, null]),
      Day: day,
    });
    writeFileSync(path, tableToIPC(table, 'file'));
    const { bars } = await loadBars(path);
    expect(Array.from(bars.timeMs)).toEqual([Date.UTC(2020, 0, 2), Date.UTC(2020, 0, 3)]);
    expect(Array.from(bars.close)).toEqual([1.5, 2.5]);
    expect(Array.from(bars.volume ?? [])).toEqual([10, 20]);
    expect(bars.extras['signal']?.[0]).toBe(1);
    expect(Number.isNaN(bars.extras['signal']?.[1])).toBe(true);

    const cases = [
      [new TimestampSecond(), [new Date(1_577_975_400_000)], 1_577_975_400_000],
      [new TimestampMicrosecond(), [new Date(1_577_975_400_123)], 1_577_975_400_123],
      [new TimestampNanosecond(), [new Date(1_577_975_400_123)], 1_577_975_400_123],
      [new DateMillisecond(), [new Date(Date.UTC(2020, 0, 3, 12))], Date.UTC(2020, 0, 3, 12)],
    ] as const;
    for (const [k, [type, values, expected]] of cases.entries()) {
      const p = join(dir, `ts-${k}.arrow`);
      const t = new Table({ time: vectorFromArray(values, type), open: makeVector(new Float64Array([1])), high: makeVector(new Float64Array([1])), low: makeVector(new Float64Array([1])), close: makeVector(new Float64Array([1])) });
      writeFileSync(p, tableToIPC(t, 'file'));
      expect((await loadBars(p)).bars.timeMs[0]).toBe(expected);
    }
    const text = join(dir, 'text.arrow');
    const t = new Table({ time: vectorFromArray(['2020-01-02T10:00:00+01:00'], new Utf8()), open: makeVector(new Float64Array([1])), high: makeVector(new Float64Array([1])), low: makeVector(new Float64Array([1])), close: makeVector(new Float64Array([1])) });
    writeFileSync(text, tableToIPC(t, 'stream'));
    expect((await loadBars(text)).bars.timeMs[0]).toBe(Date.UTC(2020, 0, 2, 9));
  });

  it('validates Arrow rows and reports problems by row', async () => {
    const path = join(dir, 'bad.arrow');
    writeArrowColumns(path, {
      time: { kind: 'timestamp-ms', values: new Float64Array([0, 60_000]) },
      open: new Float64Array([1, 1]),
      high: new Float64Array([2, 0.5]),
      low: new Float64Array([0.5, 0.9]),
      close: new Float64Array([1, 1]),
      note: ['a', 'b'],
    });
    await expect(loadBars(path)).rejects.toThrow(`${path}: column note holds text, not numbers — store it as a numeric column or remove it`);
    writeArrowColumns(path, {
      time: { kind: 'timestamp-ms', values: new Float64Array([0, 60_000]) },
      open: new Float64Array([1, 1]),
      high: new Float64Array([2, 0.5]),
      low: new Float64Array([0.5, 0.9]),
      close: new Float64Array([1, 1]),
    });
    await expect(loadBars(path)).rejects.toThrow(`${path}: row 2: high 0.5 < low 0.9 — fix the row or pass --repair drop`);
    const { bars, repairs } = await loadBars(path, { repair: 'drop' });
    expect(bars.length).toBe(1);
    expect(repairs.actions).toEqual([{ line: 2, action: 'dropped', reason: 'high 0.5 < low 0.9' }]);
  });

  it('reads Parquet with epoch-second INT64 times, INT32 columns and microsecond timestamps', async () => {
    const path = join(dir, 'other.parquet');
    parquetWriteFile({
      filename: path,
      columnData: [
        { name: 'Timestamp', data: [1_577_975_400n, 1_577_975_460n], type: 'INT64' },
        { name: 'open', data: [1, 2], type: 'INT32' },
        { name: 'high', data: [2, 3], type: 'DOUBLE' },
        { name: 'low', data: [0.5, 1], type: 'DOUBLE' },
        { name: 'close', data: [1.5, null], type: 'DOUBLE' },
      ],
    });
    const raw = loadBars(path);
    await expect(raw).rejects.toThrow(`${path}: row 2: close is missing (NaN) — fix the row or pass --repair drop`);
    const { bars } = await loadBars(path, { repair: 'drop' });
    expect(Array.from(bars.timeMs)).toEqual([1_577_975_400_000]);
    expect(bars.open[0]).toBe(1);
  });
});

describe('loadBars errors and helpers', () => {
  it('says when a file does not exist or has an unknown type', async () => {
    await expect(loadBars(join(dir, 'nope.csv'))).rejects.toThrow(`${join(dir, 'nope.csv')}: file does not exist — check the path`);
    await expect(loadBars('data/samples/README.md')).rejects.toBeInstanceOf(DataError);
    await expect(loadBars('data/samples/README.md')).rejects.toThrow('unknown file type');
  });

  it('rejects a file that is not Arrow', async () => {
    const path = join(dir, 'fake.arrow');
    writeFileSync(path, 'date,open\n');
    await expect(loadBars(path)).rejects.toThrow(/fake\.arrow: not a readable Arrow IPC file/);
  });

  it('formatOf maps extensions case-insensitively', () => {
    expect(['a.CSV', 'b.arrow', 'c.feather', 'd.ipc', 'e.parquet', 'f.txt', 'noext'].map(formatOf)).toEqual([
      'csv',
      'arrow',
      'arrow',
      'arrow',
      'parquet',
      undefined,
      undefined,
    ]);
  });

  it('fileDigest is the sha256 of the bytes', async () => {
    const expected = createHash('sha256').update(readFileSync(SAMPLE)).digest('hex');
    expect(await fileDigest(SAMPLE)).toBe(expected);
    expect(expected).toBe('9409e9342d0657c747324e4cfabce8a8c7f663bc485b95a3378f36b0a160f8c8');
  });
});
