// The last N bytes of a stream, in memory bounded by N however much a job prints: a ring buffer
// that grows on demand (most jobs print little) and never past its capacity.

const MIN_ALLOCATION = 4096;

export class TailBuffer {
  #capacity: number;
  #ring: Buffer = Buffer.alloc(0);
  /** Where the oldest kept byte is in #ring. */
  #start = 0;
  #length = 0;
  #seen = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Bytes kept, at most the capacity. */
  get length(): number {
    return this.#length;
  }

  /** Bytes pushed in all, kept or not. */
  get seen(): number {
    return this.#seen;
  }

  push(chunk: Uint8Array): void {
    this.#seen += chunk.length;
    if (this.#capacity === 0 || chunk.length === 0) return;
    // A chunk as large as the whole buffer replaces it: only its own tail survives.
    if (chunk.length >= this.#capacity) {
      this.#ring = Buffer.from(chunk.subarray(chunk.length - this.#capacity));
      this.#start = 0;
      this.#length = this.#capacity;
      return;
    }
    this.#reserve(this.#length + chunk.length);
    const size = this.#ring.length;
    const end = (this.#start + this.#length) % size;
    const first = Math.min(chunk.length, size - end);
    this.#ring.set(chunk.subarray(0, first), end);
    this.#ring.set(chunk.subarray(first), 0);
    this.#length += chunk.length;
    if (this.#length > size) {
      // The write wrapped over the oldest bytes.
      this.#start = (this.#start + this.#length - size) % size;
      this.#length = size;
    }
  }

  /** Lowers (or raises) the capacity; lowering keeps the tail and frees the rest. */
  setCapacity(capacity: number): void {
    this.#capacity = capacity;
    if (this.#ring.length > capacity) this.#relocate(capacity, Math.min(this.#length, capacity));
  }

  /** The last `max` bytes kept (all of them by default), oldest first. */
  tail(max = this.#length): Buffer {
    const n = Math.min(max, this.#length);
    const out = Buffer.alloc(n);
    const size = this.#ring.length;
    const from = size === 0 ? 0 : (this.#start + this.#length - n) % size;
    const first = Math.min(n, size - from);
    this.#ring.copy(out, 0, from, from + first);
    this.#ring.copy(out, first, 0, n - first);
    return out;
  }

  /** Grows the ring (doubling, up to the capacity) so `needed` bytes fit, if they may. */
  #reserve(needed: number): void {
    const size = this.#ring.length;
    if (size >= Math.min(needed, this.#capacity)) return;
    const grown = Math.min(this.#capacity, Math.max(needed, size * 2, MIN_ALLOCATION));
    this.#relocate(grown, this.#length);
  }

  /** Moves the last `keep` bytes to the front of a fresh ring of `size` bytes. */
  #relocate(size: number, keep: number): void {
    const kept = this.tail(keep);
    this.#ring = Buffer.alloc(size);
    kept.copy(this.#ring, 0);
    this.#start = 0;
    this.#length = kept.length;
  }
}
