import { ConfigError } from './config-error.js';
import { resolveRegimeOptions, type RegimeOptions, type ResolvedRegimeOptions } from './regime.js';

/**
 * The `regimes` block of a run: how bars are classified, and optionally which regimes allow
 * entries. Two spellings of a dimension are accepted:
 * - the allow-list alone, `"vol": ["low", "medium"]` (default classifier settings), or
 * - classifier settings with an optional allow-list, `"vol": {"source": "realized", "allow": ["low"]}`.
 * `{}` turns classification and per-regime metrics on without filtering.
 */
export interface RegimesConfig {
  readonly vol?: readonly string[] | (NonNullable<RegimeOptions['vol']> & { readonly allow?: readonly string[] });
  readonly trend?: readonly string[] | (NonNullable<RegimeOptions['trend']> & { readonly allow?: readonly string[] });
  readonly sessionOffsetMs?: number;
}

/** {@link RegimesConfig} resolved: classifier options plus the allow-lists (undefined = any). */
export interface ResolvedRegimes {
  readonly classifier: ResolvedRegimeOptions;
  readonly allow: { readonly vol: readonly string[] | undefined; readonly trend: readonly string[] | undefined };
}

const TREND_LABELS: readonly string[] = Object.freeze(['up', 'down', 'sideways']);

/**
 * Resolves a `regimes` block. Throws {@link ConfigError} with the JSON path of the bad field, e.g.
 * `regimes.vol[1]: "hi" is not a vol regime — labels: very_low, low, medium, high, extreme`.
 */
export function resolveRegimes(raw: unknown, path = 'regimes', sessionOffsetMs = 0): ResolvedRegimes {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(path, `must be an object, was ${JSON.stringify(raw)}`);
  const record = raw as Record<string, unknown>;
  // Days for realized volatility follow the run's sessions unless the block says otherwise.
  const options: Record<string, unknown> = { sessionOffsetMs, ...record };
  const allowVol = splitAllow(record['vol'], `${path}.vol`, options, 'vol');
  const allowTrend = splitAllow(record['trend'], `${path}.trend`, options, 'trend');
  const classifier = resolveRegimeOptions(options as RegimeOptions, path);
  checkLabels(allowVol, classifier.vol.labels, allowPath(record['vol'], `${path}.vol`), 'vol');
  checkLabels(allowTrend, TREND_LABELS, allowPath(record['trend'], `${path}.trend`), 'trend');
  return Object.freeze({ classifier, allow: Object.freeze({ vol: allowVol, trend: allowTrend }) });
}

/** Takes the allow-list out of one dimension's value; leaves the classifier settings in `options`. */
function splitAllow(value: unknown, path: string, options: Record<string, unknown>, key: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    delete options[key];
    return stringList(value, path);
  }
  if (typeof value === 'object' && value !== null && 'allow' in value) {
    const { allow, ...rest } = value as Record<string, unknown>;
    options[key] = rest;
    return stringList(allow, `${path}.allow`);
  }
  return undefined;
}

/** Where the allow-list was written: the dimension itself (a list) or its `allow` field. */
function allowPath(value: unknown, path: string): string {
  return Array.isArray(value) ? path : `${path}.allow`;
}

function stringList(value: unknown, path: string): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) throw new ConfigError(path, `must be a non-empty list of regime labels, was ${JSON.stringify(value)}`);
  value.forEach((v, i) => {
    if (typeof v !== 'string') throw new ConfigError(`${path}[${i}]`, `must be a regime label (a string), was ${JSON.stringify(v)}`);
  });
  return Object.freeze([...(value as string[])]);
}

function checkLabels(allow: readonly string[] | undefined, labels: readonly string[], path: string, dimension: string): void {
  allow?.forEach((label, i) => {
    if (!labels.includes(label)) throw new ConfigError(`${path}[${i}]`, `"${label}" is not a ${dimension} regime — labels: ${labels.join(', ')}`);
  });
}
