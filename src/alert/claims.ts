// The outbox rows the dispatcher has taken and not yet recorded, per hook. Claiming several due
// rows per query and starting the next one from memory when a delivery finishes keeps an alert
// storm from costing an outbox query per alert. Only the dispatcher's memory knows of a claim: the
// rows stay pending in the database, so a crash delivers them again (at least once).
import type { OutboxItem } from '../engine/ports.js';

export class Claims {
  /** Claimed outbox ids (queued, running, or finished and not yet recorded), to their hook. */
  readonly #ids = new Map<number, string>();
  readonly #queues = new Map<string, OutboxItem[]>();
  readonly #running = new Map<string, number>();
  readonly #byHook = new Map<string, Set<number>>();

  /** Queues `items` for `hook`; they count as busy until released. */
  claim(hook: string, items: readonly OutboxItem[]): void {
    if (items.length === 0) return;
    let queue = this.#queues.get(hook);
    if (queue === undefined) this.#queues.set(hook, (queue = []));
    let ids = this.#byHook.get(hook);
    if (ids === undefined) this.#byHook.set(hook, (ids = new Set()));
    for (const item of items) {
      this.#ids.set(item.id, hook);
      ids.add(item.id);
      queue.push(item);
    }
  }

  /** The next queued item of `hook`, now counted as running. */
  startNext(hook: string): OutboxItem | undefined {
    const item = this.#queues.get(hook)?.shift();
    if (item !== undefined) this.#running.set(hook, this.running(hook) + 1);
    return item;
  }

  /** Up to `max` queued items of `hook`, taken as one delivery (a group), now counted as running. */
  startGroup(hook: string, max: number): OutboxItem[] {
    const items = this.#queues.get(hook)?.splice(0, max) ?? [];
    if (items.length > 0) this.#running.set(hook, this.running(hook) + 1);
    return items;
  }

  /** A running delivery finished: its slot is free, its id stays claimed until `release`. */
  finished(hook: string): void {
    this.#running.set(hook, this.running(hook) - 1);
  }

  /** Forgets a claim: the row was recorded, or is held back, or is left pending. */
  release(id: number): void {
    const hook = this.#ids.get(id);
    if (hook === undefined) return;
    this.#ids.delete(id);
    const ids = this.#byHook.get(hook);
    ids?.delete(id);
    if (ids?.size === 0) {
      this.#byHook.delete(hook);
      this.#queues.delete(hook);
      this.#running.delete(hook);
    }
  }

  /** Forgets the queued (not yet started) items of `hook`; returns how many there were. */
  drop(hook: string): number {
    const queue = this.#queues.get(hook) ?? [];
    const dropped = queue.splice(0);
    for (const item of dropped) this.release(item.id);
    return dropped.length;
  }

  has(id: number): boolean {
    return this.#ids.has(id);
  }

  queued(hook: string): number {
    return this.#queues.get(hook)?.length ?? 0;
  }

  running(hook: string): number {
    return this.#running.get(hook) ?? 0;
  }

  /** How many of the hook's rows are claimed: while any is, a completion wakes the hook. */
  claimed(hook: string): number {
    return this.#byHook.get(hook)?.size ?? 0;
  }

  /** Hooks with a claim, including hooks that have since left the config. */
  hooks(): IterableIterator<string> {
    return this.#byHook.keys();
  }

  /** The hook's claimed ids (an outbox query for one hook needs to leave out only those). */
  idsOf(hook: string): Iterable<number> {
    return this.#byHook.get(hook) ?? [];
  }
}
