import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runJson, tradeJson } from './run-json.js';
import type { RunOutcome } from './run.js';

/** The files a run directory holds. */
export const RUN_FILES = Object.freeze({
  config: 'config.json',
  metrics: 'metrics.json',
  trades: 'trades.csv',
  equity: 'equity.arrow',
  events: 'events.jsonl',
});

/**
 * Writes a run to `dir` (created if needed): `config.json` (the resolved spec: strategy, params,
 * engine config, data files), `metrics.json` (the `backtest --json` document without the trade
 * list), `trades.csv`, `equity.arrow` (time, equity, grossEquity, exposure per step) and
 * `events.jsonl` (every engine event). The run must have been made with its series kept.
 */
export async function writeRunDir(dir: string, outcome: RunOutcome): Promise<void> {
  const { writeArrowColumns } = await import('../data/arrow.js');
  const { result } = outcome;
  const series = result.series;
  if (series === undefined) throw new Error('writeRunDir needs a run made with keepSeries: true');
  mkdirSync(dir, { recursive: true });
  const doc = runJson(outcome, { trades: false });
  const config = { strategy: doc.strategy, params: doc.params, symbols: doc.symbols, config: doc.config, data: doc.data };
  writeFileSync(join(dir, RUN_FILES.config), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(dir, RUN_FILES.metrics), `${JSON.stringify(doc, null, 2)}\n`);
  writeFileSync(join(dir, RUN_FILES.trades), tradesCsv(outcome));
  writeArrowColumns(join(dir, RUN_FILES.equity), {
    time: { kind: 'timestamp-ms', values: series.timeMs },
    equity: series.equity,
    grossEquity: series.grossEquity,
    exposure: series.exposure,
  });
  writeFileSync(join(dir, RUN_FILES.events), result.events.map((e) => JSON.stringify(e)).join('\n') + (result.events.length > 0 ? '\n' : ''));
}

const TRADE_COLUMNS = ['symbol', 'side', 'qty', 'entryTime', 'exitTime', 'entryPrice', 'exitPrice', 'pnl', 'grossPnl', 'fees', 'slippage', 'entryTag', 'exitTag', 'open', 'initialRisk', 'rMultiple'] as const;

/** The trade list as CSV (header + one row per trade; empty cell for a missing exit). */
export function tradesCsv(outcome: RunOutcome): string {
  const rows = outcome.result.trades.map((t) => {
    const json = tradeJson(t);
    return TRADE_COLUMNS.map((c) => csvCell(json[c])).join(',');
  });
  return `${TRADE_COLUMNS.join(',')}\n${rows.map((r) => `${r}\n`).join('')}`;
}

function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
