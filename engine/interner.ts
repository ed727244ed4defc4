/**
 * Small whole-number ids for strings, in order of first use: a trade log or a per-step record keeps
 * the id in a typed array and reads the string back only when asked (a run uses a handful of
 * distinct tags or regime labels).
 */
export class Interner {
  private readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The id of `name`, given the next free id when it is new. */
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  /** The string of an id from {@link id}. Throws `RangeError` for an id never handed out. */
  name(id: number): string {
    const name = this.names[id];
    if (name === undefined) throw new RangeError(`no string has id ${id}`);
    return name;
  }
}
