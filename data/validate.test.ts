import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
import { parseCsv, readCsv } from './csv.js';
import { formatRepairReport, parseRepair, type Repair } from './repair.js';
import { validateBars } from './validate.js';

const HEADER = 'date,open,high,low,close,volume';

function check(rows: string[], repair?: Repair) {
  const drop = repair?.includes('drop') ?? false;
  const raw = parseCsv(Buffer.from([HEADER, ...rows].join('\n')), 'x.csv', {
    maxProblems: drop ? Number.POSITIVE_INFINITY : 1,
    stopAtMaxProblems: !drop,
  });
  return validateBars(raw, { repair });
}

function message(rows: string[]): string {
  try {
    check(rows);
  } catch (error) {
    if (error instanceof DataError) return error.message;
    throw error;
  }
  return 'no error';
}

const GOOD = '2020-01-02,10,11,9,10.5,100';

describe('validateBars: one message per problem, with line and fix', () => {
  it.each([
    ['high < low', '2020-01-03,10,10.5,11,10.6,100', 'x.csv:3: high 10.5 < low 11 — fix the row or pass --repair drop'],
    ['open above high', '2020-01-03,12,11,10,10.6,100', 'x.csv:3: open 12 is outside [low 10, high 11] — fix the row or pass --repair drop'],
    ['close below low', '2020-01-03,10.5,11,10,9.5,100', 'x.csv:3: close 9.5 is outside [low 10, high 11] — fix the row or pass --repair drop'],
    ['zero price', '2020-01-03,0,11,10,10.6,100', 'x.csv:3: open 0 is not positive — fix the row or pass --repair drop'],
    ['negative low', '2020-01-03,10,11,-1,10.6,100', 'x.csv:3: low -1 is not positive — fix the row or pass --repair drop'],
    ['NaN', '2020-01-03,10,NaN,9,10.6,100', 'x.csv:3: high is missing (NaN) — fix the row or pass --repair drop'],
    ['Infinity', '2020-01-03,10,Infinity,9,10.6,100', 'x.csv:3: high is Infinity — fix the row or pass --repair drop'],
    ['negative volume', '2020-01-03,10,11,9,10.6,-5', 'x.csv:3: volume -5 is negative — fix the row or pass --repair drop'],
    ['duplicate time', '2020-01-02,10,11,9,10.6,100', 'x.csv:3: duplicate time 2020-01-02 (same as line 2) — remove the duplicate row or pass --repair drop'],
    [
      'time out of order',
      '2020-01-01,10,11,9,10.6,100',
      'x.csv:3: time 2020-01-01 is before 2020-01-02 on line 2 (rows must be in time order) — sort the file by time or pass --repair sort',
    ],
  ])('%s', (_name, row, expected) => {
    expect(message([GOOD, row])).toBe(expected);
  });

  it('reports the earliest problem in file order, whether parsing or checking found it', () => {
    expect(message([GOOD, '2020-01-03,10,10.5,11,10.6,100', '2020-01-04,x,11,9,10,1'])).toBe(
      'x.csv:3: high 10.5 < low 11 — fix the row or pass --repair drop',
    );
    expect(message([GOOD, '2020-01-03,x,11,9,10,1', '2020-01-04,10,10.5,11,10.6,100'])).toBe(
      'x.csv:3: open "x" is not a number — fix the value or pass --repair drop',
    );
  });

  it('points at the file and line of a fixture', () => {
    expect(() => validateBars(readCsv('test/fixtures/bad-high-low.csv'))).toThrow(
      'test/fixtures/bad-high-low.csv:4: high 10.5 < low 11 — fix the row or pass --repair drop',
    );
  });

  it('accepts good data unchanged, without copying', () => {
    const raw = parseCsv(Buffer.from(`${HEADER}\n${GOOD}\n2020-01-03,10,11,9,10.5,0`), 'x.csv');
    const { bars, repairs } = validateBars(raw);
    expect(bars.close).toBe(raw.columns.close);
    expect(repairs.actions).toEqual([]);
    expect(repairs.rowsOut).toBe(2);
  });
});

