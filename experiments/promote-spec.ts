import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { BarSeries } from '../engine/bars.js';
import { resolveEngineConfig, type EngineOptions, type ResolvedEngineConfig } from '../engine/engine-config.js';
import { resolveParams } from '../engine/params.js';
import type { ResolvedRegimes } from '../engine/regime-config.js';
import type { ResolvedRiskConfig } from '../engine/risk/risk-config.js';
import type { StrategyDefinition } from '../engine/strategy.js';
import type { ParamValue } from './experiment.js';

/** The run-spec side of a paper config: resolved options back to run-spec fields, paths, warm-up. */

/** A resolved engine config as JSON (what `config.json` of a run folder holds under `config`). */
export type ResolvedConfigJson = Omit<ResolvedEngineConfig, 'broker'>;

/** The engine's resolved config of user options, as JSON (as a run folder stores it under `config`). */
export function resolvedJson(options: EngineOptions): ResolvedConfigJson {
  return JSON.parse(JSON.stringify(resolveEngineConfig(options))) as ResolvedConfigJson;
}

/**
 * The run-spec fields of a resolved engine config, every default spelled out, so the frozen
 * config does not change if a default does: `capital`, `costs`, `fills`, `leverage`,
 * `riskFreeRate`, `instruments`, `sessionOffsetMs`, and `regimes`/`risk` when the run had them.
 */
export function runSpecOptions(config: ResolvedConfigJson): Record<string, unknown> {
  // One run-spec field per resolved field: the compiler fails here when the engine config grows.
  const fields = {
    initialCapital: 'capital', costs: 'costs', ambiguity: 'fills', leverage: 'leverage', riskFreeRate: 'riskFreeRate',
    instruments: 'instruments', sessionOffsetMs: 'sessionOffsetMs', regimes: 'regimes', risk: 'risk',
  } as const satisfies Record<keyof ResolvedConfigJson, string>;
  const out: Record<string, unknown> = {
    [fields.initialCapital]: config.initialCapital,
    [fields.costs]: { ...config.costs },
    [fields.ambiguity]: { ambiguity: config.ambiguity },
    [fields.leverage]: config.leverage,
    [fields.riskFreeRate]: config.riskFreeRate,
    [fields.instruments]: config.instruments,
    [fields.sessionOffsetMs]: config.sessionOffsetMs,
  };
  if (config.regimes !== undefined) out[fields.regimes] = regimesJson(config.regimes);
  if (config.risk !== undefined) out[fields.risk] = riskJson(config.risk);
  return out;
}

/**
 * `file` as a config in `dir` names it: relative to `dir` with `/` separators, or
 * absolute when the two share no folder below the root (`../../../work/…` from `/tmp` is no more
 * portable than `/work/…`) or sit on other drives.
 */
export function relativePath(file: string, dir: string): string {
  const top = (path: string): string | undefined => resolve(path).split(sep).filter((part) => part !== '')[0];
  const absolute = resolve(file);
  const rel = relative(dir, absolute);
  if (rel === '' || isAbsolute(rel) || top(absolute) !== top(dir)) return absolute;
  return rel.split(sep).join('/');
}

/**
 * How many of the last bars warm the run up: the longest bar lookback of the strategy's params
 * (int params described as a period/length/lookback/window in bars), of the regime classifier
 * (trend SMA + slope; realized vol's daily returns, as bars of that many days of the data) and of
 * the risk rules' return windows. Undefined when none is known (the driver then warms with all data).
 */
export function warmupBars(
  run: { readonly strategy: StrategyDefinition; readonly params: Readonly<Record<string, ParamValue>>; readonly config: ResolvedConfigJson },
  bars: readonly BarSeries[],
): number | undefined {
  const resolved = resolveParams(run.strategy.params, run.params) as Readonly<Record<string, ParamValue>>;
  const figures: number[] = [];
  for (const [name, spec] of Object.entries(run.strategy.params)) {
    if (spec.type === 'int' && /\b(period|length|lookback|window)\b/i.test(spec.description) && /\bbars\b/.test(spec.description)) figures.push(Number(resolved[name]));
  }
  const { regimes, risk } = run.config;
  if (regimes !== undefined) {
    const { vol, trend } = regimes.classifier;
    figures.push(trend.period + trend.slopeBars);
    if (vol.source !== 'column') figures.push(Math.max(0, ...bars.map((b) => barsOfLastDays(b.timeMs, vol.lookback + 1, regimes.classifier.sessionOffsetMs))));
  }
  if (risk !== undefined) for (const rule of [risk.volSpike, risk.var, risk.correlation]) if (rule !== undefined) figures.push(rule.lookback + 1);
  const longest = Math.max(0, ...figures.filter((n) => Number.isFinite(n)));
  return longest > 0 ? longest : undefined;
}

function regimesJson(regimes: ResolvedRegimes): Record<string, unknown> {
  const { classifier, allow } = regimes;
  return {
    vol: { ...classifier.vol, ...(allow.vol === undefined ? {} : { allow: allow.vol }) },
    trend: { ...classifier.trend, ...(allow.trend === undefined ? {} : { allow: allow.trend }) },
    sessionOffsetMs: classifier.sessionOffsetMs,
  };
}

function riskJson(risk: ResolvedRiskConfig): Record<string, unknown> {
  const { maxPositionsPer, groups, consecutiveLosses, losingDays, ...rest } = risk;
  const per = withoutUndefined({ ...maxPositionsPer });
  return withoutUndefined({
    ...rest,
    ...(Object.keys(per).length === 0 ? {} : { maxPositionsPer: per }),
    ...(Object.keys(groups).length === 0 ? {} : { groups }),
    ...(consecutiveLosses === undefined ? {} : { maxConsecutiveLosses: consecutiveLosses.max, pauseBars: consecutiveLosses.pauseBars }),
    ...(losingDays === undefined ? {} : { maxLosingDays: losingDays.max, pauseDays: losingDays.pauseDays }),
  });
}

/** Bars of one series that fall in its last `days` sessions (UTC days after `offsetMs`). */
function barsOfLastDays(timeMs: Float64Array, days: number, offsetMs: number): number {
  let seen = 0;
  let last = Number.NaN;
  for (let i = timeMs.length - 1; i >= 0; i--) {
    const day = Math.floor((timeMs[i]! + offsetMs) / 86_400_000);
    if (day !== last) {
      if (++seen > days) return timeMs.length - 1 - i;
      last = day;
    }
  }
  return timeMs.length;
}

/** `value` without its undefined fields. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
