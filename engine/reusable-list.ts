/**
 * A list that keeps its storage between uses: `clear()` only resets the count, so a list filled
 * and emptied every step (queued commands, finished orders, fill candidates) allocates once, not
 * once per step. (`array.length = 0` would free the storage, and V8 runs it as a slow runtime call.)
 * Slots past `length` may still hold old items until they are overwritten.
 */
export class ReusableList<T> {
  private readonly items: T[] = [];
  length = 0;

  push(item: T): void {
    if (this.length < this.items.length) this.items[this.length] = item;
    else this.items.push(item);
    this.length++;
  }

  /** Item `i` (0 <= i < length). */
  at(i: number): T {
    return this.items[i]!;
  }

  clear(): void {
    this.length = 0;
  }
}
