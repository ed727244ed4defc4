import { ConfigError } from '../config-error.js';
import { optionalBoolean, optionalNumber, rejectUnknownKeys, requireNumber, requireObject, type NumberRule } from './config-checks.js';

/** Position-count limits by side (long/short), by symbol and by group, as the user writes them. */
export interface PositionsPerOptions {
  readonly side?: number;
  readonly symbol?: number;
  readonly group?: number;
}

/** Volatility-spike pause: a bar return beyond `k` sample SDs of the previous `lookback` returns. */
export interface VolSpikeOptions {
  readonly k: number;
  readonly lookback: number;
  readonly pauseBars: number;
}

/** Historical-simulation VaR limit; `confidence` as a fraction (0.95), `maxPct` in % of equity. */
export interface VarOptions {
  readonly confidence: number;
  readonly lookback: number;
  readonly maxPct: number;
}

/** Same-direction correlation limit: Pearson over the last `lookback` bar returns. */
export interface CorrelationOptions {
  readonly max: number;
  readonly lookback: number;
}

/**
 * The `risk` block of an experiment or backtest options, as the user writes it. Every field is
 * optional and an absent field switches its rule off. Money is account currency; `…Pct` is percent.
 */
export interface RiskOptions {
  /** Most open positions in total. */
  readonly maxOpenPositions?: number;
  readonly maxPositionsPer?: PositionsPerOptions;
  /** Group tag per symbol, for `maxPositionsPer.group`; untagged symbols count in no group. */
  readonly groups?: Readonly<Record<string, string>>;
  /** Most money at risk to the stops: Σ |qty| × |entry − stop| × multiplier, new order included. */
  readonly maxCapitalAtRisk?: number;
  /** Most notional per entry order: |qty| × price × multiplier. */
  readonly maxNotionalPerOrder?: number;
  /** Halt for the session once the loss from start-of-day equity reaches this percent. */
  readonly dailyLossPct?: number;
  /** Halt for the session once the session's closed trades lose this many R. */
  readonly dailyLossR?: number;
  /** Halt for the session once the session's closed trades win this many R. */
  readonly dailyProfitR?: number;
  /** Money value of 1 R; required with `dailyLossR`/`dailyProfitR` (R of trades without a stop). */
  readonly riskPerTrade?: number;
  /** Halt until the end of the run once equity is this percent below its high-water mark. */
  readonly maxDrawdownPct?: number;
  /** Flatten and cancel orders on the drawdown halt. Default false. */
  readonly flattenOnDrawdown?: boolean;
  /** Pause entries for `pauseBars` bars after this many losing trades in a row. */
  readonly maxConsecutiveLosses?: number;
  readonly pauseBars?: number;
  /** Pause entries for `pauseDays` sessions after this many losing sessions in a row. */
  readonly maxLosingDays?: number;
  readonly pauseDays?: number;
  readonly volSpike?: VolSpikeOptions;
  readonly var?: VarOptions;
  readonly correlation?: CorrelationOptions;
  /** Fraction of a limit at which a WARNING is raised (once per session). Default 0.8. */
  readonly warnAt?: number;
}

/** {@link RiskOptions} validated and frozen; `undefined` means the rule is off. */
export interface ResolvedRiskConfig {
  readonly maxOpenPositions: number | undefined;
  readonly maxPositionsPer: { readonly side: number | undefined; readonly symbol: number | undefined; readonly group: number | undefined };
  readonly groups: Readonly<Record<string, string>>;
  readonly maxCapitalAtRisk: number | undefined;
  readonly maxNotionalPerOrder: number | undefined;
  readonly dailyLossPct: number | undefined;
  readonly dailyLossR: number | undefined;
  readonly dailyProfitR: number | undefined;
  readonly riskPerTrade: number | undefined;
  readonly maxDrawdownPct: number | undefined;
  readonly flattenOnDrawdown: boolean;
  readonly consecutiveLosses: { readonly max: number; readonly pauseBars: number } | undefined;
  readonly losingDays: { readonly max: number; readonly pauseDays: number } | undefined;
  readonly volSpike: VolSpikeOptions | undefined;
  readonly var: VarOptions | undefined;
  readonly correlation: CorrelationOptions | undefined;
  readonly warnAt: number;
}

const KNOWN_KEYS = [
  'maxOpenPositions', 'maxPositionsPer', 'groups', 'maxCapitalAtRisk', 'maxNotionalPerOrder', 'dailyLossPct', 'dailyLossR',
  'dailyProfitR', 'riskPerTrade', 'maxDrawdownPct', 'flattenOnDrawdown', 'maxConsecutiveLosses', 'pauseBars', 'maxLosingDays',
  'pauseDays', 'volSpike', 'var', 'correlation', 'warnAt',
];
const COUNT: NumberRule = { integer: true, min: 1 };
const POSITIVE: NumberRule = { above: 0 };

/** Reads a nested object whose fields are all required, each checked by its rule. */
function nested<T>(path: string, value: unknown, rules: Readonly<Record<keyof T & string, NumberRule>>): T | undefined {
  if (value === undefined || value === null) return undefined;
  const object = requireObject(path, value);
  const known = Object.keys(rules);
  rejectUnknownKeys(path, object, known);
  const result: Record<string, number> = {};
  for (const key of known) {
    if (object[key] === undefined) throw new ConfigError(`${path}.${key}`, `is required — ${path} needs ${known.join(', ')}`);
    result[key] = requireNumber(`${path}.${key}`, object[key], rules[key as keyof T & string]);
  }
  return Object.freeze(result) as T;
}

