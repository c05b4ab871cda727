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
// - Once `unindexedMost` pings are listed, a pass runs, in steps of about `stepEntries` entries,
//   one transaction each, queued behind the event loop's other work so that none holds it long:
//     1. it takes P = the newest stored ping, and the monitors with listed pings, in order;
//     2. each step adds the entries of the next monitors up to P, and prunes a monitor to
//        keep-pings once enough of its pings were indexed since its last prune;
//     3. the last step also sets upto = P; once it has committed, the lists drop what it indexed.
//   A crash mid-pass loses nothing: upto was not moved, the next start lists those pings again,
//   and an entry added twice is ignored.
//
// A list may hold the id of a ping whose transaction rolled back: reads and the pass look each id
// up with its monitor, so such an id is skipped; one that SQLite hands out again to the same
// monitor is taken off the list before it is added again.
import type Database from 'better-sqlite3';

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
  /** A step committed: its writes are to be made durable soon. */
  wrote(): void;
}

// A step of 250 entries held the loop for 0.6 ms (median; 2.4 ms at most) with 3 000 000 pings of
// history over 10 000 monitors, about 3 µs per entry; steps of 1 000 for 2.3 ms (4.5 ms), for a
// total only 7% lower. Timed in-process, step by step, on this project's 2-core machine.
const DEFAULT_LIMITS: PingIndexLimits = { unindexedMost: 65_536, stepEntries: 250 };
/**
 * How long a step waits for the WAL to drain, or after it failed (the database locked by another
 * process, a full disk: the group commit reports those) before it tries again.
 */
const WAIT_MS = 10;
const RETRY_MS = 1_000;

interface Pass {
  readonly upto: number;
  readonly monitors: readonly number[];
  next: number;
}

export class PingIndex {
  readonly #statements;
  readonly #hooks: PassHooks;
  readonly #limits: PingIndexLimits;
  readonly #step: (pass: Pass) => void;
  /** Every ping up to this id has its entry in ping_index. */
  #upto: number;
  /** The ids of pings above upto, by monitor, ascending. */
  readonly #lists = new Map<number, number[]>();
  #listed = 0;
  /** Entries added per monitor since its last prune. */
  readonly #sincePrune = new Map<number, number>();
  #keep = 1000;
  #pass: Pass | null = null;
  #timer: NodeJS.Immediate | NodeJS.Timeout | null = null;

  constructor(db: Database.Database, hooks: PassHooks, limits: Partial<PingIndexLimits> = {}) {
    this.#hooks = hooks;
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
    this.#statements = {
      addEntry: db.prepare(
        `INSERT OR IGNORE INTO ping_index (monitor_id, id)
         SELECT monitor_id, id FROM pings WHERE id = ? AND monitor_id = ?`,
      ),
      // The newest ping past the `keep` newest: it and every older one go.
      cutoff: db
        .prepare('SELECT id FROM ping_index WHERE monitor_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?')
        .pluck(),
      // A restart takes the last ping and success times from the row or the newest pings, whichever
      // is newer (see Store.loadMonitors): the row takes up what the pings pruned told.
      keepTimes: db.prepare(
        `UPDATE monitors SET
           last_ping_at = max(coalesce(last_ping_at, d.ping_at), coalesce(d.ping_at, last_ping_at)),
           last_success_at = max(coalesce(last_success_at, d.success_at),
             coalesce(d.success_at, last_success_at))
         FROM (SELECT max(CASE WHEN p.kind <> 'log' THEN p.at END) AS ping_at,
                 max(CASE WHEN p.kind = 'success' THEN p.at END) AS success_at
               FROM ping_index i JOIN pings p ON p.id = i.id
               WHERE i.monitor_id = @monitorId AND i.id <= @cutoff) AS d
         WHERE monitors.id = @monitorId`,
      ),
      deletePings: db.prepare(
        'DELETE FROM pings WHERE id IN (SELECT id FROM ping_index WHERE monitor_id = ? AND id <= ?)',
      ),
      deleteEntries: db.prepare('DELETE FROM ping_index WHERE monitor_id = ? AND id <= ?'),
      setUpto: db.prepare('UPDATE ping_index_state SET upto = ?'),
      newestId: db.prepare('SELECT max(id) FROM pings').pluck(),
    };
    this.#step = db.transaction((pass: Pass) => this.#addEntries(pass));
    this.#upto = db.prepare('SELECT upto FROM ping_index_state').pluck().get() as number;
    const tail = db.prepare('SELECT monitor_id, id FROM pings WHERE id > ? ORDER BY id').raw();
    for (const [monitorId, id] of tail.iterate(this.#upto) as IterableIterator<[number, number]>) {
      this.#list(monitorId, id);
    }
  }

