import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metrics } from '../engine/metrics/types.js';
import { RUN_FILES } from '../experiments/run-store.js';

/** `metrics.json` of a run folder: the `backtest --json` document without the trade list. */
export interface RunDocument {
  readonly strategy: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly symbols: readonly string[];
  readonly config: Readonly<Record<string, unknown>> & { readonly initialCapital?: number };
  readonly data: readonly { readonly file: string; readonly symbol: string; readonly bars: number; readonly from: string | null; readonly to: string | null }[];
  readonly metrics: Metrics;
  readonly grossMetrics: Metrics;
  readonly costDrag: { readonly finalEquity: number; readonly totalReturnPct: number; readonly feesPaid: number; readonly slippagePaid: number };
  readonly digest: string;
}

/** One row of `trades.csv`; times in epoch ms UTC (`exitTimeMs` null while open). */
export interface TradeRow {
  readonly symbol: string;
  readonly side: string;
  readonly qty: number;
  readonly entryTimeMs: number;
  readonly exitTimeMs: number | null;
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Net P&L, account currency. */
  readonly pnl: number;
  readonly grossPnl: number;
  readonly fees: number;
  readonly open: boolean;
  /** Net P&L in R (multiples of the risk at entry), null when the entry had no protective stop. */
  readonly rMultiple: number | null;
}

/** `equity.arrow` as columns, one entry per step. */
export interface EquitySeries {
  readonly timeMs: Float64Array;
  readonly equity: Float64Array;
  readonly grossEquity: Float64Array;
  /** Gross position value / equity (0 when flat). */
  readonly exposure: Float64Array;
}

/** Everything a run folder holds that the report shows. */
export interface RunData {
  readonly dir: string;
  readonly doc: RunDocument;
  /** `config.json` as written (strategy, params, symbols, resolved config, data). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly trades: readonly TradeRow[];
  readonly series: EquitySeries;
}

/** True when `dir` looks like a run folder (`metrics.json` and `equity.arrow`). */
export function isRunFolder(dir: string): boolean {
  return existsSync(join(dir, RUN_FILES.metrics)) && existsSync(join(dir, RUN_FILES.equity));
}

/**
 * Reads a run folder written by `writeRunDir` / `backtest --out`. Throws an `Error` naming the
 * missing or unreadable file.
 */
export async function readRunFolder(dir: string): Promise<RunData> {
  const doc = readJson(join(dir, RUN_FILES.metrics)) as RunDocument;
  const configPath = join(dir, RUN_FILES.config);
  const config = existsSync(configPath) ? (readJson(configPath) as Record<string, unknown>) : {};
  const tradesPath = join(dir, RUN_FILES.trades);
  const trades = existsSync(tradesPath) ? parseTradesCsv(readFileSync(tradesPath, 'utf8')) : [];
  return { dir, doc, config, trades, series: await readEquityArrow(join(dir, RUN_FILES.equity)) };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Reads `equity.arrow` (time as an Arrow timestamp in ms, the rest Float64). */
export async function readEquityArrow(path: string): Promise<EquitySeries> {
  // apache-arrow loads on first use, as in data/load.ts: it is slow to import.
  const { tableFromIPC } = await import('apache-arrow');
  const table = tableFromIPC(readFileSync(path));
  const column = (name: string): Float64Array => {
    const vector = table.getChild(name);
    if (vector === null) throw new Error(`${path}: column ${name} is missing — rewrite the run with backtest --out`);
    // Whole chunks at once: per-element `get` is slow on multi-million-step runs.
    const values = vector.toArray() as ArrayLike<number | bigint>;
    if (values instanceof Float64Array) return values;
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
    return out;
  };
  return { timeMs: column('time'), equity: column('equity'), grossEquity: column('grossEquity'), exposure: column('exposure') };
}

/** Parses `trades.csv` (header row; quoted cells allowed). */
export function parseTradesCsv(text: string): TradeRow[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '');
  const col = (cells: readonly string[], name: string): string => cells[header.indexOf(name)] ?? '';
  return lines.slice(1).map((line) => {
    const cells = splitCsvLine(line);
    const exit = col(cells, 'exitTime');
    return {
      symbol: col(cells, 'symbol'),
      side: col(cells, 'side'),
      qty: Number(col(cells, 'qty')),
      entryTimeMs: Date.parse(col(cells, 'entryTime')),
      exitTimeMs: exit === '' ? null : Date.parse(exit),
      entryPrice: Number(col(cells, 'entryPrice')),
      exitPrice: Number(col(cells, 'exitPrice')),
      pnl: Number(col(cells, 'pnl')),
      grossPnl: Number(col(cells, 'grossPnl')),
      fees: Number(col(cells, 'fees')),
      open: col(cells, 'open') === 'true',
      rMultiple: col(cells, 'rMultiple') === '' ? null : Number(col(cells, 'rMultiple')),
    };
  });
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') cells.push(cell), (cell = '');
    else cell += c;
  }
  cells.push(cell);
  return cells;
}
