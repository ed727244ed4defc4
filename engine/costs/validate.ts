/**
 * Parameter checks shared by the cost-model factories. Models validate once, at construction,
 * so that a bad configuration fails before the first bar instead of producing odd fills.
 */

/**
 * Returns `value` when it is a finite number `>= 0`.
 * @throws TypeError when `value` is not a number; RangeError when negative, NaN or infinite.
 *   The message names the model and the field, e.g. `percentFee: rate must be >= 0, got -1`.
 */
export function requireNonNegative(model: string, field: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${model}: ${field} must be a number, got ${typeof value} (${String(value)})`);
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${model}: ${field} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

/** Like {@link requireNonNegative} but `undefined` passes through (an unset optional field). */
export function optionalNonNegative(model: string, field: string, value: unknown): number | undefined {
  return value === undefined ? undefined : requireNonNegative(model, field, value);
}

/**
 * Checks an optional `[min, max]` pair (both in account currency per order).
 * @throws RangeError when both are set and `min > max`.
 */
export function requireMinMax(model: string, min: number | undefined, max: number | undefined): void {
  if (min !== undefined && max !== undefined && min > max) {
    throw new RangeError(`${model}: min (${min}) must be <= max (${max})`);
  }
}

/**
 * Clamps a per-order amount into `[min, max]` (either bound optional). The result is never
 * negative because the inputs and bounds are validated non-negative.
 */
export function clampToMinMax(amount: number, min: number | undefined, max: number | undefined): number {
  let clamped = amount;
  if (min !== undefined && clamped < min) clamped = min;
  if (max !== undefined && clamped > max) clamped = max;
  return clamped;
}
