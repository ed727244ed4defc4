import type { ParameterizedSlippageModel, SlippageParameters } from './types.js';
import { requireNonNegative } from './validate.js';

/** Options for {@link volumeParticipationSlippage}. */
export interface VolumeParticipationSlippageOptions {
  /** Impact in basis points of price when the fill takes the bar's whole volume (participation 1). */
  readonly impactBps: number;
  /** Shape of impact vs participation: 0.5 is the square-root law (default), 1 is linear. */
  readonly exponent?: number | undefined;
}

const MODEL = 'volumeParticipationSlippage';

/**
 * Market impact growing with the share of the bar's volume the fill takes:
 * `|price| × impactBps / 10 000 × min(1, qty / barVolume) ^ exponent`, in price units per unit.
 * Participation is capped at 1 (a fill larger than the bar's volume is charged as the whole bar);
 * a bar with volume 0 counts as participation 1.
 * @throws RangeError at construction on negative/non-finite `impactBps` or `exponent`;
 *   Error on a fill when the bar has no volume (NaN), naming the missing column.
 */
export function volumeParticipationSlippage(
  options: VolumeParticipationSlippageOptions,
): ParameterizedSlippageModel<{ impactBps: number; exponent: number }> {
  const impactBps = requireNonNegative(MODEL, 'impactBps', options.impactBps);
  const exponent = requireNonNegative(MODEL, 'exponent', options.exponent ?? 0.5);
  const params = Object.freeze({ impactBps, exponent });
  return Object.freeze({
    params,
    slippage({ price, qty, barVolume, instrument }: SlippageParameters): number {
      if (Number.isNaN(barVolume)) {
        throw new Error(
          `${MODEL}: the volume column is missing on this fill (${instrument.id}) — ` +
            'load data with volume or use bpsSlippage instead',
        );
      }
      const participation = barVolume > 0 ? Math.min(1, qty / barVolume) : 1;
      return ((Math.abs(price) * impactBps) / 10_000) * participation ** exponent;
    },
  });
}