  /** Every ping up to this id has its entry in ping_index. */
  get upto(): number {
    return this.#upto;
  }

  /** Pings stored and not indexed yet (ids of rolled-back pings included until a pass). */
  get listed(): number {
    return this.#listed;
  }

  /** Pings kept per monitor (config.server.keepPings); applied at each monitor's next prune. */
  set keepPings(keep: number) {
    this.#keep = keep;
  }

  /** A ping was stored, inside its transaction, under `id`. */
  added(monitorId: number, id: number): void {
    this.#list(monitorId, id);
    if (this.#listed >= this.#limits.unindexedMost && this.#timer === null) this.#schedule(0);
  }

  #list(monitorId: number, id: number): void {
    let list = this.#lists.get(monitorId);
    if (list === undefined) {
      list = [];
      this.#lists.set(monitorId, list);
    }
    // An id SQLite hands out again was that of a ping whose transaction rolled back.
    while (list.length > 0 && (list[list.length - 1] as number) >= id) {
      list.pop();
      this.#listed--;
    }
    list.push(id);
    this.#listed++;
  }

  /** The ids of a monitor's pings not indexed yet and below `before`, newest first. */
  *unindexed(monitorId: number, before: number): Generator<number, void, void> {
    const list = this.#lists.get(monitorId);
    if (list === undefined) return;
    for (let i = list.length - 1; i >= 0; i--) {
      const id = list[i] as number;
      if (id < before) yield id;
    }
  }

  /** Runs passes until every stored ping is indexed (a pass otherwise waits for enough pings). */
  indexAll(): void {
    do this.step();
    while (this.#pass !== null);
  }

  /** Runs one step of the pass, starting one if none is under way. */
  step(): void {
    const pass = (this.#pass ??= this.#start());
    const from = pass.next;
    try {
      this.#step(pass);
    } catch (error) {
      // Rolled back: the step's monitors are indexed again by the next try.
      pass.next = from;
      throw error;
    }
    this.#hooks.wrote();
    if (pass.next < pass.monitors.length) return;
    this.#finish(pass);
  }

  /** 1. */
  #start(): Pass {
    const newest = this.#statements.newestId.get() as number | null;
    const monitors = [...this.#lists.keys()].sort((a, b) => a - b);
    return { upto: Math.max(newest ?? 0, this.#upto), monitors, next: 0 };
  }

  /** 2., inside the step's transaction. */
  #addEntries(pass: Pass): void {
    let entries = 0;
    while (pass.next < pass.monitors.length && entries < this.#limits.stepEntries) {
      const monitorId = pass.monitors[pass.next++] as number;
      const list = this.#lists.get(monitorId) ?? [];
      let added = 0;
      for (const id of list) {
        if (id > pass.upto) break;
        this.#statements.addEntry.run(id, monitorId);
        added++;
      }
      entries += added + 1;
      const since = (this.#sincePrune.get(monitorId) ?? 0) + added;
      if (since < Math.max(10, this.#keep / 10)) this.#sincePrune.set(monitorId, since);
      else {
        this.#prune(monitorId);
        this.#sincePrune.delete(monitorId);
      }
    }
    if (pass.next === pass.monitors.length) this.#statements.setUpto.run(pass.upto);
  }

  /** Deletes all but the newest `keep` indexed pings of a monitor. */
  #prune(monitorId: number): void {
    const cutoff = this.#statements.cutoff.get(monitorId, this.#keep) as number | undefined;
    if (cutoff === undefined) return;
    this.#statements.keepTimes.run({ monitorId, cutoff });
    this.#statements.deletePings.run(monitorId, cutoff);
    this.#statements.deleteEntries.run(monitorId, cutoff);
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

  #schedule(waitMs: number): void {
    const run = (): void => {
      this.#timer = null;
      this.#runStep();
    };
    this.#timer = waitMs === 0 ? setImmediate(run) : setTimeout(run, waitMs);
  }

  #runStep(): void {
    if (this.#pass === null && this.#listed < this.#limits.unindexedMost) return;
    if (!this.#hooks.mayWrite()) return this.#schedule(WAIT_MS);
    try {
      this.step();
    } catch {
      return this.#schedule(RETRY_MS);
    }
    if (this.#pass !== null || this.#listed >= this.#limits.unindexedMost) this.#schedule(0);
  }

  /** Stops the pass; the next start goes on from upto. */
  close(): void {
    if (this.#timer === null) return;
    clearTimeout(this.#timer as NodeJS.Timeout);
    clearImmediate(this.#timer as NodeJS.Immediate);
    this.#timer = null;
  }
}
