import { formatPrice, isoTime, signedMoney } from './alert-format.js';
import type { Alert } from './alerts.js';
import type { StatusSnapshot } from './status-snapshot.js';

/** Seconds between the page's reloads (`<meta http-equiv="refresh">`). */
export const REFRESH_SECONDS = 2;

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Inline only: the page's CSP allows no other source (`style-src 'unsafe-inline'`). */
const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}
h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.05em;margin:1.4em 0 .4em}
table{border-collapse:collapse;background:#fff}th,td{padding:.25em .7em;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#777}
.badge{display:inline-block;padding:0 .5em;border-radius:.3em;color:#fff;font-weight:600}
.live{background:#2a7d2a}.stale{background:#b8860b}.ended{background:#555}.halted{background:#b22222}
.k-OPPORTUNITY{color:#007b8a}.k-FILL{color:#2a7d2a}.k-EXIT{color:#8a2a8a}.k-WARNING{color:#9a6b00}.k-ERROR{color:#b22222;font-weight:600}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em;margin:0}dt{color:#555}dd{margin:0}`;

/** Class per feed state and alert kind: fixed names, never text from the snapshot. */
const FEED_CLASS: Readonly<Record<string, string>> = { live: 'live', stale: 'stale', ended: 'ended' };
const KIND_CLASS: Readonly<Record<string, string>> = { OPPORTUNITY: 'k-OPPORTUNITY', FILL: 'k-FILL', EXIT: 'k-EXIT', WARNING: 'k-WARNING', ERROR: 'k-ERROR' };

/**
 * The status page: one self-contained HTML document (inline style, no script, no external
 * resource) that reloads itself every {@link REFRESH_SECONDS} s. Every text from the snapshot is
 * escaped; recent alerts are listed newest first.
 */
export function renderStatusPage(s: StatusSnapshot): string {
  const e = escapeHtml;
  const feedClass = FEED_CLASS[s.feed.state] ?? 'ended';
  const lag = s.lastBarTimeMs === undefined ? '' : ` <span class="muted">(${e(lagText(s.wallTimeMs - s.lastBarTimeMs))} behind wall time)</span>`;
  const risk = s.risk === undefined ? '' : s.risk.halted ? `<dt>risk</dt><dd><span class="badge halted">halted</span> ${e(s.risk.reason ?? '')}</dd>` : '<dt>risk</dt><dd>entries allowed</dd>';
  const summary = [
    `<dt>feed</dt><dd><span class="badge ${feedClass}">${e(s.feed.state)}</span> ${e(s.feed.description)}</dd>`,
    `<dt>last bar</dt><dd>${e(isoTime(s.lastBarTimeMs ?? Number.NaN))}${lag}</dd>`,
    `<dt>equity</dt><dd>${e(money(s.equity))}</dd>`,
    `<dt>today</dt><dd>P&amp;L ${e(signedMoney(s.today.pnl))}, R ${e(s.today.r === undefined ? 'n/a' : r(s.today.r))}</dd>`,
    risk,
    `<dt>bars</dt><dd>${e(String(s.counts.warmupBars))} warm-up, ${e(String(s.counts.liveBars))} live; ${e(String(s.counts.rejectedMessages))} rejected, ${e(String(s.counts.skippedMessages))} skipped</dd>`,
  ].join('');
  const symbols = table(
    ['symbol', 'last close', 'bar time', 'vol regime', 'trend regime'],
    s.symbols.map((x) => [x.symbol, num(x.lastClose), isoTime(x.lastBarTimeMs ?? Number.NaN), x.regime?.vol ?? '', x.regime?.trend ?? '']),
    [1],
  );
  const positions = table(
    ['symbol', 'qty', 'entry', 'last', 'unrealized P&L', 'R'],
    s.positions.map((p) => [p.symbol, formatPrice(p.qty), num(p.entryPrice), num(p.lastPrice), signedMoney(p.unrealizedPnl), p.r === undefined ? '' : r(p.r)]),
    [1, 2, 3, 4, 5],
  );
  const orders = table(
    ['id', 'symbol', 'side', 'type', 'qty', 'limit', 'stop', 'tag'],
    s.workingOrders.map((o) => [String(o.id), o.symbol, o.side, o.type, o.qty === 'atFill' ? 'at fill' : formatPrice(o.qty), num(o.limitPrice), num(o.stopPrice), o.tag]),
    [0, 4, 5, 6],
  );
  const alerts = s.recentAlerts.length === 0 ? '<p class="muted">none yet</p>' : `<table><tr><th>bar time</th><th>kind</th><th>message</th></tr>${[...s.recentAlerts]
    .reverse()
    .map((a: Alert) => `<tr><td>${e(isoTime(a.timeMs))}</td><td class="${KIND_CLASS[a.kind] ?? ''}">${e(a.kind)}</td><td>${e(a.message)}</td></tr>`)
    .join('')}</table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`replaylab paper — ${s.name}`)}</title>
<style>${STYLE}</style></head>
<body>
<h1>${e(s.name)}</h1>
<dl>${summary}</dl>
<h2>Symbols</h2>${symbols}
<h2>Positions</h2>${positions}
<h2>Working orders</h2>${orders}
<h2>Recent alerts</h2>${alerts}
<p class="muted">Snapshot at ${e(isoTime(s.wallTimeMs))} (wall time); reloads every ${REFRESH_SECONDS} s. <a href="status.json">status.json</a></p>
</body></html>
`;
}

/** A table of escaped cells (`numeric` columns right-aligned), or "none". */
function table(head: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[]): string {
  if (rows.length === 0) return '<p class="muted">none</p>';
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell, k) => `<td${numeric.includes(k) ? ' class="n"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('');
  return `<table><tr>${th}</tr>${body}</table>`;
}

function num(value: number | undefined): string {
  return value === undefined ? '' : formatPrice(value);
}

function money(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

function r(value: number): string {
  return Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(2)}R` : 'n/a';
}

/** A wall-minus-bar-time gap as text (a replay at max speed is years behind: that is fine). */
function lagText(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  const s = Math.abs(ms) / 1000;
  const text = s < 120 ? `${s.toFixed(0)} s` : s < 7200 ? `${(s / 60).toFixed(0)} min` : s < 172_800 ? `${(s / 3600).toFixed(1)} h` : `${(s / 86_400).toFixed(0)} days`;
  return ms < 0 ? `-${text}` : text;
}
