/**
 * Shared memory where pool workers put their cells' daily returns, so that no per-cell buffer
 * crosses threads. A grid pool runs at most `slots` batches at once (one per dispatch lane); each
 * lane owns a slot of `cellsPerSlot × days` float32s, and cell `i` of the lane's batch writes row
 * `i` of it. The main thread reads a row while it handles that batch's results and must copy what
 * it keeps: the lane's next batch overwrites the slot.
 *
 * Why: handing each cell its own return buffer (copied or transferred) made every finished cell a
 * fresh off-heap allocation on both threads, and that external memory drove a full garbage
 * collection on the main thread every few passes of a small grid — CPU time taken from the
 * workers on a machine with as many cores as workers.
 *
 * Plain data: posting it to a worker (in `workerData`) shares the memory.
 */
export interface ReturnsSlab {
  readonly buffer: SharedArrayBuffer;
  readonly slots: number;
  readonly cellsPerSlot: number;
  /** Returns per cell. */
  readonly days: number;
}

/** A zeroed slab. Throws `RangeError` unless every size is a whole number ≥ 0 (slots and cells ≥ 1). */
export function createReturnsSlab(slots: number, cellsPerSlot: number, days: number): ReturnsSlab {
  for (const [name, value, least] of [['slots', slots, 1], ['cellsPerSlot', cellsPerSlot, 1], ['days', days, 0]] as const) {
    if (!Number.isSafeInteger(value) || value < least) throw new RangeError(`returns slab: ${name} must be a whole number >= ${least}, was ${value}`);
  }
  return { buffer: new SharedArrayBuffer(slots * cellsPerSlot * days * Float32Array.BYTES_PER_ELEMENT), slots, cellsPerSlot, days };
}

/** Slot `slot` as one `cellsPerSlot × days` row-major view. Throws `RangeError` for a slot out of range. */
export function slabSlot(slab: ReturnsSlab, slot: number): Float32Array {
  if (!Number.isSafeInteger(slot) || slot < 0 || slot >= slab.slots) throw new RangeError(`returns slab: slot ${slot} is out of range 0…${slab.slots - 1}`);
  const length = slab.cellsPerSlot * slab.days;
  return new Float32Array(slab.buffer, slot * length * Float32Array.BYTES_PER_ELEMENT, length);
}

/** Row `row` (a cell of the batch) of a slot view from {@link slabSlot}. */
export function slotRow(slot: Float32Array, days: number, row: number): Float32Array {
  return slot.subarray(row * days, (row + 1) * days);
}
