import { describe, expect, it } from 'vitest';
import { completeLines, csvCell, csvHeaderLine, csvRowLine, parseCsvRow, splitCsvLine } from './results-csv.js';
import { METRIC_COLUMNS, type GridRow, type ResultsLayout } from './results-columns.js';

const layout: ResultsLayout = { params: [{ name: 'fast', kind: 'number' }, { name: 'longOnly', kind: 'boolean' }, { name: 'entry', kind: 'string' }] };

function sampleRow(cell: number, overrides: Partial<Record<string, number | null>> = {}): GridRow {
  const metrics = Object.fromEntries(METRIC_COLUMNS.map((name, i) => [name, i === 5 ? null : cell * 1.1 + i / 3])) as Record<string, number | null>;
  return { cell, params: { fast: cell + 0.1, longOnly: cell % 2 === 0, entry: cell % 3 === 0 ? 'a,"b"' : 'stop' }, metrics: { ...metrics, ...overrides } as GridRow['metrics'], digest: `d${cell}`.padEnd(64, '0') };
}

describe('results.csv rows', () => {
  it('header: cell, params, the backtest --json metric names, digest', () => {
    expect(csvHeaderLine(layout)).toBe(`cell,fast,longOnly,entry,${METRIC_COLUMNS.join(',')},digest\n`);
  });

  it('round-trips every value exactly (shortest round-trip numbers, nulls as empty cells, quoted strings)', () => {
    for (const cell of [0, 1, 2, 3]) {
      const row = sampleRow(cell, { sharpe: 0.1 + 0.2, profitFactor: null, turnover: -0 });
      const line = csvRowLine(layout, row);
      expect(line.endsWith('\n')).toBe(true);
      const back = parseCsvRow(layout, line.slice(0, -1));
      expect(back).toEqual({ ...row, metrics: { ...row.metrics, turnover: 0 } });
      expect(back.metrics.sharpe).toBe(0.30000000000000004);
    }
    expect(csvRowLine(layout, sampleRow(0))).toContain(',"a,""b""",');
  });

  it('splits quoted cells and trailing empty cells', () => {
    expect(splitCsvLine('1,"x,y",,')).toEqual(['1', 'x,y', '', '']);
    expect(splitCsvLine('"a""b"')).toEqual(['a"b']);
    expect(splitCsvLine('')).toEqual(['']);
    expect(csvCell('')).toBe('""');
    expect(csvCell(null)).toBe('');
    expect(() => parseCsvRow(layout, '1,2')).toThrow(/expected 29 columns, found 2/);
  });

  it('completeLines leaves out a torn last line', () => {
    expect(completeLines(Buffer.from('h\n1\n2'))).toEqual({ lines: ['h', '1'], byteLength: 4 });
    expect(completeLines(Buffer.from('h\n1\n'))).toEqual({ lines: ['h', '1'], byteLength: 4 });
    expect(completeLines(Buffer.from('he'))).toEqual({ lines: [], byteLength: 0 });
  });
});
