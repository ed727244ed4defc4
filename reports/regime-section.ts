import { escapeHtml, type ReportSection } from './page.js';

/**
 * Regime tables, driven by the data only: any results document (run `metrics.json`, grid
 * `summary.json`) that carries `regimes` (per-regime metrics: objects with a `regime` or `label`
 * name and numeric fields) and/or `regimeComparison` (runs side by side, e.g. regime-filtered vs
 * unfiltered: objects with a `name` and numeric fields) gets a section with one table each. Columns
 * are the numeric fields present, in first-seen order. Without such data: no section.
 */
export function regimeSection(doc: unknown): ReportSection | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const record = doc as Record<string, unknown>;
  const parts: string[] = [];
  const regimes = rowsOf(record['regimes'], ['regime', 'label']);
  if (regimes !== undefined) parts.push(`<h3>Per regime</h3>${table(regimes, 'regime')}`);
  const comparison = rowsOf(record['regimeComparison'], ['name', 'label']);
  if (comparison !== undefined) parts.push(`<h3>Regime filter comparison</h3>${table(comparison, 'run')}`);
  if (parts.length === 0) return undefined;
  return { id: 'regimes', title: 'Regimes', html: parts.join('\n') };
}

interface Row {
  readonly name: string;
  readonly values: Readonly<Record<string, number | null>>;
}

function rowsOf(value: unknown, nameKeys: readonly string[]): Row[] | undefined {
  // Accept an array of rows or an object keyed by name.
  const entries: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map((v) => [undefined, v])
    : typeof value === 'object' && value !== null
      ? Object.entries(value as Record<string, unknown>)
      : [];
  const rows: Row[] = [];
  for (const [key, item] of entries) {
    if (typeof item !== 'object' || item === null) continue;
    const fields = item as Record<string, unknown>;
    const nameKey = nameKeys.find((k) => typeof fields[k] === 'string');
    const name = nameKey !== undefined ? (fields[nameKey] as string) : key;
    if (name === undefined) continue;
    const values: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(fields)) {
      if (typeof v === 'number' && Number.isFinite(v)) values[k] = v;
      else if (v === null) values[k] = null;
    }
    rows.push({ name, values });
  }
  return rows.length > 0 ? rows : undefined;
}

function table(rows: readonly Row[], nameTitle: string): string {
  const columns: string[] = [];
  for (const row of rows) for (const k of Object.keys(row.values)) if (!columns.includes(k)) columns.push(k);
  const head = `<tr><th>${escapeHtml(nameTitle)}</th>${columns.map((c) => `<th>${escapeHtml(title(c))}</th>`).join('')}</tr>`;
  const body = rows
    .map((r) => `<tr><td>${escapeHtml(r.name)}</td>${columns.map((c) => `<td>${format(c, r.values[c])}</td>`).join('')}</tr>`)
    .join('');
  return `<div class="scroll"><table><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}

/** `winRatePct` → `Win rate (%)`. */
function title(key: string): string {
  const pct = key.endsWith('Pct');
  const words = (pct ? key.slice(0, -3) : key).replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${pct ? ' (%)' : ''}`;
}

function format(key: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const digits = Number.isInteger(value) ? 0 : key.endsWith('Pct') ? 2 : Math.abs(value) < 10 ? 4 : 2;
  return escapeHtml(value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
}
