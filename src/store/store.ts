// SQLite: opening, pragmas, migrations and the queries the daemon needs. No decisions live here.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { MonitorState, Status, Transition } from '../core/types.js';
import { migrations } from './migrations.js';

export const DATABASE_FILE = 'overdue.db';

export interface PingRecord {
  readonly monitorId: number;
  readonly at: number;
  readonly kind: string;
  readonly exitStatus: number | null;
  readonly runId: string | null;
  readonly durationMs: number | null;
  readonly value: number | null;
  readonly method: string;
  readonly remoteAddr: string | null;
  readonly userAgent: string | null;
  readonly body: Buffer | null;
}

export interface OutboxRow {
  readonly id: number;
  readonly hook: string;
  readonly payload: string;
  readonly attempts: number;
  readonly createdAt: number;
}

export interface AttemptRecord {
  readonly at: number;
  readonly durationMs: number;
  readonly ok: boolean;
  readonly permanent: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
}

export type OutboxState = 'pending' | 'delivered' | 'failed';

/** A monitor created by auto-provisioning; null fields take the auto-provision defaults. */
export interface ProvisionedRow {
  readonly slug: string;
  readonly name: string;
  readonly periodMs: number | null;
  readonly graceMs: number | null;
  readonly token: string | null;
  readonly createdAt: number;
}

interface MonitorRow {
  id: number;
  slug: string;
  status: Status;
  first_seen_at: number;
  changed_at: number;
  last_ping_at: number | null;
  last_success_at: number | null;
  started_at: number | null;
  run_id: string | null;
  failures: number;
  alerted: number;
  count_from: number | null;
  alerted_at: number | null;
}

export interface StoreOptions {
  /** The better-sqlite3 addon, when it is not loaded from node_modules (the single executable). */
  readonly nativeBinding?: object | undefined;
}