/** A rule that needs two fields together (`maxConsecutiveLosses` + `pauseBars`). */
function pair(path: string, options: Readonly<Record<string, unknown>>, limitKey: string, pauseKey: string): readonly [number, number] | undefined {
  const limit = optionalNumber(`${path}.${limitKey}`, options[limitKey], COUNT);
  const pause = optionalNumber(`${path}.${pauseKey}`, options[pauseKey], COUNT);
  if (limit === undefined && pause === undefined) return undefined;
  if (limit === undefined) throw new ConfigError(`${path}.${limitKey}`, `is required when ${pauseKey} is set`);
  if (pause === undefined) throw new ConfigError(`${path}.${pauseKey}`, `is required when ${limitKey} is set — how long to pause, e.g. 5`);
  return [limit, pause];
}

function resolveGroups(path: string, value: unknown): Readonly<Record<string, string>> {
  if (value === undefined || value === null) return Object.freeze({});
  const groups = requireObject(path, value);
  for (const [symbol, tag] of Object.entries(groups)) {
    if (typeof tag !== 'string' || tag === '') throw new ConfigError(`${path}.${symbol}`, `must be a non-empty group name, was ${JSON.stringify(tag)}`);
  }
  return Object.freeze({ ...(groups as Record<string, string>) });
}

/**
 * Validates the user's `risk` block once; the risk manager only sees the result.
 * @param path JSON path of the block, used in error messages (default `risk`).
 * @returns a frozen {@link ResolvedRiskConfig}.
 * @throws ConfigError naming the bad field, e.g. `risk.dailyLossPct: must be > 0, was -2`, or an
 *   unknown key with the list of known keys.
 */
export function resolveRiskOptions(options: RiskOptions | undefined, path = 'risk'): ResolvedRiskConfig {
  const raw = options === undefined ? {} : requireObject(path, options);
  rejectUnknownKeys(path, raw, KNOWN_KEYS);
  const at = (key: string): string => `${path}.${key}`;
  const per = raw['maxPositionsPer'] === undefined ? {} : requireObject(at('maxPositionsPer'), raw['maxPositionsPer']);
  rejectUnknownKeys(at('maxPositionsPer'), per, ['side', 'symbol', 'group']);
  const dailyLossR = optionalNumber(at('dailyLossR'), raw['dailyLossR'], POSITIVE);
  const dailyProfitR = optionalNumber(at('dailyProfitR'), raw['dailyProfitR'], POSITIVE);
  const riskPerTrade = optionalNumber(at('riskPerTrade'), raw['riskPerTrade'], POSITIVE);
  if ((dailyLossR !== undefined || dailyProfitR !== undefined) && riskPerTrade === undefined) {
    throw new ConfigError(at('riskPerTrade'), 'is required when dailyLossR or dailyProfitR is set — the money value of 1 R, e.g. 1000');
  }
  const losses = pair(path, raw, 'maxConsecutiveLosses', 'pauseBars');
  const days = pair(path, raw, 'maxLosingDays', 'pauseDays');
  return Object.freeze({
    maxOpenPositions: optionalNumber(at('maxOpenPositions'), raw['maxOpenPositions'], COUNT),
    maxPositionsPer: Object.freeze({
      side: optionalNumber(at('maxPositionsPer.side'), per['side'], COUNT),
      symbol: optionalNumber(at('maxPositionsPer.symbol'), per['symbol'], COUNT),
      group: optionalNumber(at('maxPositionsPer.group'), per['group'], COUNT),
    }),
    groups: resolveGroups(at('groups'), raw['groups']),
    maxCapitalAtRisk: optionalNumber(at('maxCapitalAtRisk'), raw['maxCapitalAtRisk'], POSITIVE),
    maxNotionalPerOrder: optionalNumber(at('maxNotionalPerOrder'), raw['maxNotionalPerOrder'], POSITIVE),
    dailyLossPct: optionalNumber(at('dailyLossPct'), raw['dailyLossPct'], POSITIVE),
    dailyLossR,
    dailyProfitR,
    riskPerTrade,
    maxDrawdownPct: optionalNumber(at('maxDrawdownPct'), raw['maxDrawdownPct'], POSITIVE),
    flattenOnDrawdown: optionalBoolean(at('flattenOnDrawdown'), raw['flattenOnDrawdown'], false),
    consecutiveLosses: losses === undefined ? undefined : Object.freeze({ max: losses[0], pauseBars: losses[1] }),
    losingDays: days === undefined ? undefined : Object.freeze({ max: days[0], pauseDays: days[1] }),
    volSpike: nested<VolSpikeOptions>(at('volSpike'), raw['volSpike'], { k: POSITIVE, lookback: { integer: true, min: 2 }, pauseBars: COUNT }),
    var: nested<VarOptions>(at('var'), raw['var'], { confidence: { above: 0, below: 1 }, lookback: { integer: true, min: 2 }, maxPct: POSITIVE }),
    correlation: nested<CorrelationOptions>(at('correlation'), raw['correlation'], { max: { above: -1, below: 1 }, lookback: { integer: true, min: 3 } }),
    warnAt: optionalNumber(at('warnAt'), raw['warnAt'], { above: 0, max: 1 }) ?? 0.8,
  });
}
