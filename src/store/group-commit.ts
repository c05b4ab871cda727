// Group commit: every ping that arrives in one event-loop turn is written in one transaction, and
// each is acknowledged only after that transaction is on disk. One fsync then covers many pings,
// so durability costs little throughput; the fsync runs off the loop (see wal-sync.ts), and the
// next batch commits while the previous one's fsync runs.
import type { Synced } from './wal-sync.js';

export type Done = (error: Error | null) => void;

/**
 * Writes a batch inside the transaction and returns what to do once it has committed (publish the
 * new state in memory); if the transaction throws, that is never called. An item it does not write
 * is `refuse`d with the reason, which its caller gets instead of an acknowledgement.
 */
export type WriteBatch<T> = (
  items: readonly T[],
  refuse: (index: number, reason: Error) => void,
) => () => void;

/** Where a batch is written: Store.writeBatch, a transaction that leaves durability to afterCommit. */
export interface BatchTransactions {
  writeBatch<R>(fn: () => R): R;
}

/** How a committed batch becomes durable: WalSync, or a stand-in in tests. */
export interface Durability {
  /** Calls `synced` once everything committed so far is on disk. */
  afterCommit(synced: Synced): void;
  /** True while commits should wait; `whenWritable` says when they may go on. */
  readonly draining: boolean;
  whenWritable(resume: () => void): void;
}

export class GroupCommit<T> {
  #items: T[] = [];
  #done: Done[] = [];
  #scheduled = false;
  readonly #transactions: BatchTransactions;
  readonly #write: WriteBatch<T>;
  readonly #durability: Durability;

  constructor(transactions: BatchTransactions, write: WriteBatch<T>, durability: Durability) {
    this.#transactions = transactions;
    this.#write = write;
    this.#durability = durability;
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
    if (this.#items.length === 0) {
      this.#scheduled = false;
      return;
    }
    if (this.#durability.draining) {
      // Stays scheduled: the items wait for the checkpoint to reach the end of the WAL.
      this.#durability.whenWritable(() => this.flush());
      return;
    }
    this.#scheduled = false;
    const items = this.#items;
    const done = this.#done;
    this.#items = [];
    this.#done = [];
    let publish: () => void;
    const refused = new Map<number, Error>();
    try {
      const refuse = (index: number, reason: Error) => refused.set(index, reason);
      publish = this.#transactions.writeBatch(() => this.#write(items, refuse));
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      for (const d of done) d(err);
      return;
    }
    // The commit is visible to every reader of the database now, so memory follows it at once;
    // the answers wait until it is durable. Should that fsync fail, the clients get 503 and
    // retry a ping that may then be stored twice: never acknowledged and lost.
    // The answers are bound to the fsync first, so that a bug in publishing can never leave a
    // committed batch unanswered.
    // A refused item was not written: it never gets an acknowledgement, only its reason.
    this.#durability.afterCommit((error) => {
      for (let i = 0; i < done.length; i++) done[i]?.(refused.get(i) ?? error);
    });
    publish();
  }
}
