// A per-process cache of pure results by string key (a parsed file, a compiled
// pattern list), so the work is done once per build, or once in the frontend's
// start-up snapshot. Bounded: the CLI and the tests see many distinct keys;
// when full it starts over. Values are shared: never mutate one.
export class Memo<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly limit = 64) {}

  /** The value for `key`, made by `make` the first time (a `make` that throws caches nothing). */
  get(key: string, make: () => V): V {
    let v = this.values.get(key);
    if (v === undefined) {
      v = make();
      if (this.values.size >= this.limit) this.values.clear();
      this.values.set(key, v);
    }
    return v;
  }
}
