import { bpsSlippage } from './bps-slippage.js';
import { clampedFee } from './clamped-fee.js';
import { combinedFee } from './combined-fee.js';
import { combinedSlippage } from './combined-slippage.js';
import { halfSpreadSlippage } from './half-spread-slippage.js';
import { percentFee } from './percent-fee.js';
import { perContractFee } from './per-contract-fee.js';
import { perOrderFee } from './per-order-fee.js';
import { perShareFee } from './per-share-fee.js';
import { tickSlippage } from './tick-slippage.js';
import type { FeeModel, SlippageModel } from './types.js';
import { requireNonNegative } from './validate.js';
import { zeroFee } from './zero-fee.js';
import { zeroSlippage } from './zero-slippage.js';

/**
 * Transaction costs as plain JSON (experiment files, CLI flags). Every field is optional;
 * unset (or `null`) means "none". Amounts are in account currency, rates are fractions.
 */
export interface CostSpec {
  /** Commission as a fraction of traded value (`0.001` = 0.1 %). */
  readonly commissionRate?: number | null | undefined;
  /** Commission per unit of quantity, account currency. */
  readonly commissionPerShare?: number | null | undefined;
  /** Minimum total commission per fill, account currency. */
  readonly commissionMin?: number | null | undefined;
  /** Maximum total commission per fill, account currency. */
  readonly commissionMax?: number | null | undefined;
  /** Flat commission per fill, account currency. */
  readonly commissionPerOrder?: number | null | undefined;
  /** Commission per contract (futures/options), account currency. */
  readonly commissionPerContract?: number | null | undefined;
  /** Slippage in basis points of the fill price. */
  readonly slippageBps?: number | null | undefined;
  /** Slippage in ticks of the instrument. */
  readonly slippageTicks?: number | null | undefined;
  /** Full quoted spread in bps of price; half of it is paid per fill. */
  readonly spreadBps?: number | null | undefined;
  /** Full quoted spread in price units; half of it is paid per fill. */
  readonly spread?: number | null | undefined;
  /** Take the full spread from the data's `spread` column; half of it is paid per fill. */
  readonly spreadFromColumn?: boolean | null | undefined;
}

/**
 * A {@link CostSpec} with every field decided (frozen, JSON-able). `commissionMax` is `null` when
 * there is no cap. Passing it back to {@link resolveCosts} yields the same costs.
 */
export interface ResolvedCostSpec {
  readonly commissionRate: number;
  readonly commissionPerShare: number;
  readonly commissionMin: number;
  readonly commissionMax: number | null;
  readonly commissionPerOrder: number;
  readonly commissionPerContract: number;
  readonly slippageBps: number;
  readonly slippageTicks: number;
  readonly spreadBps: number;
  readonly spread: number;
  readonly spreadFromColumn: boolean;
}

/** The models built from a {@link CostSpec}, plus the resolved spec they were built from. */
export interface ResolvedCosts {
  readonly fee: FeeModel;
  readonly slippage: SlippageModel;
  readonly spec: ResolvedCostSpec;
  /** The percent-of-value commission rate (fraction, default 0), which fill-time sizing nets out. */
  readonly commissionRate: number;
}

const NUMBER_FIELDS = [
  'commissionRate',
  'commissionPerShare',
  'commissionMin',
  'commissionMax',
  'commissionPerOrder',
  'commissionPerContract',
  'slippageBps',
  'slippageTicks',
  'spreadBps',
  'spread',
] as const;
const ALLOWED = new Set<string>([...NUMBER_FIELDS, 'spreadFromColumn']);

function numberField(spec: CostSpec, field: (typeof NUMBER_FIELDS)[number]): number | undefined {
  const value = spec[field];
  return value === undefined || value === null ? undefined : requireNonNegative('costs', field, value);
}

