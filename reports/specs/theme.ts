import type { VegaLiteSpec } from '../page.js';

/** One colour per concept, the same in every chart of a report. */
export const COLORS = Object.freeze({
  net: '#0969da',
  gross: '#8250df',
  buyHold: '#9a6700',
  drawdown: '#cf222e',
  exposure: '#1a7f37',
  trades: '#0969da',
});

/** The JSON schema URL is metadata only: vega-embed never fetches it. */
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * Common top-level fields: schema, a title, full container width (so charts fit a laptop screen)
 * and a fixed height in pixels.
 */
export function chartBase(title: string, height = 260): VegaLiteSpec {
  return { $schema: SCHEMA, title, width: 'container', height, autosize: { type: 'fit-x', contains: 'padding' } };
}

/** A temporal x axis over epoch-ms values, shown in UTC (bars are stamped in UTC). */
export function timeX(field = 't', title = 'Date (UTC)'): Record<string, unknown> {
  return { field, type: 'temporal', title, scale: { type: 'utc' } };
}
