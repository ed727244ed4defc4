import { fileError } from './data-error.js';

/** Header names that can hold the bar time, in the order they are looked for. */
export const TIME_COLUMN_NAMES = ['date', 'time', 'timestamp', 'datetime'] as const;

/** The role a CSV column plays. */
export type ColumnRole = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'extra';

/** How the columns of a CSV file map to bar fields. */
export interface CsvLayout {
  /** Lower-cased, trimmed, unquoted header names in file order. */
  readonly names: readonly string[];
  /** Role of each column, same order as `names`. */
  readonly roles: readonly ColumnRole[];
  /** Index of the time column. */
  readonly timeIndex: number;
}

/** Splits one header line into cells, honouring simple `"..."` quoting (`""` is a literal quote). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) {
          cell += line.slice(i);
          i = line.length;
          break;
        }
        cell += line.slice(i, close);
        i = close + 1;
        if (line[i] !== '"') break;
        cell += '"';
        i++;
      }
      const comma = line.indexOf(',', i);
      cell += line.slice(i, comma < 0 ? line.length : comma);
      i = comma < 0 ? line.length + 1 : comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      cell = line.slice(i, comma < 0 ? line.length : comma);
      i = comma < 0 ? line.length + 1 : comma + 1;
    }
    cells.push(cell.trim());
    if (i > line.length) return cells;
  }
}

const REQUIRED = ['open', 'high', 'low', 'close'] as const;

/**
 * Maps header cells to bar fields: names are trimmed and lower-cased; the first of `date`, `time`,
 * `timestamp`, `datetime` (in file order) is the time; `open`, `high`, `low`, `close` are required;
 * `volume` is optional; every other column is an extra numeric column. Throws a {@link DataError}
 * naming the columns found when a required column is missing, or on duplicate or empty names.
 */
export function resolveLayout(file: string, headerCells: readonly string[]): CsvLayout {
  const names = headerCells.map((cell) => cell.trim().toLowerCase());
  const found = names.map((name) => name || '(empty)').join(', ');
  const empty = names.indexOf('');
  if (empty >= 0) {
    throw fileError(file, `column ${empty + 1} has an empty header name (found: ${found})`, 'name every column in the header line');
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw fileError(file, `column "${name}" appears twice in the header`, 'rename or remove one of them');
    seen.add(name);
  }
  const timeIndex = names.findIndex((name) => (TIME_COLUMN_NAMES as readonly string[]).includes(name));
  const missing: string[] = REQUIRED.filter((name) => !seen.has(name));
  if (timeIndex < 0) missing.unshift('a time column (date, time, timestamp or datetime)');
  if (missing.length > 0) {
    throw fileError(file, `missing required column(s) ${missing.join(', ')}; found: ${found}`, 'rename the header cells');
  }
  const roles = names.map((name, index): ColumnRole => {
    if (index === timeIndex) return 'time';
    if (name === 'open' || name === 'high' || name === 'low' || name === 'close' || name === 'volume') return name;
    return 'extra';
  });
  return { names, roles, timeIndex };
}