/** Fills in defaults and validates; throws on unknown fields, negatives and conflicting spreads. */
export function resolveCostSpec(spec: CostSpec = {}): ResolvedCostSpec {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new TypeError(`costs: expected an object of cost fields, got ${JSON.stringify(spec)}`);
  }
  for (const key of Object.keys(spec)) {
    if (!ALLOWED.has(key)) {
      throw new RangeError(`costs: unknown field '${key}' — allowed fields: ${[...ALLOWED].join(', ')}`);
    }
  }
  const fromColumn = spec.spreadFromColumn ?? false;
  if (typeof fromColumn !== 'boolean') {
    throw new TypeError(`costs: spreadFromColumn must be true or false, got ${JSON.stringify(fromColumn)}`);
  }
  const resolved: ResolvedCostSpec = Object.freeze({
    commissionRate: numberField(spec, 'commissionRate') ?? 0,
    commissionPerShare: numberField(spec, 'commissionPerShare') ?? 0,
    commissionMin: numberField(spec, 'commissionMin') ?? 0,
    commissionMax: numberField(spec, 'commissionMax') ?? null,
    commissionPerOrder: numberField(spec, 'commissionPerOrder') ?? 0,
    commissionPerContract: numberField(spec, 'commissionPerContract') ?? 0,
    slippageBps: numberField(spec, 'slippageBps') ?? 0,
    slippageTicks: numberField(spec, 'slippageTicks') ?? 0,
    spreadBps: numberField(spec, 'spreadBps') ?? 0,
    spread: numberField(spec, 'spread') ?? 0,
    spreadFromColumn: fromColumn,
  });
  if (resolved.commissionMax !== null && resolved.commissionMin > resolved.commissionMax) {
    throw new RangeError(`costs: commissionMin (${resolved.commissionMin}) must be <= commissionMax (${resolved.commissionMax})`);
  }
  const spreadSources = [resolved.spreadBps > 0, resolved.spread > 0, resolved.spreadFromColumn].filter(Boolean);
  if (spreadSources.length > 1) {
    throw new RangeError('costs: give at most one of spreadBps, spread or spreadFromColumn');
  }
  return resolved;
}

function feeFor(spec: ResolvedCostSpec): FeeModel {
  const parts: FeeModel[] = [];
  if (spec.commissionRate > 0) parts.push(percentFee({ rate: spec.commissionRate }));
  if (spec.commissionPerShare > 0) parts.push(perShareFee({ perShare: spec.commissionPerShare }));
  if (spec.commissionPerContract > 0) parts.push(perContractFee({ perContract: spec.commissionPerContract }));
  if (spec.commissionPerOrder > 0) parts.push(perOrderFee({ amount: spec.commissionPerOrder }));
  const inner = parts.length === 0 ? zeroFee() : parts.length === 1 ? (parts[0] as FeeModel) : combinedFee(...parts);
  if (spec.commissionMin === 0 && spec.commissionMax === null) return inner;
  return clampedFee(inner, { min: spec.commissionMin, max: spec.commissionMax ?? undefined });
}

function slippageFor(spec: ResolvedCostSpec): SlippageModel {
  const parts: SlippageModel[] = [];
  if (spec.slippageBps > 0) parts.push(bpsSlippage({ bps: spec.slippageBps }));
  if (spec.slippageTicks > 0) parts.push(tickSlippage({ ticks: spec.slippageTicks }));
  if (spec.spreadBps > 0) parts.push(halfSpreadSlippage({ spreadBps: spec.spreadBps }));
  if (spec.spread > 0) parts.push(halfSpreadSlippage({ spread: spec.spread }));
  if (spec.spreadFromColumn) parts.push(halfSpreadSlippage({ fromColumn: true }));
  if (parts.length === 0) return zeroSlippage();
  return parts.length === 1 ? (parts[0] as SlippageModel) : combinedSlippage(...parts);
}

/**
 * Turns a plain {@link CostSpec} into fee and slippage models.
 *
 * - Fee per fill = `commissionRate × |price| × qty × multiplier + commissionPerShare × qty
 *   + commissionPerContract × qty + commissionPerOrder`, then clamped to
 *   `[commissionMin, commissionMax]` (the bounds apply to the total, in account currency).
 * - Slippage per unit = `|price| × slippageBps / 1e4 + slippageTicks × tickSize + half spread`,
 *   where the spread comes from at most one of `spreadBps`, `spread` or `spreadFromColumn`.
 *
 * @throws TypeError on non-object specs or non-number fields; RangeError on unknown fields,
 *   negative values, `commissionMin > commissionMax` or more than one spread source.
 */
export function resolveCosts(spec: CostSpec = {}): ResolvedCosts {
  const resolved = resolveCostSpec(spec);
  return Object.freeze({
    fee: feeFor(resolved),
    slippage: slippageFor(resolved),
    spec: resolved,
    commissionRate: resolved.commissionRate,
  });
}
