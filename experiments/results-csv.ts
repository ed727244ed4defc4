import type { ParamValue } from './experiment.js';
import { METRIC_COLUMNS, resultsHeader, type GridRow, type MetricName, type ResultsLayout } from './results-columns.js';

/** The header line of `results.csv` (with its newline). */
export function csvHeaderLine(layout: ResultsLayout): string {
  return `${resultsHeader(layout).map(csvCell).join(',')}\n`;
}

/**
 * One row of `results.csv` (with its newline). Numbers are written in JavaScript's shortest
 * round-trip form, so parsing the text gives back the same doubles; null is an empty cell.
 */
export function csvRowLine(layout: ResultsLayout, row: GridRow): string {
  const cells: string[] = [String(row.cell)];
  for (const p of layout.params) cells.push(csvCell(row.params[p.name] ?? null));
  for (const name of METRIC_COLUMNS) cells.push(csvCell(row.metrics[name]));
  cells.push(row.digest);
  return `${cells.join(',')}\n`;
}

/**
 * Parses a `results.csv` row written by {@link csvRowLine} (without its newline).
 * Throws `Error` naming the problem when the line does not fit the layout.
 */
export function parseCsvRow(layout: ResultsLayout, line: string): GridRow {
  const cells = splitCsvLine(line);
  const expected = 2 + layout.params.length + METRIC_COLUMNS.length;
  if (cells.length !== expected) throw new Error(`expected ${expected} columns, found ${cells.length}`);
  const cell = Number(cells[0]);
  if (!Number.isInteger(cell) || cell < 0) throw new Error(`bad cell index ${JSON.stringify(cells[0])}`);
  const params: Record<string, ParamValue> = {};
  layout.params.forEach((p, i) => {
    const text = cells[1 + i]!;
    params[p.name] = p.kind === 'number' ? Number(text) : p.kind === 'boolean' ? text === 'true' : text;
  });
  const metrics = {} as Record<MetricName, number | null>;
  METRIC_COLUMNS.forEach((name, i) => {
    const text = cells[1 + layout.params.length + i]!;
    metrics[name] = text === '' ? null : Number(text);
  });
  const digest = cells[expected - 1]!;
  return Object.freeze({ cell, params: Object.freeze(params), metrics: Object.freeze(metrics), digest });
}

/** A CSV cell: strings with a comma, quote or newline (and the empty string) are quoted. */
export function csvCell(value: ParamValue | null): string {
  if (value === null) return '';
  const text = String(value);
  if (typeof value === 'string' && (text === '' || /[",\n\r]/.test(text))) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** Splits one CSV line into cells, honouring double-quoted cells. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let text = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quoted cell');
        text += line.slice(i, q);
        if (line[q + 1] === '"') {
          text += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(text);
    } else {
      const comma = line.indexOf(',', i);
      cells.push(line.slice(i, comma < 0 ? line.length : comma));
      i = comma < 0 ? line.length : comma;
    }
    if (i >= line.length) return cells;
    if (line[i] !== ',') throw new Error(`unexpected ${JSON.stringify(line[i])} after a quoted cell`);
    i++;
    if (i === line.length) {
      cells.push('');
      return cells;
    }
  }
}

/**
 * The complete lines of a CSV text: everything up to and including the last newline (a torn last
 * line — a write cut short by a crash — is left out). Returns the lines and the byte length of
 * the complete part, where the file should be truncated.
 */
export function completeLines(bytes: Buffer): { lines: string[]; byteLength: number } {
  const end = bytes.lastIndexOf(0x0a) + 1;
  const text = bytes.subarray(0, end).toString('utf8');
  const lines = text === '' ? [] : text.slice(0, -1).split('\n');
  return { lines, byteLength: end };
}
