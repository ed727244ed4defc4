import type { ParameterizedSlippageModel, SlippageParameters } from './types.js';
import { requireNonNegative } from './validate.js';

/** The resolved source of a {@link halfSpreadSlippage} model: exactly one field is set. */
export interface HalfSpreadParams {
  readonly spread?: number;
  readonly spreadBps?: number;
  readonly fromColumn?: true;
}

/**
 * Options for {@link halfSpreadSlippage}: exactly one source for the quoted bid/ask spread.
 * - `{ spread }`: a fixed full spread in price units;
 * - `{ spreadBps }`: a full spread in basis points of the fill price;
 * - `{ fromColumn: true }`: the bar's `spread` column (full spread in price units).
 */
export type HalfSpreadSlippageOptions =
  | { readonly spread: number; readonly spreadBps?: undefined; readonly fromColumn?: undefined }
  | { readonly spreadBps: number; readonly spread?: undefined; readonly fromColumn?: undefined }
  | { readonly fromColumn: true; readonly spread?: undefined; readonly spreadBps?: undefined };

const MODEL = 'halfSpreadSlippage';

/**
 * Crossing the spread from the mid: a buy pays half the quoted spread above the price, a sell
 * receives half below. Returns price units per unit of quantity (`spread / 2`,
 * `|price| × spreadBps / 20 000`, or `barSpread / 2`).
 * @throws RangeError at construction when a value is negative or not exactly one source is given;
 *   Error on a fill when `fromColumn` is set and the bar has no `spread` value (NaN), or a
 *   negative one.
 */
export function halfSpreadSlippage(options: HalfSpreadSlippageOptions): ParameterizedSlippageModel<HalfSpreadParams> {
  const sources = [options.spread, options.spreadBps, options.fromColumn].filter((v) => v !== undefined);
  if (sources.length !== 1) {
    throw new RangeError(`${MODEL}: give exactly one of spread, spreadBps or fromColumn: true (got ${sources.length})`);
  }
  if (options.spread !== undefined) {
    const spread = requireNonNegative(MODEL, 'spread', options.spread);
    const half = spread / 2;
    const params: HalfSpreadParams = Object.freeze({ spread });
    return Object.freeze({ params, slippage: (): number => half });
  }
  if (options.spreadBps !== undefined) {
    const spreadBps = requireNonNegative(MODEL, 'spreadBps', options.spreadBps);
    const params: HalfSpreadParams = Object.freeze({ spreadBps });
    return Object.freeze({
      params,
      slippage: ({ price }: SlippageParameters): number => (Math.abs(price) * spreadBps) / 20_000,
    });
  }
  // JSON configs can carry `fromColumn: false`, which the type forbids; reject it by name.
  const fromColumn: unknown = (options as { readonly fromColumn?: unknown }).fromColumn;
  if (fromColumn !== true) {
    throw new RangeError(`${MODEL}: fromColumn must be true when given, got ${String(fromColumn)}`);
  }
  const params: HalfSpreadParams = Object.freeze({ fromColumn: true as const });
  return Object.freeze({
    params,
    slippage({ barSpread, instrument, price }: SlippageParameters): number {
      if (Number.isNaN(barSpread)) {
        throw new Error(
          `${MODEL}: the spread column is missing on this fill (${instrument.id} at ${price}) — ` +
            'add a `spread` column to the data or use spread/spreadBps instead of fromColumn',
        );
      }
      if (!(barSpread >= 0) || !Number.isFinite(barSpread)) {
        throw new Error(`${MODEL}: the spread column holds ${barSpread} on this fill (${instrument.id}); spreads must be finite and >= 0`);
      }
      return barSpread / 2;
    },
  });
}
