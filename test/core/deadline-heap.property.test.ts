// DeadlineHeap against a reference model (a Map of key -> deadline) under random sequences of
// upserts, removals, pops and peeks. The heap documents no order among equal deadlines, so ties
// may come out in any order; everything else must agree with the model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineHeap } from '../../src/core/deadline-heap.js';

type Op =
  | { readonly op: 'upsert'; readonly key: string; readonly at: number }
  /** Moves an existing key's deadline later, as every ping does: the heap's lazy path. */
  | { readonly op: 'later'; readonly key: string; readonly by: number }
  | { readonly op: 'remove'; readonly key: string }
  | { readonly op: 'popDue'; readonly now: number }
  | { readonly op: 'peek'; readonly horizon: number };

// Few keys and a narrow range of times: keys come back after removal, and deadlines tie often.
const KEYS = Array.from({ length: 24 }, (_, i) => `k${i}`);
const key = fc.constantFrom(...KEYS);
const time = fc.integer({ min: 0, max: 60 });

const op = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('upsert'), key, at: time }) },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('later'), key, by: fc.integer({ min: 0, max: 20 }) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove'), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('popDue'), now: time }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('peek'),
      horizon: fc.oneof(time, fc.constant(Infinity)),
    }),
  },
) satisfies fc.Arbitrary<Op>;
// Up to 300 steps: size 'max', as fast-check's default size keeps arrays to about ten elements,
// too few to build the heaps (a dozen entries, some moved) that hide misplaced entries.
const ops = fc.array(op, { maxLength: 300, size: 'max' });

/** The model's entries sorted by deadline; ties keep no particular order. */
function sortedTimes(model: ReadonlyMap<string, number>): number[] {
  return [...model.values()].sort((a, b) => a - b);
}

/** Applies `o` to both, checking what the heap answers against the model. */
function step(heap: DeadlineHeap, model: Map<string, number>, o: Op): void {
  switch (o.op) {
    case 'upsert':
      heap.upsert(o.key, o.at);
      model.set(o.key, o.at);
      break;
    case 'later': {
      const at = model.get(o.key);
      if (at === undefined) break;
      heap.upsert(o.key, at + o.by);
      model.set(o.key, at + o.by);
      break;
    }
    case 'remove':
      expect(heap.remove(o.key)).toBe(model.delete(o.key));
      break;
    case 'popDue': {
      const due = heap.popDue(o.now);
      // Exactly the keys due by `now`, each once, earliest first.
      const expected = [...model].filter(([, at]) => at <= o.now).map(([k]) => k);
      expect([...due].sort()).toEqual(expected.sort());
      const times = due.map((k) => model.get(k) ?? NaN);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      for (const k of due) model.delete(k);
      break;
    }
    case 'peek': {
      // Up to a horizon: exact when the earliest deadline is within it; otherwise a time after
      // the horizon and no later than the earliest deadline (nothing falls due before it).
      const min = Math.min(...model.values());
      const bounded = heap.peek(o.horizon);
      if (model.size === 0) expect(bounded).toBeUndefined();
      else if (min <= o.horizon) {
        expect(bounded?.at).toBe(min);
        expect(model.get(bounded?.key ?? '')).toBe(min);
      } else {
        expect(bounded?.at).toBeGreaterThan(o.horizon);
        expect(bounded?.at).toBeLessThanOrEqual(min);
      }
      break;
    }
  }
}

/**
 * What must hold between any two steps: the same entries. (The earliest deadline is checked by the
 * peek steps only: a peek settles moved entries, and peeking after every step would leave the
 * heap's lazy path, where a moved entry sits above its deadline, mostly unexercised.)
 */
function agree(heap: DeadlineHeap, model: ReadonlyMap<string, number>): void {
  const inHeap = KEYS.filter((k) => heap.has(k)).map((k) => [k, heap.get(k)]);
  const inModel = KEYS.filter((k) => model.has(k)).map((k) => [k, model.get(k)]);
  expect({ size: heap.size, entries: inHeap }).toEqual({ size: model.size, entries: inModel });
}

describe('DeadlineHeap against a reference model', () => {
  it('agrees with the model on its entries after every step, and on the earliest deadline when peeked', () => {
    fc.assert(
      fc.property(ops, (steps) => {
        const heap = new DeadlineHeap();
        const model = new Map<string, number>();
        for (const o of steps) {
          step(heap, model, o);
          agree(heap, model);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('pops the live entries in the order of their deadlines, ties in any order', () => {
    fc.assert(
      fc.property(ops, (steps) => {
        const heap = new DeadlineHeap();
        const model = new Map<string, number>();
        for (const o of steps) step(heap, model, o);
        // Draining pops every live entry once, in the model's sorted order.
        const popped = heap.popDue(Infinity);
        expect([...popped].sort()).toEqual([...model.keys()].sort());
        expect(popped.map((k) => model.get(k))).toEqual(sortedTimes(model));
        expect(heap.size).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
