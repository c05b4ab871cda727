// One pass of the ping index (see ping-index.ts): the entries of the pings listed up to the pass's
// `upto`, added monitor by monitor, and each monitor pruned to keep-pings once enough of its pings
// were indexed since its last prune. A step does at most `budget` units of work (an entry added, a
// ping pruned, a monitor visited), so that no step holds the event loop long, however many pings
// one monitor has: a step can stop inside a monitor's list or inside its prune, and the next one
// goes on from there. A step is one transaction: if it fails, its place is put back and nothing it
// counted is kept.
import type Database from 'better-sqlite3';

/** Where a pass stands. */
export interface PassPlace {
  /** The index in `monitors` of the monitor being indexed. */
  next: number;
  /** How far into that monitor's list its entries are added. */
  at: number;
  /**
   * Its entries are in and its prune goes on, down to this id (the newest past the `keep` newest,
   * found once per prune: finding it reads `keep` entries); null when it is not being pruned.
   */
  pruneTo: number | null;
}

export interface Pass extends PassPlace {
  /** The newest stored ping when the pass began: every ping up to it gets its entry. */
  readonly upto: number;
  /** The monitors with listed pings when the pass began, in order. */
  readonly monitors: readonly number[];
}

/** What a step reads of the index's memory, and the keep-pings it prunes to. */
export interface PassInput {
  readonly lists: ReadonlyMap<number, readonly number[]>;
  /** Entries added per monitor since its last prune (committed steps only). */
  readonly sincePrune: Map<number, number>;
  readonly keep: number;
  readonly budget: number;
}

const NO_IDS: readonly number[] = [];

export class PassSteps {
  readonly #statements;
  readonly #run: (pass: Pass, input: PassInput, since: Map<number, number>) => void;

  constructor(db: Database.Database) {
    this.#statements = {
      // Only committed pings are listed (see ping-index.ts): the ping is not read. An entry a pass
      // cut short by a crash added already is added again by the next one, and ignored.
      addEntry: db.prepare('INSERT OR IGNORE INTO ping_index (id, monitor_id) VALUES (?, ?)'),
      // The newest ping past the `keep` newest: it and every older one go.
      cutoff: db
        .prepare('SELECT id FROM ping_index WHERE monitor_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?')
        .pluck() as Database.Statement<[number, number], number>,
      // The end of a slice of at most `budget` of the oldest.
      sliceEnd: db
        .prepare(
          'SELECT id FROM ping_index WHERE monitor_id = ? AND id <= ? ORDER BY id LIMIT 1 OFFSET ?',
        )
        .pluck(),
      // A restart takes the last ping and success times from the row or the newest pings, whichever
      // is newer (see Store.loadMonitors): the row takes up what the pings pruned told. (After a
      // backward step of the wall clock the row held the rebased times, and a pruned ping's time
      // from before the step can come back: late by the step, for a monitor pinged since.)
      keepTimes: db.prepare(
        `UPDATE monitors SET
           last_ping_at = max(coalesce(last_ping_at, d.ping_at), coalesce(d.ping_at, last_ping_at)),
           last_success_at = max(coalesce(last_success_at, d.success_at),
             coalesce(d.success_at, last_success_at))
         FROM (SELECT max(CASE WHEN p.kind <> 'log' THEN p.at END) AS ping_at,
                 max(CASE WHEN p.kind = 'success' THEN p.at END) AS success_at
               FROM ping_index i JOIN pings p ON p.id = i.id
               WHERE i.monitor_id = @monitorId AND i.id <= @end) AS d
         WHERE monitors.id = @monitorId`,
      ),
      deletePings: db.prepare(
        'DELETE FROM pings WHERE id IN (SELECT id FROM ping_index WHERE monitor_id = ? AND id <= ?)',
      ),
      deleteEntries: db.prepare('DELETE FROM ping_index WHERE monitor_id = ? AND id <= ?'),
      setUpto: db.prepare('UPDATE ping_index_state SET upto = ?'),
    };
    this.#run = db.transaction((pass: Pass, input: PassInput, since: Map<number, number>) =>
      this.#work(pass, input, since),
    );
  }

  /** Runs one step in its own transaction; true once the pass is done (upto is then stored). */
  step(pass: Pass, input: PassInput): boolean {
    const place: PassPlace = { next: pass.next, at: pass.at, pruneTo: pass.pruneTo };
    // Counted here and kept only once the step has committed.
    const since = new Map<number, number>();
    try {
      this.#run(pass, input, since);
    } catch (error) {
      Object.assign(pass, place);
      throw error;
    }
    for (const [monitorId, count] of since) {
      if (count === 0) input.sincePrune.delete(monitorId);
      else input.sincePrune.set(monitorId, count);
    }
    return pass.next === pass.monitors.length;
  }

  #work(pass: Pass, input: PassInput, since: Map<number, number>): void {
    let budget = input.budget;
    while (budget > 0 && pass.next < pass.monitors.length) {
      const monitorId = pass.monitors[pass.next] as number;
      budget--;
      if (pass.pruneTo === null) {
        const list = input.lists.get(monitorId) ?? NO_IDS;
        const from = pass.at;
        while (pass.at < list.length && budget > 0 && (list[pass.at] as number) <= pass.upto) {
          this.#statements.addEntry.run(list[pass.at], monitorId);
          pass.at++;
          budget--;
        }
        const count =
          (since.get(monitorId) ?? input.sincePrune.get(monitorId) ?? 0) + pass.at - from;
        since.set(monitorId, count);
        if (pass.at < list.length && (list[pass.at] as number) <= pass.upto) break;
        if (count >= Math.max(10, input.keep / 10)) {
          since.set(monitorId, 0);
          pass.pruneTo = this.#statements.cutoff.get(monitorId, input.keep) ?? null;
        }
      }
      if (pass.pruneTo !== null) {
        const pruned = this.#prune(monitorId, pass.pruneTo, Math.max(1, budget));
        budget -= pruned.count;
        if (!pruned.done) break;
      }
      pass.next++;
      pass.at = 0;
      pass.pruneTo = null;
    }
    if (pass.next === pass.monitors.length) this.#statements.setUpto.run(pass.upto);
  }

  /** Deletes up to `most` of the oldest indexed pings of a monitor, up to `cutoff`. */
  #prune(monitorId: number, cutoff: number, most: number): { count: number; done: boolean } {
    const s = this.#statements;
    const sliceEnd = s.sliceEnd.get(monitorId, cutoff, most) as number | undefined;
    // More than `most` to go: this slice ends just before the (most + 1)th oldest.
    const end = sliceEnd === undefined ? cutoff : sliceEnd - 1;
    s.keepTimes.run({ monitorId, end });
    s.deletePings.run(monitorId, end);
    const count = s.deleteEntries.run(monitorId, end).changes;
    return { count, done: end === cutoff };
  }
}
