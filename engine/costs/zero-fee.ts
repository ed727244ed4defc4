import type { FeeModel } from './types.js';

/** A fee model that charges nothing (the default; 0 in account currency for every fill). */
export function zeroFee(): FeeModel {
  return Object.freeze({ fee: (): number => 0 });
}
