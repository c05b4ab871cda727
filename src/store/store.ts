// SQLite: opening, pragmas, migrations and the queries the daemon needs. No decisions live here.
import type {
  AttemptOutcome,
  Measured,
  MonitorStore,
  OutboxItem,
  OutboxStore,
  PingRecord,
  ProvisionedRow,
  ProvisionStore,
} from '../engine/ports.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { changed } from '../core/state.js';
import type { MonitorState, Transition } from '../core/types.js';
import { AttemptRecorder } from './attempts.js';
import { History } from './history.js';
import { migrations } from './migrations.js';
import { PingIndex, type PingIndexLimits } from './ping-index.js';
import { monitorOf, newest, prepare, stateValues } from './statements.js';
import { StrandedAlerts } from './stranded.js';
import { WAL_LIMIT_BYTES, WalSync } from './wal-sync.js';

export const DATABASE_FILE = 'overdue.db';

export interface StoreOptions {
  /** The better-sqlite3 addon, when it is not loaded from node_modules (the single executable). */
  readonly nativeBinding?: object | undefined;
  /** When the pass that indexes pings by monitor runs, and its steps' size (see ping-index.ts). */
  readonly pingIndex?: Partial<PingIndexLimits>;
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
  // NORMAL: a commit does not fsync, so it never blocks the event loop on the disk. Durability
  // across power loss comes from WalSync, which fsyncs the WAL in the threadpool before a ping is
  // acknowledged; checkpoints are WalSync's too, off the loop (see wal-sync.ts).
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  // When the WAL starts over, SQLite cuts the file back to this size: its size then tells WalSync
  // when the WAL has grown past its limit again (see wal-sync.ts).
  db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
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

export class Store implements MonitorStore, OutboxStore, ProvisionStore {
  readonly db: Database.Database;
  /** Pages of pings, transitions and deliveries, for the read API and the status page. */
  readonly history: History;
  /** Makes commits durable and checkpoints the WAL, off the event loop. */
  readonly wal: WalSync;
  /** The alerts of hooks that left the config, for the dispatcher to rehome. */
  readonly stranded: StrandedAlerts;
  /** Pings indexed by monitor in bulk, off the hot path (see ping-index.ts). */
  readonly pingIndex: PingIndex;
  /** Told when a step of the ping index fails (tried again a second later), null when one works again. */
  indexFailed: (error: Error | null) => void = () => {};
  readonly #pinDb: Database.Database;
  readonly #statements;
  readonly #attempts: AttemptRecorder;
  /**
   * Runs a function in a transaction (a savepoint when one is open). Made once: better-sqlite3
   * builds four wrappers with their properties on every `db.transaction()`, garbage on each alert.
   */
  readonly #transaction: (fn: () => unknown) => unknown;
  /** writeBatch() calls under way (nested ones counted): pings may be stored only inside one. */
  #batches = 0;
  /** The end-of-turn WAL sync asked for by #syncSoon, until it runs. */
  #syncAsked: NodeJS.Immediate | null = null;

