// Recording delivery attempts: each alert's attempt and what its outbox row becomes, and the
// grouped attempts (a hook's `group:`) that carried several alerts at once, each recorded once
// with every alert's delivery row pointing at it.
import type Database from 'better-sqlite3';
import type { AttemptOutcome, AttemptRecord, GroupAttempt } from '../engine/ports.js';

export class AttemptRecorder {
  readonly #db: Database.Database;
  readonly #statements;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = {
      insertDelivery: db.prepare(
        `INSERT INTO deliveries (outbox_id, at, duration_ms, ok, permanent, status_code, error, group_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertGroup: db.prepare(
        `INSERT INTO delivery_groups (hook, at, duration_ms, size, ok, permanent, status_code, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateOutbox: db.prepare(
        'UPDATE outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ? WHERE id = ?',
      ),
    };
  }

  /** Records every outcome, and each group once, in one transaction (the caller's, if any). */
  record(outcomes: readonly AttemptOutcome[]): void {
    const s = this.#statements;
    // The outcomes of one group share its object: its row id, once inserted.
    const groupIds = new Map<GroupAttempt, number | bigint>();
    this.#db.transaction(() => {
      for (const { outboxId, attempt, state, nextAttemptAt, group } of outcomes) {
        let groupId: number | bigint | null = null;
        if (group !== undefined) {
          groupId = groupIds.get(group) ?? null;
          if (groupId === null) {
            const { hook, size, attempt: a } = group;
            groupId = s.insertGroup.run(
              hook,
              a.at,
              a.durationMs,
              size,
              ...result(a),
            ).lastInsertRowid;
            groupIds.set(group, groupId);
          }
        }
        s.insertDelivery.run(outboxId, attempt.at, attempt.durationMs, ...result(attempt), groupId);
        s.updateOutbox.run(state, nextAttemptAt, outboxId);
      }
    })();
  }
}

/** ok, permanent, status code and error, as their columns hold them. */
function result(a: AttemptRecord) {
  return [a.ok ? 1 : 0, a.permanent ? 1 : 0, a.statusCode, a.error] as const;
}
