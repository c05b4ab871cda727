// An indexed binary min-heap of deadlines keyed by string. The index (key -> slot) makes
// upsert and remove O(log n), so re-arming a monitor on every ping stays cheap at 100 000 monitors.

interface Entry {
  readonly key: string;
  at: number;
}

export class DeadlineHeap {
  readonly #entries: Entry[] = [];
  readonly #slots = new Map<string, number>();

  get size(): number {
    return this.#entries.length;
  }

  has(key: string): boolean {
    return this.#slots.has(key);
  }

  /** The deadline of `key`, or undefined when it has none. */
  get(key: string): number | undefined {
    const slot = this.#slots.get(key);
    return slot === undefined ? undefined : this.#entries[slot]?.at;
  }

  /** Sets (or moves) the deadline of `key`. */
  upsert(key: string, at: number): void {
    const slot = this.#slots.get(key);
    if (slot === undefined) {
      this.#entries.push({ key, at });
      this.#slots.set(key, this.#entries.length - 1);
      this.#up(this.#entries.length - 1);
      return;
    }
    const entry = this.#at(slot);
    if (at === entry.at) return; // a ping that leaves the deadline where it was moves nothing
    const earlier = at < entry.at;
    entry.at = at;
    if (earlier) this.#up(slot);
    else this.#down(slot);
  }

  remove(key: string): boolean {
    const slot = this.#slots.get(key);
    if (slot === undefined) return false;
    const last = this.#entries.length - 1;
    this.#swap(slot, last);
    this.#entries.pop();
    this.#slots.delete(key);
    if (slot < this.#entries.length) {
      this.#up(slot);
      this.#down(slot);
    }
    return true;
  }

  /** The earliest deadline, without removing it. */
  peek(): { readonly key: string; readonly at: number } | undefined {
    return this.#entries[0];
  }

  /** Removes and returns, earliest first, the keys whose deadline is at or before `now`. */
  popDue(now: number): string[] {
    const due: string[] = [];
    for (let top = this.#entries[0]; top !== undefined && top.at <= now; top = this.#entries[0]) {
      due.push(top.key);
      this.remove(top.key);
    }
    return due;
  }

  clear(): void {
    this.#entries.length = 0;
    this.#slots.clear();
  }

  #at(slot: number): Entry {
    const entry = this.#entries[slot];
    if (entry === undefined) throw new Error(`deadline heap: no entry at slot ${slot}`);
    return entry;
  }

  #swap(a: number, b: number): void {
    const ea = this.#at(a);
    const eb = this.#at(b);
    this.#entries[a] = eb;
    this.#entries[b] = ea;
    this.#slots.set(eb.key, a);
    this.#slots.set(ea.key, b);
  }

  #up(slot: number): void {
    let child = slot;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (this.#at(parent).at <= this.#at(child).at) return;
      this.#swap(parent, child);
      child = parent;
    }
  }

  #down(slot: number): void {
    const n = this.#entries.length;
    let parent = slot;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let least = parent;
      if (left < n && this.#at(left).at < this.#at(least).at) least = left;
      if (right < n && this.#at(right).at < this.#at(least).at) least = right;
      if (least === parent) return;
      this.#swap(parent, least);
      parent = least;
    }
  }
}
