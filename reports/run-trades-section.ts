import { escapeHtml } from './page.js';
import type { ReportSection } from './page.js';
import { formatDate, formatDuration, formatMoney, formatNumber, formatPct } from './format.js';
import type { TradeRow } from './run-data.js';
import { tradeReturnsHistogramSpec } from './specs/trade-returns-histogram.js';

/** Rows of the full trade table beyond which the table is cut (the page must stay small). */
const MAX_TABLE_ROWS = 2000;
/** How many best and worst trades are listed separately and highlighted. */
const EXTREMES = 5;

/** Net return of a trade in percent of its entry notional (`NaN` for a zero notional). */
export function tradeReturnPct(t: TradeRow): number {
  const notional = Math.abs(t.entryPrice * t.qty);
  return notional > 0 ? (t.pnl / notional) * 100 : Number.NaN;
}

/** Closed trades sorted by net P&L: the `count` worst (most negative first) and best (largest first). */
export function extremeTrades(trades: readonly TradeRow[], count = EXTREMES): { worst: TradeRow[]; best: TradeRow[] } {
  const closed = trades.filter((t) => !t.open).sort((a, b) => a.pnl - b.pnl);
  const worst = closed.slice(0, Math.min(count, closed.length)).filter((t) => t.pnl < 0);
  const best = closed.slice(-count).reverse().filter((t) => t.pnl > 0);
  return { worst, best };
}

const signClass = (v: number): string => (v > 0 ? 'pos' : v < 0 ? 'neg' : '');

function tradeRow(t: TradeRow, index: number, mark: string): string {
  const r = tradeReturnPct(t);
  const held = (t.exitTimeMs ?? Number.NaN) - t.entryTimeMs;
  return `<tr class="${mark}"><td>${index + 1}</td><td>${escapeHtml(formatDate(t.entryTimeMs))}</td><td>${t.open ? 'open' : escapeHtml(formatDate(t.exitTimeMs))}</td>`
    + `<td>${escapeHtml(t.symbol)}</td><td>${escapeHtml(t.side)}</td><td>${formatNumber(t.qty, Number.isInteger(t.qty) ? 0 : 4)}</td>`
    + `<td>${formatMoney(t.entryPrice)}</td><td>${formatMoney(t.exitPrice)}</td>`
    + `<td class="${signClass(t.pnl)}">${formatMoney(t.pnl)}</td><td class="${signClass(r)}">${formatPct(r)}</td>`
    + `<td class="${signClass(t.rMultiple ?? 0)}">${t.rMultiple === null ? '–' : `${formatNumber(t.rMultiple, 2)} R`}</td>`
    + `<td>${t.open ? '–' : formatDuration(held)}</td></tr>`;
}

const HEAD = '<thead><tr><th>#</th><th>Entry</th><th>Exit</th><th>Symbol</th><th>Side</th><th>Size</th><th>Entry price</th><th>Exit price</th><th>P&amp;L</th><th>Return</th><th>R multiple</th><th>Held</th></tr></thead>';

/**
 * The trades section: the worst and best closed trades listed separately, the distribution of
 * trade returns, and the full trade list (scrollable, extremes highlighted). Returns are in percent
 * of entry notional; R multiples (net P&L ÷ risk at entry) where the entry had a protective stop.
 */
export function tradesSection(trades: readonly TradeRow[]): ReportSection {
  if (trades.length === 0) return { id: 'trades', title: 'Trades', html: '<p class="note">The run made no trades.</p>' };
  const { worst, best } = extremeTrades(trades);
  const index = new Map(trades.map((t, i) => [t, i]));
  const marks = new Map<TradeRow, string>([...worst.map((t) => [t, 'worst'] as const), ...best.map((t) => [t, 'best'] as const)]);
  const list = (title: string, rows: readonly TradeRow[]) =>
    `<div><h3>${title}</h3><table class="plain">${HEAD}<tbody>${rows.map((t) => tradeRow(t, index.get(t)!, '')).join('')}</tbody></table></div>`;
  const shown = trades.slice(0, MAX_TABLE_ROWS);
  const cut = trades.length > shown.length ? `<p class="note">Showing the first ${formatNumber(shown.length, 0)} of ${formatNumber(trades.length, 0)} trades; all are in trades.csv.</p>` : '';
  const returns = trades.filter((t) => !t.open).map(tradeReturnPct).filter(Number.isFinite);
  const html = [
    '<style>tr.best td{background:#dafbe1} tr.worst td{background:#ffebe9} h3{font-size:15px;margin:12px 0 6px} table.plain thead th{position:static}</style>',
    `<p class="note">${formatNumber(trades.length, 0)} trades (${formatNumber(trades.filter((t) => t.open).length, 0)} open). Return is net P&amp;L in percent of entry notional; R multiple is net P&amp;L ÷ the money at risk at entry (entries with a protective stop only, “–” otherwise); P&amp;L is net of costs, in account currency.</p>`,
    list(`Worst ${worst.length} trades`, worst),
    list(`Best ${best.length} trades`, best),
    returns.length > 0 ? '<div id="chart-trade-returns" class="chart"></div>' : '',
    `<h3>All trades</h3><div class="scroll"><table>${HEAD}<tbody>${shown.map((t, i) => tradeRow(t, i, marks.get(t) ?? '')).join('')}</tbody></table></div>${cut}`,
  ].join('\n');
  return { id: 'trades', title: 'Trades', html, charts: returns.length > 0 ? [{ id: 'chart-trade-returns', spec: tradeReturnsHistogramSpec(returns) }] : [] };
}
