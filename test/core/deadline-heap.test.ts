import { describe, expect, it } from 'vitest';
import { DeadlineHeap } from '../../src/core/deadline-heap.js';

// A tiny deterministic PRNG so a failure can be replayed.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('DeadlineHeap', () => {
  it('pops due keys earliest first and leaves later ones', () => {
    const heap = new DeadlineHeap();
    heap.upsert('c', 30);
    heap.upsert('a', 10);
    heap.upsert('b', 20);
    expect(heap.popDue(20)).toEqual(['a', 'b']);
    expect(heap.peek()).toEqual({ key: 'c', at: 30 });
    expect(heap.popDue(29)).toEqual([]);
  });

  it('moves a key when it is upserted again, earlier or later', () => {
    const heap = new DeadlineHeap();
    heap.upsert('a', 10);
    heap.upsert('b', 20);
    heap.upsert('a', 30);
    expect(heap.peek()?.key).toBe('b');
    heap.upsert('a', 5);
    expect(heap.peek()).toEqual({ key: 'a', at: 5 });
    expect(heap.size).toBe(2);
  });

  it('moves a deadline that moved later only when it comes within the horizon', () => {
    const heap = new DeadlineHeap();
    heap.upsert('a', 10);
    heap.upsert('b', 20);
    for (let at = 11; at <= 1000; at++) heap.upsert('a', at);
    expect(heap.get('a')).toBe(1000);
    // Not yet settled: a lower bound past the horizon, and nothing due.
    expect(heap.peek(5)).toEqual({ key: 'a', at: 10 });
    expect(heap.popDue(15)).toEqual([]);
    expect(heap.popDue(20)).toEqual(['b']);
    expect(heap.peek()).toEqual({ key: 'a', at: 1000 });
  });

  it('removes keys from anywhere in the heap', () => {
    const heap = new DeadlineHeap();
    for (let i = 0; i < 10; i++) heap.upsert(`k${i}`, i);
    expect(heap.remove('k0')).toBe(true);
    expect(heap.remove('k5')).toBe(true);
    expect(heap.remove('nope')).toBe(false);
    expect(heap.popDue(100)).toEqual(['k1', 'k2', 'k3', 'k4', 'k6', 'k7', 'k8', 'k9']);
  });

  it.each([1, 2, 3, 4, 5])(
    'matches a sorted reference under random upserts and removals (seed %i)',
    (seed) => {
      const random = rng(seed);
      const heap = new DeadlineHeap();
      const reference = new Map<string, number>();
      for (let step = 0; step < 5000; step++) {
        const key = `k${Math.floor(random() * 300)}`;
        const op = random();
        if (op < 0.6) {
          const at = Math.floor(random() * 10_000);
          heap.upsert(key, at);
          reference.set(key, at);
        } else if (op < 0.85) {
          expect(heap.remove(key)).toBe(reference.delete(key));
        } else {
          const now = Math.floor(random() * 10_000);
          const due = heap.popDue(now);
          const expected = [...reference].filter(([, at]) => at <= now);
          expect(due.length).toBe(expected.length);
          expect(due.map((k) => reference.get(k))).toEqual(
            expected.map(([, at]) => at).sort((a, b) => a - b),
          );
          for (const k of due) reference.delete(k);
        }
        expect(heap.size).toBe(reference.size);
        const min = Math.min(...reference.values());
        // Up to a horizon: exact when the earliest deadline is within it, else after the horizon.
        const horizon = Math.floor(random() * 10_000);
        const bounded = heap.peek(horizon)?.at ?? Infinity;
        if (min <= horizon) expect(bounded).toBe(min);
        else expect(bounded > horizon && bounded <= min).toBe(true);
        if (random() < 0.5) expect(heap.peek()?.at ?? Infinity).toBe(min);
      }
    },
  );
});