function openDatabase(file: string, options: StoreOptions): Database.Database {
  const db = new Database(file, {
    // A lock held by another process (a backup, the sqlite3 shell) must not freeze the event loop
    // for long: fail fast and let the caller answer 503.
    timeout: 250,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding as unknown as string } : {}),
  });
  // WAL: readers never block the writer, and one commit is one sequential append.
  db.pragma('journal_mode = WAL');
  // FULL: a commit is fsynced before it returns, so an acknowledged ping survives power loss, not
  // only a crash of the process. Group commit keeps the cost of that fsync low.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return db;
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw new Error(
      `the database was written by a newer overdue (schema ${version}, this one knows ${migrations.length}); upgrade overdue or restore a backup`,
    );
  }
  for (let i = version; i < migrations.length; i++) {
    db.transaction(() => {
      db.exec(migrations[i] ?? '');
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}

export class Store {
  readonly db: Database.Database;
  readonly #q;

  constructor(dataDir: string, options: StoreOptions = {}) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = openDatabase(join(dataDir, DATABASE_FILE), options);
    migrate(this.db);
    this.#q = prepare(this.db);
  }

  /** Every monitor's persisted state, by slug (monitors no longer in the config included). */
  loadMonitors(): Map<string, { id: number; state: MonitorState }> {
    const rows = this.#q.allMonitors.all() as MonitorRow[];
    return new Map(rows.map((r) => [r.slug, { id: r.id, state: stateOf(r) }]));
  }

  addMonitor(slug: string, state: MonitorState): number {
    return Number(this.#q.addMonitor.run({ slug, ...stateParams(state) }).lastInsertRowid);
  }

  saveState(id: number, state: MonitorState): void {
    this.#q.saveState.run({ id, ...stateParams(state) });
  }

  insertPing(p: PingRecord): void {
    this.#q.insertPing.run(
      p.monitorId,
      p.at,
      p.kind,
      p.exitStatus,
      p.runId,
      p.durationMs,
      p.method,
      p.remoteAddr,
      p.userAgent,
      p.body,
      p.value,
    );
  }

  /** Deletes all but the newest `keep` pings of a monitor. */
  prunePings(monitorId: number, keep: number): void {
    this.#q.prunePings.run(monitorId, monitorId, keep);
  }

  insertTransition(monitorId: number, t: Transition): number {
    const r = this.#q.insertTransition.run(
      monitorId,
      t.at,
      t.from,
      t.to,
      t.reason,
      t.deadlineAt,
      t.alert,
    );
    return Number(r.lastInsertRowid);
  }

  enqueueAlert(transitionId: number, hook: string, payload: string, at: number): void {
    this.#q.enqueueAlert.run(transitionId, hook, payload, at, at);
  }

  /** A hook's pending alerts whose next attempt is due, oldest first, leaving out `busy` ids. */
  dueAlerts(hook: string, now: number, busy: readonly number[], limit: number): OutboxRow[] {
    return this.#q.dueAlerts.all(hook, now, JSON.stringify(busy), limit) as OutboxRow[];
  }

  /** Hook names with pending alerts. */
  alertHooks(): string[] {
    return (this.#q.alertHooks.all() as { hook: string }[]).map((r) => r.hook);
  }

  /** When the hook's next pending alert falls due, leaving out `busy` ids. */
  nextAlertAt(hook: string, busy: readonly number[]): number | null {
    const row = this.#q.nextAlertAt.get(hook, JSON.stringify(busy)) as
      { at: number | null } | undefined;
    return row?.at ?? null;
  }

  /** Records one delivery attempt and what the outbox row becomes, atomically. */
  recordAttempt(
    outboxId: number,
    a: AttemptRecord,
    state: OutboxState,
    nextAttemptAt: number,
  ): void {
    this.db.transaction(() => {
      this.#q.insertDelivery.run(
        outboxId,
        a.at,
        a.durationMs,
        a.ok ? 1 : 0,
        a.permanent ? 1 : 0,
        a.statusCode,
        a.error,
      );
      this.#q.updateOutbox.run(state, nextAttemptAt, outboxId);
    })();
  }

  provisioned(): ProvisionedRow[] {
    return this.#q.provisioned.all() as ProvisionedRow[];
  }

  /** Adds a provisioned monitor; false when the slug or token is taken. */
  provision(row: ProvisionedRow): boolean {
    return this.#q.provision.run(row).changes === 1;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function prepare(db: Database.Database) {
  return {
    allMonitors: db.prepare('SELECT * FROM monitors'),
    provisioned: db.prepare(
      `SELECT slug, name, period_ms AS periodMs, grace_ms AS graceMs, token, created_at AS createdAt
       FROM provisioned ORDER BY created_at, slug`,
    ),
    provision: db.prepare(
      `INSERT OR IGNORE INTO provisioned (slug, name, period_ms, grace_ms, token, created_at)
       VALUES (@slug, @name, @periodMs, @graceMs, @token, @createdAt)`,
    ),
    addMonitor: db.prepare(
      `INSERT INTO monitors (slug, status, first_seen_at, changed_at, last_ping_at, last_success_at, started_at, run_id,
         failures, alerted, count_from, alerted_at)
       VALUES (@slug, @status, @firstSeenAt, @changedAt, @lastPingAt, @lastSuccessAt, @startedAt, @runId,
         @failures, @alerted, @countFrom, @alertedAt)`,
    ),
    saveState: db.prepare(
      `UPDATE monitors SET status = @status, first_seen_at = @firstSeenAt, changed_at = @changedAt,
       last_ping_at = @lastPingAt, last_success_at = @lastSuccessAt, started_at = @startedAt, run_id = @runId,
       failures = @failures, alerted = @alerted, count_from = @countFrom, alerted_at = @alertedAt
       WHERE id = @id`,
    ),
    insertPing: db.prepare(
      `INSERT INTO pings (monitor_id, at, kind, exit_status, run_id, duration_ms, method, remote_addr, user_agent, body, value)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    prunePings: db.prepare(
      `DELETE FROM pings WHERE monitor_id = ? AND id <=
       (SELECT id FROM pings WHERE monitor_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    ),
    insertTransition: db.prepare(
      `INSERT INTO transitions (monitor_id, at, from_status, to_status, reason, deadline_at, alert)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    enqueueAlert: db.prepare(
      'INSERT INTO outbox (transition_id, hook, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    dueAlerts: db.prepare(
      `SELECT id, hook, payload, attempts, created_at AS createdAt FROM outbox
       WHERE state = 'pending' AND hook = ? AND next_attempt_at <= ?
         AND id NOT IN (SELECT value FROM json_each(?))
       ORDER BY next_attempt_at, id LIMIT ?`,
    ),
    alertHooks: db.prepare(`SELECT DISTINCT hook FROM outbox WHERE state = 'pending'`),
    nextAlertAt: db.prepare(
      // Walks the (hook, next_attempt_at) index from its start; only busy rows are skipped.
      `SELECT next_attempt_at AS at FROM outbox WHERE state = 'pending' AND hook = ?
       AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY next_attempt_at LIMIT 1`,
    ),
    insertDelivery: db.prepare(
      `INSERT INTO deliveries (outbox_id, at, duration_ms, ok, permanent, status_code, error)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateOutbox: db.prepare(
      'UPDATE outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ? WHERE id = ?',
    ),
  };
}

function stateParams(s: MonitorState) {
  return {
    status: s.status,
    firstSeenAt: s.firstSeenAt,
    changedAt: s.changedAt,
    lastPingAt: s.lastPingAt,
    lastSuccessAt: s.lastSuccessAt,
    startedAt: s.startedAt,
    runId: s.runId,
    failures: s.failures,
    alerted: s.alerted ? 1 : 0,
    countFrom: s.countFrom,
    alertedAt: s.alertedAt,
  };
}

function stateOf(r: MonitorRow): MonitorState {
  return {
    status: r.status,
    firstSeenAt: r.first_seen_at,
    changedAt: r.changed_at,
    lastPingAt: r.last_ping_at,
    lastSuccessAt: r.last_success_at,
    startedAt: r.started_at,
    runId: r.run_id,
    failures: r.failures,
    alerted: r.alerted === 1,
    countFrom: r.count_from,
    alertedAt: r.alerted_at,
  };
}
