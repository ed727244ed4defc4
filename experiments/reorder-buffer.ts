/**
 * Releases items in sequence order although they arrive in any order: item `i` is released once
 * every item before it has been. Holds only the out-of-order arrivals.
 */
export class ReorderBuffer<T> {
  private readonly pending = new Map<number, T>();
  private nextSeq = 0;

  /** @param first the sequence number released first (e.g. the cells already done on resume). */
  constructor(first = 0) {
    this.nextSeq = first;
  }

  /** The next sequence number to be released. */
  get next(): number {
    return this.nextSeq;
  }

  /** Items waiting for an earlier one. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * Adds item `seq` and returns every item that is now in order (possibly none).
   * Throws `RangeError` for a sequence number already released or added.
   */
  add(seq: number, item: T): T[] {
    if (seq < this.nextSeq || this.pending.has(seq)) throw new RangeError(`item ${seq} was already added`);
    this.pending.set(seq, item);
    const ready: T[] = [];
    for (;;) {
      const value = this.pending.get(this.nextSeq);
      if (value === undefined && !this.pending.has(this.nextSeq)) return ready;
      this.pending.delete(this.nextSeq);
      this.nextSeq++;
      ready.push(value as T);
    }
  }
}
