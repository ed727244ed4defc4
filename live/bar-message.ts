/**
 * The shape check of one feed message: JSON text or object → a {@link ParsedBar} with every field
 * typed, or the reason it is not a bar. Values (positive prices, `high ≥ low`, …) are checked
 * afterwards against the symbol's columns by `LiveBars.problemWith`, with the loaders' own rules.
 */

const PRICES = ['open', 'high', 'low', 'close'] as const;

/** A message with the right field types (values not checked yet). */
export interface ParsedBar {
  readonly symbol: string;
  readonly timeMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** NaN when the message has none. */
  readonly volume: number;
  /** Extra columns as sent (`null` read as NaN, "no value"). */
  readonly extras: Readonly<Record<string, number>>;
}

/** The outcome of {@link parseBarMessage}. */
export type ParseOutcome = { readonly bar: ParsedBar; readonly problem?: undefined } | { readonly bar?: undefined; readonly problem: string };

/**
 * Parses a feed message: a `BarMessage` object or its JSON text. Fields other than the bar's are
 * ignored (a feed may add its own, e.g. `"type": "bar"`).
 * @returns the bar, or `problem`: what is wrong, quoting the message (shortened) when it is not a bar at all.
 */
export function parseBarMessage(message: unknown): ParseOutcome {
  let value = message;
  if (typeof message === 'string') {
    try {
      value = JSON.parse(message);
    } catch (error) {
      return { problem: `malformed JSON (${error instanceof Error ? error.message : String(error)}): ${quote(message)}` };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: `not a bar object: ${quote(message)}` };
  const fields = value as Record<string, unknown>;
  const symbol = fields['symbol'];
  if (typeof symbol !== 'string' || symbol === '') return { problem: `symbol must be a non-empty string, was ${show(symbol)}: ${quote(message)}` };
  const timeMs = fields['timeMs'];
  if (typeof timeMs !== 'number' || !Number.isFinite(timeMs)) return { problem: `${symbol}: timeMs must be epoch milliseconds, was ${show(timeMs)}` };
  for (const name of PRICES) {
    if (typeof fields[name] !== 'number') return { problem: `${symbol}: ${name} must be a number, was ${show(fields[name])}` };
  }
  const volume = fields['volume'];
  if (volume !== undefined && typeof volume !== 'number') return { problem: `${symbol}: volume must be a number, was ${show(volume)}` };
  const extras: Record<string, number> = {};
  const rawExtras = fields['extras'];
  if (rawExtras !== undefined) {
    if (typeof rawExtras !== 'object' || rawExtras === null || Array.isArray(rawExtras)) return { problem: `${symbol}: extras must be an object of numbers, was ${show(rawExtras)}` };
    for (const [name, v] of Object.entries(rawExtras)) {
      if (v !== null && typeof v !== 'number') return { problem: `${symbol}: extras.${name} must be a number or null, was ${show(v)}` };
      extras[name.toLowerCase()] = v ?? Number.NaN;
    }
  }
  return {
    bar: {
      symbol,
      timeMs,
      open: fields['open'] as number,
      high: fields['high'] as number,
      low: fields['low'] as number,
      close: fields['close'] as number,
      volume: volume ?? Number.NaN,
      extras,
    },
  };
}

function show(value: unknown): string {
  if (typeof value === 'number' || value === undefined) return String(value);
  return JSON.stringify(value) ?? String(value);
}

function quote(message: unknown): string {
  const text = typeof message === 'string' ? message : (safeJson(message) ?? String(message));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
