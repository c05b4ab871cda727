// Pings indexed by monitor in bulk, off the hot path.
//
// A monitor's page, the API and a restart read a monitor's pings newest first. An index on
// pings(monitor_id, id) gave that at a price paid by every ping: its entry lands on its monitor's
// leaf of the index, so with many monitors each stored ping dirtied a 4 KiB page of its own,
// written to the WAL at the commit and again by the checkpoint (see docs/performance.md). So a ping
// is now one append to the table, and its entry is added to ping_index later, with thousands of
// others sorted by monitor: a leaf is written once per pass, not once per ping.
//
// - The pings not indexed yet (id > upto) are listed in memory, by monitor: a read takes a
//   monitor's newest pings from its list first (each looked up by id), then from ping_index (ids up
//   to upto). The lists are rebuilt at start by one scan of the table's tail.
// - Once `unindexedMost` pings are listed, a pass runs, in steps of about `stepEntries` entries
//   added or pings pruned, one transaction each, queued behind the event loop's other work so
//   that none holds it long:
//     1. it takes P = the newest stored ping, and the monitors with listed pings, in order;
//     2. each step adds the entries of the next monitors up to P, and prunes a monitor to
//        keep-pings once enough of its pings were indexed since its last prune
//        (ping-index-pass.ts);
//     3. the last step also sets upto = P; once it has committed, the lists drop what it indexed.
//   A crash mid-pass loses nothing: upto was not moved, the next start lists those pings again,
//   and an entry added twice is ignored.
//
// A ping is listed only once its transaction has committed (Store.writeBatch settles them): the id
// of a rolled-back ping, which SQLite may hand out again, is never on a list, and the pass adds
// each listed id's entry without reading the ping.
import type Database from 'better-sqlite3';
import { PassSteps, type Pass } from './ping-index-pass.js';

export interface PingIndexLimits {
  /** A pass starts once this many pings are listed (not indexed yet). */
  readonly unindexedMost: number;
  /** Entries added per step (one transaction). */
  readonly stepEntries: number;
}

/** How the pass fits in with the store: when it may write, and what follows a write. */
export interface PassHooks {
  /** False while commits must wait (a draining checkpoint, see wal-sync.ts). */
  mayWrite(): boolean;
  /** Calls `resume` once commits may go on; starts a drain if none is under way. */
  whenWritable(resume: () => void): void;
  /** A step committed: its writes are to be made durable soon. */
  wrote(): void;
  /**
   * A step failed (the database locked by another process, a full disk): it is tried again a
   * second later. Null: a step succeeded after one failed.
   */
  failed(error: Error | null): void;
}

// A step of 250 entries held the loop for 0.6 ms (median; 2.4 ms at most) with 3 000 000 pings of
// history over 10 000 monitors, about 3 µs per entry; steps of 1 000 for 2.3 ms (4.5 ms), for a
// total only 7% lower. Timed in-process, step by step, on this project's 2-core machine.
const DEFAULT_LIMITS: PingIndexLimits = { unindexedMost: 65_536, stepEntries: 250 };
/** How long after a failed step the next try comes. */
const RETRY_MS = 1_000;

export class PingIndex {
  readonly #steps: PassSteps;
  readonly #hooks: PassHooks;
  readonly #limits: PingIndexLimits;
  readonly #db: Database.Database;
  readonly #newestId: Database.Statement;
  /** Every ping up to this id has its entry in ping_index. */
  #upto: number;
  /** The ids of pings above upto, by monitor, ascending. */
  readonly #lists = new Map<number, number[]>();
  #listed = 0;
  /** Pings stored in the open transaction, as monitor id, ping id, ...: listed once it commits. */
  readonly #tentative: number[] = [];
  /** Entries added per monitor since its last prune. */
  readonly #sincePrune = new Map<number, number>();
  #keep = 1000;
  #pass: Pass | null = null;
  /** The next step, queued behind the loop's other work... */
  #immediate: NodeJS.Immediate | null = null;
  /** ...or a second after a step failed... */
  #retry: NodeJS.Timeout | null = null;
  /** ...or once the WAL has drained. */
  #awaitingDrain = false;
  /** The last step failed. */
  #failing = false;
  #closed = false;

