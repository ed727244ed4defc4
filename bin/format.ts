import type { Metrics } from '../engine/metrics/index.js';
import type { RunOutcome } from '../experiments/run.js';
import { tradeJson } from '../experiments/run-json.js';

/** Formats a number with thousands separators and `digits` decimals. */
export function num(value: number | null, digits = 2): string {
  if (value === null) return '—';
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Left-aligned first column, right-aligned others. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

const METRIC_ROWS: readonly (readonly [string, (m: Metrics) => string])[] = [
  ['Final equity', (m) => num(m.finalEquity)],
  ['Total return %', (m) => num(m.totalReturnPct)],
  ['CAGR %', (m) => num(m.cagrPct)],
  ['Volatility % (ann.)', (m) => num(m.volatilityPct)],
  ['Sharpe', (m) => num(m.sharpe, 4)],
  ['Sortino', (m) => num(m.sortino, 4)],
  ['Max drawdown %', (m) => num(m.maxDrawdownPct)],
  ['Max DD duration (days)', (m) => num(m.maxDrawdownDurationDays, 0)],
  ['Calmar', (m) => num(m.calmar, 4)],
  ['Trades closed / open', (m) => `${m.tradesClosed} / ${m.tradesOpen}`],
  ['Win rate %', (m) => num(m.winRatePct)],
  ['Profit factor', (m) => num(m.profitFactor, 3)],
  ['Expectancy', (m) => num(m.expectancy)],
  ['Avg win / avg loss', (m) => `${num(m.avgWin)} / ${num(m.avgLoss)}`],
  ['SQN', (m) => num(m.sqn, 3)],
  ['Exposure %', (m) => num(m.exposurePct)],
  ['Turnover (×)', (m) => num(m.turnover, 2)],
  ['Fees paid', (m) => num(m.feesPaid)],
  ['Slippage paid', (m) => num(m.slippagePaid)],
];

/** The human summary of a run: header, net vs gross metrics table, last trades, digest. */
export function formatRun(outcome: RunOutcome, lastTrades = 10): string {
  const { result } = outcome;
  const m = result.metrics;
  const g = result.grossMetrics;
  const params = Object.entries(result.params).map(([k, v]) => `${k}=${v}`).join(' ');
  const lines: string[] = [];
  for (const d of outcome.data) {
    const from = d.bars.length > 0 ? isoDay(d.bars.timeMs[0]!) : '—';
    const to = d.bars.length > 0 ? isoDay(d.bars.timeMs[d.bars.length - 1]!) : '—';
    const repaired = d.repairs.actions.length > 0 ? `, repaired: ${d.repairs.dropped} dropped, ${d.repairs.moved} moved` : '';
    lines.push(`data      ${d.file} (${d.bars.symbol}, ${d.bars.length} bars, ${from} … ${to}${repaired})`);
  }
  lines.push(`strategy  ${result.strategy} ${params}`);
  lines.push(`capital   ${num(result.config.initialCapital)}`);
  lines.push('');
  lines.push(table([['', 'net', 'gross'], ...METRIC_ROWS.map(([label, f]) => [label, f(m), f(g)])]));
  const trades = result.trades.slice(-lastTrades).map(tradeJson);
  if (trades.length > 0) {
    lines.push('');
    lines.push(`Last ${trades.length} of ${result.trades.length} trades:`);
    lines.push(
      table([
        ['entry', 'exit', 'side', 'qty', 'entry px', 'exit px', 'pnl', 'fees'],
        ...trades.map((t) => [
          t.entryTime.slice(0, 10),
          t.exitTime === null ? 'open' : t.exitTime.slice(0, 10),
          t.side,
          String(t.qty),
          num(t.entryPrice),
          num(t.exitPrice),
          num(t.pnl),
          num(t.fees),
        ]),
      ]),
    );
  }
  lines.push('');
  lines.push(`digest    ${result.digest}`);
  return `${lines.join('\n')}\n`;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
