// The read side of the store: a monitor's pings, transitions and deliveries, newest first, a page
// at a time. Pages are cut by id (`before`), not by offset, so a page stays put while pings arrive.
import type Database from 'better-sqlite3';

import type { StatusChange } from '../core/uptime.js';
import type { HistoryStore, Measured, PageCursor } from '../engine/ports.js';
import type { DeliveryRow, PingRow, TransitionRow } from '../engine/read-model.js';
import type { PingIndex } from './ping-index.js';

/** A ping row as SQLite returns it: the body as bytes. */
type StoredPing = Omit<PingRow, 'output'> & { readonly body: Buffer | null };
/** A delivery row as SQLite returns it: booleans as 0 or 1. */
type StoredDelivery = Omit<DeliveryRow, 'ok' | 'permanent'> & {
  readonly ok: number;
  readonly permanent: number;
};

/** Every id: a read from the newest ping on. */
const ALL = Number.MAX_SAFE_INTEGER;

/** The columns of a ping row, from `pings` as `p`. */
const PING_COLUMNS = `p.id, p.at, p.kind, p.exit_status AS exitStatus, p.duration_ms AS durationMs, p.value,
  p.method, p.remote_addr AS remoteAddr, p.user_agent AS userAgent, p.run_id AS runId, p.body`;

/**
 * A read of a monitor's pings, newest first: `byId` gets one ping not indexed yet (id, monitor),
 * `indexed` the next ones from ping_index (monitor, before, limit). Both take the same WHERE, so
 * a filter (a run time sent) is applied to either.
 */
interface PingRead {
  readonly byId: Database.Statement;
  readonly indexed: Database.Statement;
}

export class History implements HistoryStore {
  readonly #index: PingIndex;
  readonly #reads;
  readonly #statements;

  constructor(db: Database.Database, index: PingIndex) {
    this.#index = index;
    const read = (columns: string, where = ''): PingRead => ({
      byId: db.prepare(
        `SELECT ${columns} FROM pings p WHERE p.id = ? AND p.monitor_id = ? ${where}`,
      ),
      indexed: db.prepare(
        `SELECT ${columns} FROM ping_index i JOIN pings p ON p.id = i.id
         WHERE i.monitor_id = ? AND i.id < ? ${where} ORDER BY i.id DESC LIMIT ?`,
      ),
    });
    this.#reads = {
      pings: read(PING_COLUMNS),
      recentPings: read('p.at, p.kind'),
      lastDuration: read('p.duration_ms AS v', 'AND p.duration_ms IS NOT NULL'),
      lastValue: read('p.value AS v', 'AND p.value IS NOT NULL'),
      times: read('p.at, p.kind', "AND p.kind <> 'log'"),
    };
    this.#statements = {
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
      recentMisses: db.prepare(
        `SELECT at, to_status AS status FROM transitions WHERE monitor_id = ? AND reason = 'timeout'
         ORDER BY id DESC LIMIT ?`,
      ),
      changes: db.prepare(
        `SELECT at, from_status AS "from", to_status AS "to" FROM transitions WHERE monitor_id = ?
         ORDER BY id DESC`,
      ),
    };
  }

  /**
   * A monitor's newest `limit` rows of `read` below `before`: its pings not indexed yet first (all
   * newer than the indexed ones), then the indexed ones.
   */
  #newest<R>(read: PingRead, monitorId: number, before: number, limit: number): R[] {
    const rows: R[] = [];
    for (const id of this.#index.unindexed(monitorId, before)) {
      if (rows.length >= limit) return rows;
      const row = read.byId.get(id, monitorId) as R | undefined;
      if (row !== undefined) rows.push(row);
    }
    if (rows.length >= limit) return rows;
    const below = Math.min(before, this.#index.upto + 1);
    return rows.concat(read.indexed.all(monitorId, below, limit - rows.length) as R[]);
  }

  pings(monitorId: number, page: PageCursor): PingRow[] {
    const rows = this.#newest<StoredPing>(this.#reads.pings, monitorId, page.before, page.limit);
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
      pings: this.#newest(this.#reads.recentPings, monitorId, ALL, limit),
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
    const [duration] = this.#newest<{ v: number }>(this.#reads.lastDuration, monitorId, ALL, 1);
    const [value] = this.#newest<{ v: number }>(this.#reads.lastValue, monitorId, ALL, 1);
    return { durationMs: duration?.v ?? null, value: value?.v ?? null };
  }

  /**
   * The newest ping that changes state (not a `log`) and the newest success among a monitor's
   * pings not indexed yet (what ping_index cannot tell Store.loadMonitors); null when it has none.
   */
  unindexedTimes(monitorId: number): { pingAt: number; successAt: number | null } | null {
    let pingAt: number | null = null;
    for (const id of this.#index.unindexed(monitorId, ALL)) {
      const row = this.#reads.times.byId.get(id, monitorId) as
        { at: number; kind: string } | undefined;
      if (row === undefined) continue;
      pingAt ??= row.at;
      if (row.kind === 'success') return { pingAt, successAt: row.at };
    }
    return pingAt === null ? null : { pingAt, successAt: null };
  }
}