  constructor(db: Database.Database, hooks: PassHooks, limits: Partial<PingIndexLimits> = {}) {
    this.#db = db;
    this.#hooks = hooks;
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
    this.#steps = new PassSteps(db);
    this.#newestId = db.prepare('SELECT max(id) FROM pings').pluck();
    this.#upto = db.prepare('SELECT upto FROM ping_index_state').pluck().get() as number;
    const tail = db.prepare('SELECT monitor_id, id FROM pings WHERE id > ? ORDER BY id').raw();
    for (const [monitorId, id] of tail.iterate(this.#upto) as IterableIterator<[number, number]>) {
      this.#list(monitorId, id);
    }
    this.#queueIfDue();
  }

  /** Every ping up to this id has its entry in ping_index. */
  get upto(): number {
    return this.#upto;
  }

  /** Pings stored and not indexed yet. */
  get listed(): number {
    return this.#listed;
  }

  /** Pings kept per monitor (config.server.keepPings); applied at each monitor's next prune. */
  set keepPings(keep: number) {
    this.#keep = keep;
  }

  /**
   * A ping was stored under `id`: listed at once when it was committed already (no transaction was
   * open), else once its transaction commits (settle).
   */
  added(monitorId: number, id: number, inTransaction: boolean): void {
    if (inTransaction) this.#tentative.push(monitorId, id);
    else {
      this.#list(monitorId, id);
      this.#queueIfDue();
    }
  }

  /** Where the pings stored from now on begin, for undo(). */
  mark(): number {
    return this.#tentative.length;
  }

  /** The transaction (or savepoint) begun at `mark` rolled back: its pings were never stored. */
  undo(mark: number): void {
    this.#tentative.length = mark;
  }

  /** The transaction committed: its pings are listed. */
  settle(): void {
    const t = this.#tentative;
    if (t.length === 0) return;
    for (let i = 0; i < t.length; i += 2) this.#list(t[i] as number, t[i + 1] as number);
    t.length = 0;
    this.#queueIfDue();
  }

  #list(monitorId: number, id: number): void {
    let list = this.#lists.get(monitorId);
    if (list === undefined) {
      list = [];
      this.#lists.set(monitorId, list);
    }
    list.push(id);
    this.#listed++;
  }

  /** The ids of a monitor's pings not indexed yet and below `before`, newest first. */
  *unindexed(monitorId: number, before: number): Generator<number, void, void> {
    const list = this.#lists.get(monitorId);
    if (list === undefined) return;
    // The first id at or above `before` (a binary search: a page deep in a long list).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as number) < before) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) yield list[i] as number;
  }

  /** Runs passes until every stored ping is indexed (a pass otherwise waits for enough pings). */
  indexAll(): void {
    do this.step();
    while (this.#pass !== null);
  }

  /** Runs one step of the pass, starting one if none is under way. */
  step(): void {
    // Inside a transaction, the pass would take its pings as stored before they are listed.
    if (this.#db.inTransaction) throw new Error('the ping index steps outside any transaction');
    const pass = (this.#pass ??= this.#start());
    const done = this.#steps.step(pass, {
      lists: this.#lists,
      sincePrune: this.#sincePrune,
      keep: this.#keep,
      budget: Math.max(2, this.#limits.stepEntries),
    });
    this.#hooks.wrote();
    if (done) this.#finish(pass);
  }

  /** 1. */
  #start(): Pass {
    const newest = this.#newestId.get() as number | null;
    const monitors = [...this.#lists.keys()].sort((a, b) => a - b);
    return { upto: Math.max(newest ?? 0, this.#upto), monitors, next: 0, at: 0, pruneTo: null };
  }

  /** 3., once the last step has committed. */
  #finish(pass: Pass): void {
    this.#pass = null;
    this.#upto = pass.upto;
    for (const [monitorId, list] of this.#lists) {
      let i = 0;
      while (i < list.length && (list[i] as number) <= pass.upto) i++;
      this.#listed -= i;
      if (i === list.length) this.#lists.delete(monitorId);
      else if (i > 0) list.splice(0, i);
    }
  }

  #queueIfDue(): void {
    if (this.#closed || this.#immediate !== null || this.#retry !== null || this.#awaitingDrain)
      return;
    if (this.#pass === null && this.#listed < this.#limits.unindexedMost) return;
    this.#immediate = setImmediate(() => {
      this.#immediate = null;
      this.#runStep();
    });
  }

  #runStep(): void {
    if (this.#closed) return;
    if (!this.#hooks.mayWrite()) {
      // Writing now would keep the WAL from draining: wait for the drain, and ask for one.
      this.#awaitingDrain = true;
      return this.#hooks.whenWritable(() => {
        this.#awaitingDrain = false;
        this.#runStep();
      });
    }
    try {
      this.step();
      if (this.#failing) this.#hooks.failed(null);
      this.#failing = false;
    } catch (error) {
      this.#failing = true;
      this.#hooks.failed(error instanceof Error ? error : new Error(String(error)));
      this.#retry = setTimeout(() => {
        this.#retry = null;
        this.#runStep();
      }, RETRY_MS);
      return;
    }
    this.#queueIfDue();
  }

  /** Stops the pass; the next start goes on from upto. */
  close(): void {
    this.#closed = true;
    if (this.#immediate !== null) clearImmediate(this.#immediate);
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#immediate = null;
    this.#retry = null;
  }
}
