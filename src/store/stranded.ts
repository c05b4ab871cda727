// The outbox rows of hooks that left the config, and what becomes of them (see alert/rehome.ts):
// found in two index walks (pending rows, held rows), rehomed in one transaction.
import type Database from 'better-sqlite3';
import type { Rehoming, StrandedAlert, StrandedAlertStore } from '../engine/ports.js';

/** A stranded row as SQLite returns it: the sibling hooks as a JSON array. */
type StoredStranded = Omit<StrandedAlert, 'siblings'> & { readonly siblings: string };

// The columns of a stranded row: its monitor through its transition, and the hooks of the same
// transition's other rows (found by outbox_by_transition).
const STRANDED = `SELECT o.id, o.hook, o.state, o.transition_id AS transitionId, m.slug AS monitor,
    (SELECT json_group_array(s.hook) FROM outbox s
     WHERE s.transition_id = o.transition_id AND s.id <> o.id) AS siblings
  FROM outbox o JOIN transitions t ON t.id = o.transition_id JOIN monitors m ON m.id = t.monitor_id`;

export class StrandedAlerts implements StrandedAlertStore {
  readonly #db: Database.Database;
  readonly #afterWrite: () => void;
  readonly #statements;

  /** `afterWrite`: makes the rehoming durable soon (the store's WAL sync). */
  constructor(db: Database.Database, afterWrite: () => void) {
    this.#db = db;
    this.#afterWrite = afterWrite;
    this.#statements = {
      // Each half walks its partial index (outbox_pending, outbox_held); an ORDER BY here would
      // make SQLite scan the whole outbox in id order instead, so the rows are sorted after.
      stranded: db.prepare(
        `${STRANDED} WHERE o.state = 'pending' AND o.hook NOT IN (SELECT value FROM json_each(?))
         UNION ALL ${STRANDED} WHERE o.state = 'held'`,
      ),
      copy: db.prepare(
        `INSERT INTO outbox (transition_id, hook, payload, next_attempt_at, created_at)
         SELECT transition_id, ?, payload, ?, created_at FROM outbox WHERE id = ?`,
      ),
      mark: db.prepare('UPDATE outbox SET state = ? WHERE id = ?'),
      release: db.prepare(`UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE id = ?`),
      note: db.prepare(
        `INSERT INTO deliveries (outbox_id, at, duration_ms, ok, permanent, status_code, error)
         VALUES (?, ?, 0, 0, 0, NULL, ?)`,
      ),
    };
  }

  strandedAlerts(hooks: readonly string[]): StrandedAlert[] {
    const rows = this.#statements.stranded.all(JSON.stringify(hooks)) as StoredStranded[];
    // In the order the alerts were queued: the older of two rows of one alert is rehomed first.
    return rows
      .sort((a, b) => a.id - b.id)
      .map((r) => ({ ...r, siblings: JSON.parse(r.siblings) as string[] }));
  }

  rehomeAlerts(rehomings: readonly Rehoming[], at: number): void {
    if (rehomings.length === 0) return;
    const s = this.#statements;
    this.#db.transaction(() => {
      for (const r of rehomings) {
        if (r.kind === 'release') {
          s.release.run(at, r.outboxId);
          continue;
        }
        if (r.kind === 'move') for (const hook of r.to) s.copy.run(hook, at, r.outboxId);
        s.mark.run(r.kind === 'move' ? 'moved' : 'held', r.outboxId);
        s.note.run(r.outboxId, at, r.note);
      }
    })();
    this.#afterWrite();
  }
}
