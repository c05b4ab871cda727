// Group commit: every ping that arrives in one event-loop turn is written in one transaction, and
// each is acknowledged only after that transaction commits. One fsync then covers many pings, so
// durability costs little throughput.
import type { Database } from 'better-sqlite3';

export type Done = (error: Error | null) => void;

/**
 * Writes a batch inside the transaction and returns what to do once it has committed (publish the
 * new state in memory); if the transaction throws, that is never called.
 */
export type WriteBatch<T> = (items: readonly T[]) => () => void;

export class GroupCommit<T> {
  #items: T[] = [];
  #done: Done[] = [];
  #scheduled = false;
  readonly #run: (items: readonly T[]) => () => void;

  constructor(db: Database, write: WriteBatch<T>) {
    this.#run = db.transaction(write);
  }

  get pending(): number {
    return this.#items.length;
  }

  submit(item: T, done: Done): void {
    this.#items.push(item);
    this.#done.push(done);
    if (!this.#scheduled) {
      this.#scheduled = true;
      // setImmediate runs after this turn's I/O callbacks: all requests read in one poll phase
      // land in one batch.
      setImmediate(() => this.flush());
    }
  }

  /** Commits what is queued now. Called by the loop, and on shutdown. */
  flush(): void {
    this.#scheduled = false;
    if (this.#items.length === 0) return;
    const items = this.#items;
    const done = this.#done;
    this.#items = [];
    this.#done = [];
    let publish: () => void;
    try {
      publish = this.#run(items);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      for (const d of done) d(err);
      return;
    }
    publish();
    for (const d of done) d(null);
  }
}
