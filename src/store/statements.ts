// The store's prepared statements, and the mapping between monitor rows and MonitorState.
import type Database from 'better-sqlite3';
import { NO_RUNS } from '../core/state.js';
import type { MonitorState, OpenRun, Status } from '../core/types.js';

/**
 * A monitor row as allMonitors reads it: values in the order of its SELECT (read as arrays, which
 * halves the time to load 100 000 rows against objects with named columns).
 */
type MonitorValues = [
  id: number,
  slug: string,
  status: Status,
  firstSeenAt: number,
  changedAt: number,
  lastPingAt: number | null,
  lastSuccessAt: number | null,
  openRuns: string | null,
  failures: number,
  alerted: number,
  countFrom: number | null,
  alertedAt: number | null,
  snoozedUntil: number | null,
  resumedAt: number | null,
  /** The newest ping that changes state (not a `log`), and the newest success: see allMonitors. */
  newestPingAt: number | null,
  newestSuccessAt: number | null,
  suppressedBy: string | null,
  releasedAt: number | null,
  heldUntil: number | null,
];

export function prepare(db: Database.Database) {
  return {
    // A ping that changes nothing but the last-ping and last-success times does not rewrite its
    // monitor's row (that write cost as much as the ping's own insert): those two times are
    // derived here from the newest pings (pruning first folds the times of the pings it removes
    // into the row: see ping-index.ts).
    // Each subquery walks ping_index backwards from the newest indexed ping, usually one row; the
    // pings not indexed yet are added by Store.loadMonitors.
    allMonitors: db
      .prepare(
        `SELECT m.id, m.slug, m.status, m.first_seen_at, m.changed_at, m.last_ping_at,
           m.last_success_at, m.open_runs, m.failures, m.alerted, m.count_from,
           m.alerted_at, m.snoozed_until, m.resumed_at,
           (SELECT p.at FROM ping_index i JOIN pings p ON p.id = i.id
            WHERE i.monitor_id = m.id AND p.kind <> 'log' ORDER BY i.id DESC LIMIT 1) AS newest_ping_at,
           (SELECT p.at FROM ping_index i JOIN pings p ON p.id = i.id
            WHERE i.monitor_id = m.id AND p.kind = 'success' ORDER BY i.id DESC LIMIT 1)
             AS newest_success_at,
           m.suppressed_by, m.released_at, m.held_until
         FROM monitors m`,
      )
      .raw(),
    provisioned: db.prepare(
      `SELECT slug, name, period_ms AS periodMs, grace_ms AS graceMs, token, created_at AS createdAt
       FROM provisioned ORDER BY created_at, slug`,
    ),
    provision: db.prepare(
      `INSERT OR IGNORE INTO provisioned (slug, name, period_ms, grace_ms, token, created_at)
       VALUES (@slug, @name, @periodMs, @graceMs, @token, @createdAt)`,
    ),
    reprovision: db.prepare(
      `UPDATE provisioned SET name = @name, period_ms = @periodMs, grace_ms = @graceMs
       WHERE slug = @slug`,
    ),
    unprovision: db.prepare('DELETE FROM provisioned WHERE slug = ?'),
    // Positional parameters, in the order of stateValues: named ones took twice as long to bind
    // (100 000 new monitors: 0.64 s against 0.35 s).
    addMonitor: db.prepare(
      `INSERT INTO monitors (slug, status, first_seen_at, changed_at, last_ping_at, last_success_at,
         open_runs, failures, alerted, count_from, alerted_at, snoozed_until, resumed_at,
         suppressed_by, released_at, held_until)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    saveState: db.prepare(
      `UPDATE monitors SET status = ?, first_seen_at = ?, changed_at = ?, last_ping_at = ?,
         last_success_at = ?, open_runs = ?, failures = ?, alerted = ?, count_from = ?,
         alerted_at = ?, snoozed_until = ?, resumed_at = ?, suppressed_by = ?, released_at = ?,
         held_until = ?
       WHERE id = ?`,
    ),
    insertPing: db.prepare(
      `INSERT INTO pings (monitor_id, at, kind, exit_status, run_id, duration_ms, method, remote_addr, user_agent, body, value)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertTransition: db.prepare(
      `INSERT INTO transitions (monitor_id, at, from_status, to_status, reason, deadline_at, alert, parent)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    enqueueAlert: db.prepare(
      'INSERT INTO outbox (transition_id, hook, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    enqueueSent: db.prepare(
      `INSERT INTO outbox (transition_id, hook, payload, state, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, 'delivered', 1, ?, ?)`,
    ),
    pendingAlerts: db.prepare(
      // Walks the (hook, next_attempt_at) index from its start; only busy rows are skipped.
      `SELECT id, hook, payload, attempts, created_at AS createdAt, next_attempt_at AS nextAttemptAt
       FROM outbox WHERE state = 'pending' AND hook = ?
         AND id NOT IN (SELECT value FROM json_each(?))
       ORDER BY next_attempt_at, id LIMIT ?`,
    ),
    insertDelivery: db.prepare(
      `INSERT INTO deliveries (outbox_id, at, duration_ms, ok, permanent, status_code, error)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    addSetting: db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)'),
    setting: db.prepare('SELECT value FROM settings WHERE key = ?'),
    touch: db.prepare(
      `INSERT INTO settings (key, value) VALUES ('health-checked-at', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
    oldestDue: db.prepare(
      `SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?`,
    ),
  };
}

/** A state's columns, in the order addMonitor and saveState take them. */
export function stateValues(s: MonitorState) {
  return [
    s.status,
    s.firstSeenAt,
    s.changedAt,
    s.lastPingAt,
    s.lastSuccessAt,
    runsText(s.runs),
    s.failures,
    s.alerted ? 1 : 0,
    s.countFrom,
    s.alertedAt,
    s.snoozedUntil,
    s.resumedAt,
    s.suppressedBy,
    s.releasedAt,
    s.heldUntil,
  ] as const;
}

/** A monitor's id, slug and state from a row of allMonitors. */
export function monitorOf(row: unknown[]): { id: number; slug: string; state: MonitorState } {
  const [
    id,
    slug,
    status,
    firstSeenAt,
    changedAt,
    lastPingAt,
    lastSuccessAt,
    openRuns,
    failures,
    alerted,
    countFrom,
    alertedAt,
    snoozedUntil,
    resumedAt,
    newestPingAt,
    newestSuccessAt,
    suppressedBy,
    releasedAt,
    heldUntil,
  ] = row as MonitorValues;
  const state: MonitorState = {
    status,
    firstSeenAt,
    changedAt,
    lastPingAt: newest(lastPingAt, newestPingAt),
    lastSuccessAt: newest(lastSuccessAt, newestSuccessAt),
    runs: runsOf(openRuns),
    failures,
    alerted: alerted === 1,
    countFrom,
    alertedAt,
    snoozedUntil,
    resumedAt,
    suppressedBy,
    releasedAt,
    heldUntil,
  };
  return { id, slug, state };
}

// Open runs are stored as JSON, [[startedAt, runId, overdue 0|1], ...], oldest first; null for
// none, which is most monitors most of the time.
type StoredRun = [startedAt: number, runId: string | null, overdue: 0 | 1];

function runsText(runs: readonly OpenRun[]): string | null {
  if (runs.length === 0) return null;
  return JSON.stringify(runs.map((r): StoredRun => [r.startedAt, r.runId, r.overdue ? 1 : 0]));
}

function runsOf(text: string | null): readonly OpenRun[] {
  if (text === null) return NO_RUNS;
  const stored = JSON.parse(text) as StoredRun[];
  return stored.map(([startedAt, runId, overdue]) => ({
    startedAt,
    runId,
    overdue: overdue === 1,
  }));
}

export function newest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
