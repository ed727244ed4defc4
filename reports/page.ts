import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

/** A Vega-Lite spec (kept loose: the builders in this folder produce and unit-test them). */
export type VegaLiteSpec = Readonly<Record<string, unknown>>;

/** A chart placed in a section: rendered into `<div id=...>` by vega-embed (SVG renderer). */
export interface ReportChart {
  /** DOM id, unique in the page (letters, digits, `-`). */
  readonly id: string;
  readonly spec: VegaLiteSpec;
}

/** One section of a report page. */
export interface ReportSection {
  /** Anchor id (letters, digits, `-`); also used in the table of contents. */
  readonly id: string;
  readonly title: string;
  /** Trusted HTML built with {@link escapeHtml} for every value; may contain chart placeholders. */
  readonly html: string;
  readonly charts?: readonly ReportChart[];
  /** Extra inline script for this section (runs after the charts are embedded; `window.replaylab` is available). */
  readonly script?: string;
}

/** A whole report page. */
export interface ReportPage {
  readonly title: string;
  readonly subtitle?: string;
  readonly sections: readonly ReportSection[];
  /** JSON data available to section scripts as `window.replaylab.data` (embedded once). */
  readonly data?: unknown;
}

const require = createRequire(import.meta.url);
let bundles: string | undefined;

/** vega, vega-lite and vega-embed browser bundles from node_modules, read once per process. */
function vegaBundles(): string {
  bundles ??= [['vega', 'build/vega.min.js'], ['vega-lite', 'build/vega-lite.min.js'], ['vega-embed', 'build/vega-embed.min.js']]
    .map(([name, file]) => `<script>${safeScript(readFileSync(join(packageDir(name!), file!), 'utf8'))}</script>`)
    .join('\n');
  return bundles;
}

/**
 * The installed folder of a package. Its `exports` map hides `build/*.min.js` from
 * `require.resolve`, so resolve the entry point and walk up to the package's own package.json.
 */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (dirname(dir) !== dir) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
    dir = dirname(dir);
  }
  throw new Error(`cannot find the installed folder of ${name} — run npm install`);
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Makes script text safe to inline: no `</script` can close the tag early. */
function safeScript(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}

/** JSON for inlining inside a `<script>`: `<` escaped so no tag can be closed. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * Renders a self-contained HTML page: the vega bundles inlined (no CDN, no network request of any
 * kind), charts embedded with the SVG renderer and no action menu, a table of contents, and page
 * styles for a laptop-width screen. Opens from `file://` with no internet.
 */
export function renderPage(page: ReportPage): string {
  const charts = page.sections.flatMap((s) => s.charts ?? []);
  const toc = page.sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join(' · ');
  const body = page.sections
    .map((s) => `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`)
    .join('\n');
  const scripts = page.sections.filter((s) => s.script !== undefined).map((s) => `<script>${safeScript(s.script!)}</script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(page.title)}</title>
<style>${PAGE_CSS}</style>
${vegaBundles()}
</head>
<body>
<header><h1>${escapeHtml(page.title)}</h1>${page.subtitle === undefined ? '' : `<p class="subtitle">${escapeHtml(page.subtitle)}</p>`}<nav>${toc}</nav></header>
<main>
${body}
</main>
<script>
window.replaylab = { data: ${inlineJson(page.data ?? null)}, charts: ${inlineJson(charts)}, rendered: 0, errors: [] };
window.replaylab.embed = function (id, spec) {
  return vegaEmbed('#' + id, spec, { actions: false, renderer: 'svg' })
    .then(function () { window.replaylab.rendered++; })
    .catch(function (error) { window.replaylab.errors.push(id + ': ' + error); console.error(id, error); });
};
window.replaylab.ready = Promise.all(window.replaylab.charts.map(function (c) { return window.replaylab.embed(c.id, c.spec); }));
</script>
${scripts}
</body>
</html>
`;
}

const PAGE_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa; --good: #1a7f37; --bad: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 16px 24px 8px; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { margin: 24px 0 8px; font-size: 18px; }
.subtitle { margin: 0 0 8px; color: var(--muted); }
nav a { color: var(--muted); text-decoration: none; font-size: 13px; }
main { max-width: 1200px; padding: 0 24px 48px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: var(--panel); position: sticky; top: 0; }
.scroll { max-height: 420px; overflow: auto; border: 1px solid var(--line); }
.pos { color: var(--good); } .neg { color: var(--bad); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 150px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 18px; font-variant-numeric: tabular-nums; }
.note { color: var(--muted); font-size: 13px; max-width: 900px; }
.chart { margin: 8px 0 16px; }
code { font-size: 12px; }
`;
