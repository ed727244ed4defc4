import type { BracketAmbiguity, BrokerConfig } from './broker.js';
import { ConfigError } from './config-error.js';
import { resolveCosts, type CostSpec, type ResolvedCostSpec } from './costs/resolve-costs.js';
import { resolveRegimes, type RegimesConfig, type ResolvedRegimes } from './regime-config.js';
import { resolveRiskOptions, type ResolvedRiskConfig, type RiskOptions } from './risk/risk-config.js';

/** Per-instrument contract details, by symbol. */
export interface InstrumentSpec {
  readonly multiplier?: number;
  readonly tickSize?: number;
  readonly lotSize?: number;
}

/** Engine options as a user writes them; every field optional. */
export interface EngineOptions {
  /** Starting cash, account currency. Default 100000. */
  readonly initialCapital?: number;
  readonly costs?: CostSpec;
  /** When a bar touches both exits of a bracket/OCO pair: default `stop-first` (pessimistic). */
  readonly ambiguity?: BracketAmbiguity;
  /** Max gross exposure ÷ equity after a fill that grows a position. Default 1 (no leverage). */
  readonly leverage?: number;
  /** Shift applied to bar times before taking the UTC day as the session of `day` orders, ms. Default 0. */
  readonly sessionOffsetMs?: number;
  /** Annual risk-free rate for Sharpe/Sortino, fraction. Default 0. */
  readonly riskFreeRate?: number;
  /** Contract details per symbol; default multiplier 1, tick 0.01, lot 1. */
  readonly instruments?: Readonly<Record<string, InstrumentSpec>>;
  /** Regime classification, per-regime metrics and (optionally) regime filters on entries. */
  readonly regimes?: RegimesConfig;
  /** The risk manager's rules (absent: no risk manager). */
  readonly risk?: RiskOptions;
}

/** Engine options with every field decided. JSON-able except `broker`'s models (see `describe`). */
export interface ResolvedEngineConfig {
  readonly initialCapital: number;
  readonly costs: ResolvedCostSpec;
  readonly ambiguity: BracketAmbiguity;
  readonly leverage: number;
  readonly sessionOffsetMs: number;
  readonly riskFreeRate: number;
  readonly instruments: Readonly<Record<string, Required<InstrumentSpec>>>;
  /** The broker's resolved models (not serialized). */
  readonly broker: BrokerConfig;
  /** Undefined when the run has no `regimes` block. */
  readonly regimes: ResolvedRegimes | undefined;
  /** Undefined when the run has no `risk` block. */
  readonly risk: ResolvedRiskConfig | undefined;
}

/**
 * Resolves engine options once (defaults, validation); the engine only ever sees the result.
 * Throws {@link ConfigError} naming the bad field.
 */
export function resolveEngineConfig(options: EngineOptions = {}): ResolvedEngineConfig {
  const initialCapital = options.initialCapital ?? 100_000;
  if (!(Number.isFinite(initialCapital) && initialCapital > 0)) {
    throw new ConfigError('capital', `must be a number > 0, was ${String(options.initialCapital)}`);
  }
  const ambiguity = options.ambiguity ?? 'stop-first';
  if (ambiguity !== 'stop-first' && ambiguity !== 'target-first') {
    throw new ConfigError('fills.ambiguity', `must be stop-first or target-first, was ${JSON.stringify(ambiguity)}`);
  }
  const leverage = options.leverage ?? 1;
  if (!(Number.isFinite(leverage) && leverage > 0)) throw new ConfigError('leverage', `must be > 0, was ${String(leverage)}`);
  const sessionOffsetMs = options.sessionOffsetMs ?? 0;
  if (!Number.isFinite(sessionOffsetMs)) throw new ConfigError('sessionOffsetMs', `must be a number of ms, was ${String(sessionOffsetMs)}`);
  const riskFreeRate = options.riskFreeRate ?? 0;
  if (!Number.isFinite(riskFreeRate)) throw new ConfigError('riskFreeRate', `must be a number, was ${String(riskFreeRate)}`);
  let costs;
  try {
    costs = resolveCosts(options.costs ?? {});
  } catch (error) {
    // resolveCosts' messages already start with "costs…: "; split it into path and problem.
    const message = error instanceof Error ? error.message : String(error);
    const at = message.indexOf(': ');
    const path = at > 0 && message.startsWith('costs') ? message.slice(0, at) : 'costs';
    throw new ConfigError(path, at > 0 && message.startsWith('costs') ? message.slice(at + 2) : message);
  }
  const instruments: Record<string, Required<InstrumentSpec>> = {};
  for (const [symbol, spec] of Object.entries(options.instruments ?? {})) {
    const resolved = { multiplier: spec.multiplier ?? 1, tickSize: spec.tickSize ?? 0.01, lotSize: spec.lotSize ?? 1 };
    for (const [field, value] of Object.entries(resolved)) {
      if (!(Number.isFinite(value) && value > 0)) throw new ConfigError(`instruments.${symbol}.${field}`, `must be > 0, was ${value}`);
    }
    instruments[symbol] = Object.freeze(resolved);
  }
  const broker: BrokerConfig = Object.freeze({
    fee: costs.fee,
    slippage: costs.slippage,
    commissionRate: costs.commissionRate,
    ambiguity,
    leverage,
    sessionOffsetMs,
  });
  const regimes = options.regimes === undefined ? undefined : resolveRegimes(options.regimes, 'regimes', sessionOffsetMs);
  const risk = options.risk === undefined ? undefined : resolveRiskOptions(options.risk, 'risk');
  const resolved = { initialCapital, costs: costs.spec, ambiguity, leverage, sessionOffsetMs, riskFreeRate, instruments: Object.freeze(instruments), regimes, risk };
  Object.defineProperty(resolved, 'broker', { value: broker, enumerable: false });
  return Object.freeze(resolved) as ResolvedEngineConfig;
}
