// The read side of the store: a monitor's pings, transitions and deliveries, newest first, a page
// at a time. Pages are cut by id (`before`), not by offset, so a page stays put while pings arrive.
import type Database from 'better-sqlite3';

export interface PageRequest {
  /** Only rows with an id below this. */
  readonly before: number;
  readonly limit: number;
}

export interface PingHistoryRow {
  readonly id: number;
  readonly at: number;
  readonly kind: string;
  readonly exitStatus: number | null;
  readonly durationMs: number | null;
  readonly value: number | null;
  readonly method: string;
  readonly remoteAddr: string | null;
  readonly userAgent: string | null;
  readonly runId: string | null;
  readonly body: Buffer | null;
}

export interface TransitionHistoryRow {
  readonly id: number;
  readonly at: number;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly deadlineAt: number | null;
  readonly alert: string | null;
}

export interface DeliveryHistoryRow {
  readonly id: number;
  readonly transitionId: number;
  readonly hook: string;
  readonly at: number;
  readonly durationMs: number;
  readonly ok: number;
  readonly permanent: number;
  readonly statusCode: number | null;
  readonly error: string | null;
}

export class History {
  readonly #q;

  constructor(db: Database.Database) {
    this.#q = {
      pings: db.prepare(
        `SELECT id, at, kind, exit_status AS exitStatus, duration_ms AS durationMs, value, method,
           remote_addr AS remoteAddr, user_agent AS userAgent, run_id AS runId, body
         FROM pings WHERE monitor_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
      ),
      transitions: db.prepare(
        `SELECT id, at, from_status AS "from", to_status AS "to", reason, deadline_at AS deadlineAt, alert
         FROM transitions WHERE monitor_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
      ),
      // From the monitor's transitions to their outbox rows to the attempts (see outbox_by_transition).
      deliveries: db.prepare(
        `SELECT d.id, o.transition_id AS transitionId, o.hook, d.at, d.duration_ms AS durationMs, d.ok,
           d.permanent, d.status_code AS statusCode, d.error
         FROM deliveries d JOIN outbox o ON o.id = d.outbox_id JOIN transitions t ON t.id = o.transition_id
         WHERE t.monitor_id = ? AND d.id < ? ORDER BY d.id DESC LIMIT ?`,
      ),
      recentPings: db.prepare(
        'SELECT at, kind FROM pings WHERE monitor_id = ? ORDER BY id DESC LIMIT ?',
      ),
      recentMisses: db.prepare(
        `SELECT at FROM transitions WHERE monitor_id = ? AND reason = 'timeout' ORDER BY id DESC LIMIT ?`,
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

  pings(monitorId: number, page: PageRequest): PingHistoryRow[] {
    return this.#q.pings.all(monitorId, page.before, page.limit) as PingHistoryRow[];
  }

  transitions(monitorId: number, page: PageRequest): TransitionHistoryRow[] {
    return this.#q.transitions.all(monitorId, page.before, page.limit) as TransitionHistoryRow[];
  }

  deliveries(monitorId: number, page: PageRequest): DeliveryHistoryRow[] {
    return this.#q.deliveries.all(monitorId, page.before, page.limit) as DeliveryHistoryRow[];
  }

  /** The latest `limit` pings and timeouts, each newest first. */
  recent(
    monitorId: number,
    limit: number,
  ): { pings: { at: number; kind: string }[]; misses: { at: number }[] } {
    return {
      pings: this.#q.recentPings.all(monitorId, limit) as { at: number; kind: string }[],
      misses: this.#q.recentMisses.all(monitorId, limit) as { at: number }[],
    };
  }

  /** The latest run time and value sent with a ping. */
  lastMeasured(monitorId: number): { durationMs: number | null; value: number | null } {
    const duration = this.#q.lastDuration.get(monitorId) as { v: number } | undefined;
    const value = this.#q.lastValue.get(monitorId) as { v: number } | undefined;
    return { durationMs: duration?.v ?? null, value: value?.v ?? null };
  }
}
