import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
import { parseCsv, readCsv } from './csv.js';
import { validateBars } from './validate.js';

const SAMPLE = 'data/samples/sp500-2000.csv';

/** Parses CSV text and validates it (strict unless `repair` is given). */
function load(text: string, file = 'x.csv') {
  return validateBars(parseCsv(Buffer.from(text), file)).bars;
}

function errorOf(action: () => unknown): DataError {
  try {
    action();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError');
}

describe('readCsv on the bundled S&P 500 sample', () => {
  const bars = validateBars(readCsv(SAMPLE)).bars;

  it('reads every row (the file has 5105 data rows and no trailing newline)', () => {
    expect(bars.length).toBe(5105);
    expect(bars.symbol).toBe('SP500-2000');
  });

  it('pins the first and last rows', () => {
    expect(bars.timeMs[0]).toBe(Date.UTC(2000, 0, 3));
    expect(bars.open[0]).toBe(1469.25);
    expect(bars.high[0]).toBe(1478);
    expect(bars.low[0]).toBe(1438.359985);
    expect(bars.close[0]).toBe(1455.219971);
    expect(bars.volume?.[0]).toBe(931800000);
    const last = bars.length - 1;
    expect(bars.timeMs[last]).toBe(Date.UTC(2020, 3, 17));
    expect(bars.close[last]).toBe(2874.560059);
    expect(bars.volume?.[last]).toBe(5792140000);
  });

  it('keeps adjclose as an extra column', () => {
    expect(Object.keys(bars.extras)).toEqual(['adjclose']);
    expect(bars.extras['adjclose']?.[0]).toBe(1455.219971);
  });
});

describe('parseCsv formats', () => {
  it('handles BOM, CRLF, quotes, trailing blank lines, offsets and spaced extra names', () => {
    const bars = validateBars(readCsv('test/fixtures/bom-crlf-offset.csv', { symbol: 'ES' })).bars;
    expect(bars.symbol).toBe('ES');
    expect(bars.length).toBe(2);
    expect(bars.timeMs[0]).toBe(Date.UTC(2020, 0, 2, 14, 31));
    expect(bars.open[0]).toBe(10);
    expect(Object.keys(bars.extras)).toEqual(['adj close']);
    expect(bars.extras['adj close']?.[1]).toBe(10.7);
  });

  it('reads a file without a trailing newline and with blank lines in between', () => {
    const bars = load('date,open,high,low,close\n\n2020-01-02,1,2,0.5,1.5\n\n2020-01-03,1,2,0.5,1.5');
    expect(bars.length).toBe(2);
  });

  it('reads ISO date-times with and without seconds, fractions, Z and offsets', () => {
    const text = [
      'datetime,open,high,low,close',
      '2020-01-02 09:30,1,2,0.5,1',
      '2020-01-02T09:31:05,1,2,0.5,1',
      '2020-01-02T09:32:05.250Z,1,2,0.5,1',
      '2020-01-02T09:33:00+01:30,1,2,0.5,1',
      '2020-01-02T09:34:00.123456-0100,1,2,0.5,1',
    ].join('\n');
    // Parsed only (no validation): the offset rows are earlier than the rows before them.
    expect(Array.from(parseCsv(Buffer.from(text), 'x.csv').columns.timeMs)).toEqual([
      Date.UTC(2020, 0, 2, 9, 30),
      Date.UTC(2020, 0, 2, 9, 31, 5),
      Date.UTC(2020, 0, 2, 9, 32, 5, 250),
      Date.UTC(2020, 0, 2, 8, 3),
      Date.UTC(2020, 0, 2, 10, 34, 0, 123) + 0.456,
    ]);
  });

  it('detects epoch milliseconds and seconds from the first row', () => {
    const ms = validateBars(readCsv('test/fixtures/epoch-ms.csv')).bars;
    expect(ms.timeMs[0]).toBe(1577975400000);
    expect(Number.isNaN(ms.extras['vix']?.[1])).toBe(true);
    const seconds = load('time,open,high,low,close\n1577975400,1,2,0.5,1\n1577975460.5,1,2,0.5,1');
    expect(Array.from(seconds.timeMs)).toEqual([1577975400000, 1577975460500]);
  });

  it('rejects a row whose epoch magnitude disagrees with the first row', () => {
    const error = errorOf(() => load('time,open,high,low,close\n1577975400,1,2,0.5,1\n1577975460000,1,2,0.5,1'));
    expect(error.message).toBe(
      'x.csv:3: time 1577975460000 looks like epoch milliseconds but the file uses epoch seconds (first row: 1577975400) — use one unit for the whole column or pass --repair drop',
    );
  });

  it('matches header names case-insensitively and takes the first time-like column', () => {
    const bars = load(' CLOSE ,Timestamp,Open,HIGH,low,Signal\n1.5,2020-01-02,1,2,0.5,-1');
    expect(bars.close[0]).toBe(1.5);
    expect(bars.extras['signal']?.[0]).toBe(-1);
  });

  it('parses numbers exactly like parseFloat (exponents, signs, many digits)', () => {
    const bars = load('date,open,high,low,close,x\n2020-01-02,1e0,2.5E+1,0.1,+1.25,-0.30000000000000004441');
    expect(bars.high[0]).toBe(25);
    expect(bars.low[0]).toBe(0.1);
    expect(bars.close[0]).toBe(1.25);
    expect(bars.extras['x']?.[0]).toBe(parseFloat('-0.30000000000000004441'));
  });
});

describe('parseCsv errors', () => {
  it('names missing required columns and the columns found', () => {
    const error = errorOf(() => readCsv('test/fixtures/missing-columns.csv'));
    expect(error.message).toBe(
      'test/fixtures/missing-columns.csv: missing required column(s) high, low; found: date, open, close, volume — rename the header cells',
    );
    expect(error.line).toBeUndefined();
  });

  it('requires a time column', () => {
    expect(errorOf(() => load('day,open,high,low,close\n1,1,1,1,1')).reason).toBe(
      'missing required column(s) a time column (date, time, timestamp or datetime); found: day, open, high, low, close',
    );
  });

  it('rejects an empty file and a header-only file', () => {
    expect(errorOf(() => readCsv('test/fixtures/empty.csv')).message).toBe('test/fixtures/empty.csv: file is empty — add a header line and data rows');
    expect(errorOf(() => readCsv('test/fixtures/header-only.csv')).message).toBe(
      'test/fixtures/header-only.csv: no data rows after the header — add data rows',
    );
  });

  it('rejects unparsable numbers with line and field', () => {
    const error = errorOf(() => validateBars(readCsv('test/fixtures/bad-number.csv')));
    expect(error.message).toBe('test/fixtures/bad-number.csv:3: high "1l" is not a number — fix the value or pass --repair drop');
    expect(error.line).toBe(3);
    expect(error.field).toBe('high');
  });

  it('rejects empty required cells but accepts empty extras as NaN', () => {
    expect(errorOf(() => load('date,open,high,low,close\n2020-01-02,1,,0.5,1')).reason).toBe('high is empty');
    expect(Number.isNaN(load('date,open,high,low,close,vix\n2020-01-02,1,2,0.5,1,').extras['vix']?.[0])).toBe(true);
  });

  it('rejects text in an extra column', () => {
    const error = errorOf(() => load('date,open,high,low,close,ticker\n2020-01-02,1,2,0.5,1,SPX'));
    expect(error.message).toBe(
      'x.csv:2: ticker "SPX" is not a number — extra columns must be numeric: fix the value, remove the ticker column, or pass --repair drop',
    );
  });

  it('rejects rows with too few or too many fields', () => {
    expect(errorOf(() => load('date,open,high,low,close\n2020-01-02,1,2,0.5')).message).toBe(
      'x.csv:2: row has 4 fields, the header has 5 — fix the row (quote values that contain commas) or pass --repair drop',
    );
    expect(errorOf(() => load('date,open,high,low,close\n2020-01-02,1,2,0.5,1,7')).reason).toBe('row has 6 fields, the header has 5');
  });

  it('rejects bad times and impossible dates', () => {
    expect(errorOf(() => load('date,open,high,low,close\n2020-02-30,1,2,0.5,1')).reason).toBe(
      'date "2020-02-30" is not an ISO date or date-time (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]) or epoch seconds/milliseconds',
    );
    expect(errorOf(() => load('date,open,high,low,close\n20200102,1,2,0.5,1')).reason).toBe(
      'date "20200102" looks like a compact YYYYMMDD date, which is ambiguous with epoch seconds',
    );
    expect(errorOf(() => load('date,open,high,low,close\n2020-01-02,1,2,0.5,1\n2020-01-03 25:00,1,2,0.5,1')).line).toBe(3);
  });

  it('rejects an unterminated quote', () => {
    expect(errorOf(() => load('date,open,high,low,close\n2020-01-02,"1,2,0.5,1')).reason).toBe('unterminated quote in open');
  });

  it('collects problems without stopping when asked', () => {
    const raw = parseCsv(Buffer.from('date,open,high,low,close\nx,1,2,0.5,1\n2020-01-03,1,2,0.5,1\n2020-01-04,y,2,0.5,1\n'), 'x.csv', {
      maxProblems: 10,
      stopAtMaxProblems: false,
    });
    expect(raw.length).toBe(1);
    expect(raw.problemCount).toBe(2);
    expect(raw.problems.map((p) => p.line)).toEqual([2, 4]);
    expect(Array.from(raw.lines ?? [])).toEqual([3]);
  });
});
