// An indexed binary min-heap of deadlines keyed by string. The index (key -> slot) makes
// upsert and remove O(log n), so re-arming a monitor on every ping stays cheap at 100 000 monitors.
//
// A deadline that moves later (what every ping does) is not moved in the heap at once: the entry
// keeps its place, ordered by an earlier `place`, and is moved down only when it reaches the top
// (see #settle). A monitor pinged a thousand times between two deadlines then costs the heap one
// move, not a thousand; the top is always settled before it is read, so nothing fires early.

interface Entry {
  readonly key: string;
  /** The deadline. */
  at: number;
  /** What the entry is ordered by in the heap: `at`, or an earlier deadline it has since left. */
  place: number;
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
      this.#entries.push({ key, at, place: at });
      this.#slots.set(key, this.#entries.length - 1);
      this.#up(this.#entries.length - 1);
      return;
    }
    const entry = this.#at(slot);
    entry.at = at;
    // Later than its place: it stays there until it reaches the top (see #settle).
    if (at >= entry.place) return;
    entry.place = at;
    this.#up(slot);
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

  /**
   * The earliest deadline, without removing it. With a `horizon`, entries that moved are settled
   * only up to it: when the earliest deadline is later than `horizon`, what is returned may be an
   * earlier time that is still after `horizon` (enough to know that nothing falls due before it).
   */
  peek(horizon = Infinity): { readonly key: string; readonly at: number } | undefined {
    this.#settle(horizon);
    const top = this.#entries[0];
    return top === undefined ? undefined : { key: top.key, at: top.place };
  }

  /** Removes and returns, earliest first, the keys whose deadline is at or before `now`. */
  popDue(now: number): string[] {
    const due: string[] = [];
    for (let top = this.peek(now); top !== undefined && top.at <= now; top = this.peek(now)) {
      due.push(top.key);
      this.remove(top.key);
    }
    return due;
  }

  /**
   * Moves entries whose deadline has moved later than their place down to where they belong, while
   * the top is such an entry placed at or before `horizon`. Every other entry's deadline is at or
   * after its place, which is at or after the top's: a settled top is the earliest deadline.
   */
  #settle(horizon: number): void {
    for (
      let top = this.#entries[0];
      top !== undefined && top.place < top.at && top.place <= horizon;
      top = this.#entries[0]
    ) {
      top.place = top.at;
      this.#down(0);
    }
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
      if (this.#at(parent).place <= this.#at(child).place) return;
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
      if (left < n && this.#at(left).place < this.#at(least).place) least = left;
      if (right < n && this.#at(right).place < this.#at(least).place) least = right;
      if (least === parent) return;
      this.#swap(parent, least);
      parent = least;
    }
  }
}
