import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config-error.js';
import { resolveRiskOptions, type RiskOptions } from './risk-config.js';

function problem(options: unknown, path?: string): string {
  try {
    resolveRiskOptions(options as RiskOptions, path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveRiskOptions', () => {
  it('turns every rule off when the block is empty or absent', () => {
    for (const resolved of [resolveRiskOptions({}), resolveRiskOptions(undefined)]) {
      expect(Object.isFrozen(resolved)).toBe(true);
      expect(resolved.maxOpenPositions).toBeUndefined();
      expect(resolved.maxPositionsPer).toEqual({ side: undefined, symbol: undefined, group: undefined });
      expect(resolved.dailyLossPct).toBeUndefined();
      expect(resolved.consecutiveLosses).toBeUndefined();
      expect(resolved.var).toBeUndefined();
      expect(resolved.flattenOnDrawdown).toBe(false);
      expect(resolved.warnAt).toBe(0.8);
    }
  });

  it('resolves a full block', () => {
    const resolved = resolveRiskOptions({
      maxOpenPositions: 5,
      maxPositionsPer: { side: 3, symbol: 1, group: 2 },
      groups: { AAA: 'tech' },
      maxCapitalAtRisk: 2000,
      maxNotionalPerOrder: 50_000,
      dailyLossPct: 2,
      dailyLossR: 3,
      dailyProfitR: 5,
      riskPerTrade: 1000,
      maxDrawdownPct: 10,
      flattenOnDrawdown: true,
      maxConsecutiveLosses: 3,
      pauseBars: 5,
      maxLosingDays: 2,
      pauseDays: 1,
      volSpike: { k: 3, lookback: 20, pauseBars: 2 },
      var: { confidence: 0.95, lookback: 250, maxPct: 2 },
      correlation: { max: 0.8, lookback: 60 },
      warnAt: 0.9,
    });
    expect(resolved.maxPositionsPer).toEqual({ side: 3, symbol: 1, group: 2 });
    expect(resolved.consecutiveLosses).toEqual({ max: 3, pauseBars: 5 });
    expect(resolved.losingDays).toEqual({ max: 2, pauseDays: 1 });
    expect(resolved.var).toEqual({ confidence: 0.95, lookback: 250, maxPct: 2 });
    expect(resolved.groups).toEqual({ AAA: 'tech' });
    expect(resolved.flattenOnDrawdown).toBe(true);
    expect(resolved.warnAt).toBe(0.9);
  });

  it('names the bad field, the rule and the value', () => {
    expect(problem({ dailyLossPct: -2 })).toBe('risk.dailyLossPct: must be > 0, was -2');
    expect(problem({ maxOpenPositions: 2.5 })).toBe('risk.maxOpenPositions: must be a whole number, was 2.5');
    expect(problem({ maxOpenPositions: 0 })).toBe('risk.maxOpenPositions: must be >= 1, was 0');
    expect(problem({ maxCapitalAtRisk: '2000' })).toBe('risk.maxCapitalAtRisk: must be a number, was "2000"');
    expect(problem({ maxPositionsPer: { side: -1 } })).toBe('risk.maxPositionsPer.side: must be >= 1, was -1');
    expect(problem({ flattenOnDrawdown: 'yes' })).toBe('risk.flattenOnDrawdown: must be true or false, was "yes"');
    expect(problem({ var: { confidence: 1, lookback: 100, maxPct: 2 } })).toBe('risk.var.confidence: must be < 1, was 1');
    expect(problem({ correlation: { max: 0.8, lookback: 2 } })).toBe('risk.correlation.lookback: must be >= 3, was 2');
    expect(problem({ volSpike: { k: 3, lookback: 20 } })).toBe('risk.volSpike.pauseBars: is required — risk.volSpike needs k, lookback, pauseBars');
    expect(problem({ groups: { AAA: '' } })).toBe('risk.groups.AAA: must be a non-empty group name, was ""');
    expect(problem({ warnAt: 1.5 })).toBe('risk.warnAt: must be <= 1, was 1.5');
    expect(problem([])).toBe('risk: must be an object, was []');
  });

  it('rejects unknown keys, listing the known ones', () => {
    expect(problem({ maxPositions: 5 })).toMatch(/^risk\.maxPositions: unknown key — known keys: maxOpenPositions, maxPositionsPer, groups, /);
    expect(problem({ maxPositionsPer: { sector: 1 } })).toBe('risk.maxPositionsPer.sector: unknown key — known keys: side, symbol, group');
    expect(problem({ var: { confidence: 0.95, lookback: 10, maxPct: 2, method: 'hs' } })).toBe(
      'risk.var.method: unknown key — known keys: confidence, lookback, maxPct',
    );
  });

  it('requires the companions of a rule', () => {
    expect(problem({ dailyLossR: 2 })).toBe('risk.riskPerTrade: is required when dailyLossR or dailyProfitR is set — the money value of 1 R, e.g. 1000');
    expect(problem({ dailyProfitR: 2 })).toMatch(/^risk\.riskPerTrade: is required/);
    expect(problem({ maxConsecutiveLosses: 3 })).toBe('risk.pauseBars: is required when maxConsecutiveLosses is set — how long to pause, e.g. 5');
    expect(problem({ pauseDays: 1 })).toBe('risk.maxLosingDays: is required when pauseDays is set');
  });

  it('prefixes errors with the given path', () => {
    expect(problem({ dailyLossPct: 0 }, 'experiment.risk')).toBe('experiment.risk.dailyLossPct: must be > 0, was 0');
  });
});