describe('repairs', () => {
  const unsorted = () => readCsv('test/fixtures/unsorted.csv', { maxProblems: Number.POSITIVE_INFINITY, stopAtMaxProblems: false });

  it('drop: drops bad rows, out-of-order rows and later duplicates, listing each', () => {
    const { bars, repairs } = validateBars(unsorted(), { repair: 'drop' });
    expect(Array.from(bars.close)).toEqual([10.5, 10.6, 10.8]);
    expect(repairs.actions).toEqual([
      { line: 3, action: 'dropped', reason: 'time 2020-01-02 is before 2020-01-03 on line 2 (rows must be in time order)' },
      { line: 5, action: 'dropped', reason: 'duplicate time 2020-01-06 (same as line 4)' },
    ]);
    expect(repairs).toMatchObject({ dropped: 2, moved: 0, rowsIn: 5, rowsOut: 3 });
  });

  it('sort: sorts stably and still rejects duplicates', () => {
    expect(() => validateBars(unsorted(), { repair: 'sort' })).toThrow(
      'test/fixtures/unsorted.csv:5: duplicate time 2020-01-06 (same as line 4) — remove the duplicate row or pass --repair drop',
    );
  });

  it('sort,drop: sorts, then drops the later duplicate', () => {
    const { bars, repairs } = validateBars(unsorted(), { repair: 'sort,drop' });
    expect(Array.from(bars.close)).toEqual([10.4, 10.5, 10.6, 10.8]);
    expect(Array.from(bars.timeMs)).toEqual([Date.UTC(2020, 0, 2), Date.UTC(2020, 0, 3), Date.UTC(2020, 0, 6), Date.UTC(2020, 0, 7)]);
    expect(repairs.actions).toEqual([
      { line: 2, action: 'moved', reason: 'time 2020-01-03 was out of order' },
      { line: 5, action: 'dropped', reason: 'duplicate time 2020-01-06 (same as line 4)' },
    ]);
    expect(formatRepairReport(repairs)).toBe(
      [
        'test/fixtures/unsorted.csv: repaired 5 rows → 4: dropped 1, moved 1',
        'test/fixtures/unsorted.csv:2: moved (time 2020-01-03 was out of order)',
        'test/fixtures/unsorted.csv:5: dropped (duplicate time 2020-01-06 (same as line 4))',
      ].join('\n'),
    );
  });

  it('drop: lists unparsable rows and bad values with their lines, never silently', () => {
    const { bars, repairs } = check([GOOD, '2020-01-03,x,11,9,10,1', '2020-01-06,10,10.5,11,10.6,100', '2020-01-07,10,11,9,10,1,9'], 'drop');
    expect(bars.length).toBe(1);
    expect(repairs.actions.map((a) => [a.line, a.reason])).toEqual([
      [3, 'open "x" is not a number'],
      [4, 'high 10.5 < low 11'],
      [5, 'row has 7 fields, the header has 6'],
    ]);
    expect(repairs.rowsIn).toBe(4);
  });

  it('moved rows are the fewest rows that explain the new order', () => {
    const rows = ['2020-01-10,1,2,0.5,1,1', '2020-01-02,1,2,0.5,1,1', '2020-01-03,1,2,0.5,1,1', '2020-01-06,1,2,0.5,1,1'];
    const { repairs } = check(rows, 'sort');
    expect(repairs.actions).toEqual([{ line: 2, action: 'moved', reason: 'time 2020-01-10 was out of order' }]);
  });

  it('parseRepair accepts drop, sort and both in either order', () => {
    expect(parseRepair('drop')).toBe('drop');
    expect(parseRepair('sort')).toBe('sort');
    expect(parseRepair('drop,sort')).toBe('sort,drop');
    expect(parseRepair(' Sort , drop ')).toBe('sort,drop');
    expect(parseRepair('fix')).toBeUndefined();
    expect(parseRepair('')).toBeUndefined();
  });
});
