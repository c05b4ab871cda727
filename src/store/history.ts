// The read side of the store: a monitor's pings, transitions and deliveries, newest first, a page
// at a time. Pages are cut by id (`before`), not by offset, so a page stays put while pings arrive.
import type Database from 'better-sqlite3';

import type { StatusChange } from '../core/uptime.js';
import type { HistoryStore, Measured, PageCursor } from '../engine/ports.js';
import type { DeliveryRow, PingRow, TransitionRow } from '../engine/read-model.js';

/** A ping row as SQLite returns it: the body as bytes. */
type StoredPing = Omit<PingRow, 'output'> & { readonly body: Buffer | null };
/** A delivery row as SQLite returns it: booleans as 0 or 1. */
type StoredDelivery = Omit<DeliveryRow, 'ok' | 'permanent'> & {
  readonly ok: number;
  readonly permanent: number;
};

export class History implements HistoryStore {
  readonly #statements;

  constructor(db: Database.Database) {
    this.#statements = {
      pings: db.prepare(
        `SELECT id, at, kind, exit_status AS exitStatus, duration_ms AS durationMs, value, method,
           remote_addr AS remoteAddr, user_agent AS userAgent, run_id AS runId, body
         FROM pings WHERE monitor_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
      ),
      transitions: db.prepare(
        `SELECT id, at, from_status AS "from", to_status AS "to", reason, deadline_at AS deadlineAt, alert,
           parent
         FROM transitions WHERE monitor_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
      ),
      // From the monitor's transitions to their outbox rows to the attempts (see outbox_by_transition).
      deliveries: db.prepare(
        `SELECT d.id, o.transition_id AS transitionId, o.hook, d.at, d.duration_ms AS durationMs, d.ok,
           d.permanent, d.status_code AS statusCode, d.error, d.group_id AS groupId, g.size AS groupSize
         FROM deliveries d JOIN outbox o ON o.id = d.outbox_id JOIN transitions t ON t.id = o.transition_id
           LEFT JOIN delivery_groups g ON g.id = d.group_id
         WHERE t.monitor_id = ? AND d.id < ? ORDER BY d.id DESC LIMIT ?`,
      ),
      recentPings: db.prepare(
        'SELECT at, kind FROM pings WHERE monitor_id = ? ORDER BY id DESC LIMIT ?',
      ),
      recentMisses: db.prepare(
        `SELECT at, to_status AS status FROM transitions WHERE monitor_id = ? AND reason = 'timeout'
         ORDER BY id DESC LIMIT ?`,
      ),
      changes: db.prepare(
        `SELECT at, from_status AS "from", to_status AS "to" FROM transitions WHERE monitor_id = ?
         ORDER BY id DESC`,
      ),
      lastDuration: db.prepare(
        `SELECT duration_ms AS v FROM pings WHERE monitor_id = ? AND duration_ms IS NOT NULL
         ORDER BY id DESC LIMIT 1`,
      ),
      lastValue: db.prepare(
        'SELECT value AS v FROM pings WHERE monitor_id = ? AND value IS NOT NULL ORDER BY id DESC LIMIT 1',
      ),
    };
  }

  pings(monitorId: number, page: PageCursor): PingRow[] {
    const rows = this.#statements.pings.all(monitorId, page.before, page.limit) as StoredPing[];
    // The body is stored as bytes and shown as text (invalid UTF-8 replaced).
    return rows.map(({ body, ...row }) => ({
      ...row,
      output: body === null ? null : body.toString('utf8'),
    }));
  }

  transitions(monitorId: number, page: PageCursor): TransitionRow[] {
    // Statuses and reasons are written only from the core's types.
    return this.#statements.transitions.all(monitorId, page.before, page.limit) as TransitionRow[];
  }

  deliveries(monitorId: number, page: PageCursor): DeliveryRow[] {
    const rows = this.#statements.deliveries.all(
      monitorId,
      page.before,
      page.limit,
    ) as StoredDelivery[];
    return rows.map((row) => ({ ...row, ok: row.ok === 1, permanent: row.permanent === 1 }));
  }

  /** The latest `limit` pings and timeouts, each newest first. */
  recent(
    monitorId: number,
    limit: number,
  ): { pings: { at: number; kind: string }[]; misses: { at: number; status: string }[] } {
    return {
      pings: this.#statements.recentPings.all(monitorId, limit) as { at: number; kind: string }[],
      misses: this.#statements.recentMisses.all(monitorId, limit) as {
        at: number;
        status: string;
      }[],
    };
  }

  changesSince(monitorId: number, sinceAt: number, limit: number): StatusChange[] {
    // Stepped through newest first and stopped at the window's start: SQLite cannot know that
    // `at` grows with `id`, so a WHERE on `at` would read the monitor's whole history.
    const changes: StatusChange[] = [];
    for (const row of this.#statements.changes.iterate(monitorId) as Iterable<StatusChange>) {
      changes.push(row);
      if (row.at <= sinceAt || changes.length >= limit) break;
    }
    return changes;
  }

  /** The latest run time and value sent with a ping. */
  lastMeasured(monitorId: number): Measured {
    const duration = this.#statements.lastDuration.get(monitorId) as { v: number } | undefined;
    const value = this.#statements.lastValue.get(monitorId) as { v: number } | undefined;
    return { durationMs: duration?.v ?? null, value: value?.v ?? null };
  }
}