  constructor(dataDir: string, options: StoreOptions = {}) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, DATABASE_FILE);
    this.db = openDatabase(file, options);
    try {
      migrate(this.db);
      this.#pinDb = openDatabase(file, options);
      this.wal = new WalSync(this.db, this.#pinDb);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.#statements = prepare(this.db);
    this.#attempts = new AttemptRecorder(this.db);
    this.#transaction = this.db.transaction((fn: () => unknown) => fn());
    this.pingIndex = new PingIndex(
      this.db,
      {
        mayWrite: () => !this.wal.draining,
        whenWritable: (resume) => this.wal.whenWritable(resume),
        wrote: () => this.#syncSoon(),
        failed: (error) => this.indexFailed(error),
      },
      options.pingIndex,
    );
    this.history = new History(this.db, this.pingIndex);
    this.stranded = new StrandedAlerts(this.db, () => this.#syncSoon());
  }

  lastMeasured(monitorId: number): Measured {
    return this.history.lastMeasured(monitorId);
  }

  /** The setting `key`, stored as `make()` the first time it is asked for. */
  setting(key: string, make: () => string): string {
    this.#statements.addSetting.run(key, make());
    return (this.#statements.setting.get(key) as { value: string }).value;
  }

  /** A tiny real write (a health check: can the database still be written?). */
  touch(now: number): void {
    this.#statements.touch.run(String(now));
  }

  /**
   * When the oldest alert still pending fell due, if one is due at `now` (a health check: is the
   * dispatcher moving?); null when none is. Alerts waiting for a retry's backoff are not due.
   */
  oldestDueAlertAt(now: number): number | null {
    const row = this.#statements.oldestDue.get(now) as { at: number | null } | undefined;
    return row?.at ?? null;
  }

  /** Every monitor's persisted state, by slug (monitors no longer in the config included). */
  loadMonitors(): Map<string, { id: number; state: MonitorState }> {
    // Row by row: 100 000 rows held at once would raise the start-up's peak memory for nothing.
    const monitors = new Map<string, { id: number; state: MonitorState }>();
    for (const row of this.#statements.allMonitors.iterate() as IterableIterator<unknown[]>) {
      const { id, slug, state } = monitorOf(row);
      // The subqueries of allMonitors read ping_index: the pings not indexed yet are newer.
      const unindexed = this.history.unindexedTimes(id);
      if (unindexed === null) monitors.set(slug, { id, state });
      else {
        const lastPingAt = newest(state.lastPingAt, unindexed.pingAt);
        const lastSuccessAt = newest(state.lastSuccessAt, unindexed.successAt);
        monitors.set(slug, { id, state: changed(state, { lastPingAt, lastSuccessAt }) });
      }
    }
    return monitors;
  }

  addMonitor(slug: string, state: MonitorState): number {
    return Number(this.#statements.addMonitor.run(slug, ...stateValues(state)).lastInsertRowid);
  }

  saveState(id: number, state: MonitorState): void {
    this.#statements.saveState.run(...stateValues(state), id);
  }

  /** Stores a ping: inside transaction() or writeBatch(), which list it for the index once it commits. */
  insertPing(p: PingRecord): void {
    // In a transaction of its own the ping's id would be listed whether it committed or not.
    if (this.db.inTransaction && this.#batches === 0)
      throw new Error(
        'a ping is stored in Store.transaction() or writeBatch(), not db.transaction()',
      );
    const { lastInsertRowid } = this.#statements.insertPing.run(
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
    this.pingIndex.added(p.monitorId, Number(lastInsertRowid), this.db.inTransaction);
  }

  /** Pings kept per monitor: older ones are pruned as pings are indexed (see ping-index.ts). */
  keepPings(keep: number): void {
    this.pingIndex.keepPings = keep;
  }

  insertTransition(monitorId: number, t: Transition): number {
    const r = this.#statements.insertTransition.run(
      monitorId,
      t.at,
      t.from,
      t.to,
      t.reason,
      t.deadlineAt,
      t.alert,
      t.parent ?? null,
    );
    return Number(r.lastInsertRowid);
  }

  enqueueAlert(transitionId: number, hook: string, payload: string, at: number): number {
    return Number(
      this.#statements.enqueueAlert.run(transitionId, hook, payload, at, at).lastInsertRowid,
    );
  }

  enqueueSentAlert(
    transitionId: number,
    hook: string,
    payload: string,
    at: number,
    sent: { readonly at: number; readonly note: string },
  ): void {
    const r = this.#statements.enqueueSent.run(transitionId, hook, payload, sent.at, at);
    this.#statements.insertDelivery.run(r.lastInsertRowid, sent.at, 0, 1, 0, null, sent.note);
  }

  /**
   * A hook's pending alerts, the soonest next attempt first, leaving out `busy` ids: the due ones
   * and the next to fall due, in one query.
   */
  pendingAlerts(hook: string, busy: readonly number[], limit: number): OutboxItem[] {
    return this.#statements.pendingAlerts.all(hook, JSON.stringify(busy), limit) as OutboxItem[];
  }

  /**
   * Records delivery attempts and what each outbox row becomes, all in one transaction: the
   * attempts that finish in one event-loop turn cost one commit and one WAL sync, not one each
   * (see attempts.ts).
   */
  recordAttempts(outcomes: readonly AttemptOutcome[]): void {
    this.#attempts.record(outcomes);
    this.#syncSoon();
  }

  /**
   * Writes outside the group commit are made durable soon, without anyone waiting: losing the
   * last few ms of them to a power cut re-derives a deadline or repeats a delivery, and loses no
   * alert (the outbox row of a ping's transition is in the ping's own batch).
   *
   * The sync is asked for once the turn is over, once for all of its writes. The request of an
   * alert the write queued is written in the turn's check phase (undici first checks a kept-alive
   * socket there, in an immediate): a sync started before it could return first and put its
   * answer (file checks, a checkpoint that copies pages on the loop) ahead of the alert, and on a
   * busy machine the thread it wakes takes the core the alert needs. So two hops: an immediate
   * queued in the turn runs in its check phase, and the one it queues after every immediate of
   * that phase.
   */
  #syncSoon(): void {
    this.#syncAsked ??= setImmediate(() => {
      this.#syncAsked = setImmediate(() => {
        this.#syncAsked = null;
        this.wal.afterCommit(ignore);
      });
    });
  }

  provisioned(): ProvisionedRow[] {
    return this.#statements.provisioned.all() as ProvisionedRow[];
  }

  /** Adds a provisioned monitor; false when the slug or token is taken. */
  provision(row: ProvisionedRow): boolean {
    return this.#statements.provision.run(row).changes === 1;
  }

  /** Changes a provisioned monitor's name, period and grace; false when there is no such row. */
  reprovision(row: Pick<ProvisionedRow, 'slug' | 'name' | 'periodMs' | 'graceMs'>): boolean {
    return this.#statements.reprovision.run(row).changes === 1;
  }

  /** Forgets a provisioned monitor (its history stays, as for a monitor removed from the config). */
  unprovision(slug: string): boolean {
    return this.#statements.unprovision.run(slug).changes === 1;
  }

  transaction<T>(fn: () => T): T {
    const result = this.writeBatch(fn);
    this.#syncSoon();
    return result;
  }

  /**
   * Runs `fn` in a transaction, as transaction() does, without asking for a WAL sync: the group
   * commit asks for its own (WalSync.afterCommit). The pings it stores are listed for the index
   * only once the transaction has committed; those of a rolled-back savepoint inside it never.
   */
  writeBatch<T>(fn: () => T): T {
    const mark = this.pingIndex.mark();
    let result: T;
    this.#batches++;
    try {
      result = this.#transaction(fn) as T;
    } catch (error) {
      this.pingIndex.undo(mark);
      throw error;
    } finally {
      this.#batches--;
    }
    if (!this.db.inTransaction) this.pingIndex.settle();
    return result;
  }

  close(): void {
    // WalSync's close syncs everything committed: the sync asked for is not needed any more.
    if (this.#syncAsked !== null) clearImmediate(this.#syncAsked);
    this.#syncAsked = null;
    this.pingIndex.close();
    this.wal.close();
    if (this.#pinDb.open) this.#pinDb.close();
    if (this.db.open) this.db.close();
  }
}

function ignore(): void {}
