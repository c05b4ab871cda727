// Durability and checkpoints off the event loop.
//
// The connection runs with `synchronous = NORMAL`: a WAL commit then only appends to the `-wal`
// file's page cache and returns. Durability comes from an fdatasync(2) of the `-wal` file that runs
// in libuv's threadpool: what was committed before that fdatasync began is on disk once it
// returns, so a batch's pings are acknowledged only after an fdatasync that began after the
// batch committed (fsync flushes the file, whichever descriptor it is called on). One fdatasync
// runs at a time; batches committed while it runs wait for the next one, so commits never wait
// for the disk and the disk never waits for the loop.
//
// Automatic checkpoints are off (`wal_autocheckpoint = 0`): SQLite would run them inside a commit,
// on the loop, with two fsyncs each. Instead a checkpoint cycle runs now and then (every 10 ms
// when busy, after 8 syncs asked for or 10 s when not; see CYCLE_EVERY_MS):
//   1. when an fdatasync of the WAL begins, a second connection opens a read transaction (the
//      "pin"): its snapshot is exactly what that fdatasync makes durable;
//   2. when the fdatasync returns, a PASSIVE checkpoint with `synchronous = OFF` copies the WAL
//      into the database file's page cache: only up to the pin's snapshot (a checkpoint never
//      passes a reader), so only frames already durable reach the database file;
//   3. an fdatasync of the database file runs in the threadpool;
//   4. then the pin is released. While the pin is held, SQLite cannot restart the WAL from its
//      beginning, so frames the database file still needs are never overwritten before step 3.
// Only step 2 runs on the loop: copying pages between two files in the page cache, a few µs each.
//
// A writer that never pauses keeps the WAL from wrapping (every cycle's checkpoint stops at its
// pin, and commits land after it), so the WAL is bounded by back-pressure, not by timing: once the
// `-wal` file is larger than WAL_LIMIT_BYTES, batches of pings wait (`draining`) while one cycle
// runs with no commit after its pin. Its checkpoint then reaches the end of the WAL, the next
// commit starts the WAL over from its beginning, and SQLite cuts the file back to the limit
// (`journal_size_limit`, set by the store). So the file never holds more than the limit plus one
// batch, however slow the disk: a slow disk only makes batches wait longer.
import {
  closeSync,
  constants,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  openSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Database, Statement } from 'better-sqlite3';

export type Synced = (error: Error | null) => void;

/** Runs `fn` once after `ms` without keeping the process alive; returns what cancels it. */
export type Later = (fn: () => void, ms: number) => () => void;

const unrefLater: Later = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** The code of the error that says the database files were deleted or replaced. */
export const DATABASE_REPLACED = 'OVERDUE_DATABASE_REPLACED';

// A cycle at most this often. Step 2 copies on the loop every page written since the last cycle.
// Measured when every ping still wrote a page of its own (its monitor's leaf of an index on the
// pings, since replaced by ping_index, see ping-index.ts): copies of 100 ms of pings held the loop
// for up to 8.5 ms at p99 (378 ms with 300 pings of history per monitor); of 10 ms, 0.9 ms
// (3.4 ms). See docs/performance.md.
const CYCLE_EVERY_MS = 10;
// ...and only once this many syncs were asked for since the last cycle began (a sync asked for
// covers one commit or more), or this long after it. A daemon that commits now and then (a ping at
// a time, an alert) would otherwise run a cycle for every commit: the database file's fdatasync
// after each WAL fdatasync, for a copy of a page or two, and that I/O lands just as the alert
// leaves. A busy daemon (a batch every turn) still cycles every 10 ms. What a quiet daemon leaves
// in the WAL is copied by a cycle of its own once this long has passed (see #copyLater), so the
// database file never lags far behind.
export const CYCLE_AFTER_COMMITS = 8;
export const CYCLE_QUIET_MS = 10_000;
/** Past this size of the `-wal` file, batches wait for a draining checkpoint (8 000 4-KiB pages). */
export const WAL_LIMIT_BYTES = 32 * 1024 * 1024;
// After a failed fsync of the database file, the pin stays and the fsync is retried this late.
const RETRY_MS = 1_000;

interface CheckpointResult {
  readonly busy: number;
  readonly log: number;
  readonly checkpointed: number;
}

export class WalSync {
  readonly #db: Database;
  readonly #pinDb: Database;
  readonly #walFd: number;
  readonly #dbFd: number;
  readonly #statements: {
    begin: Statement;
    read: Statement;
    end: Statement;
    checkpoint: Statement;
  };
  readonly #now: () => number;
  readonly #later: Later;
  /** Cancels the armed quiet cycle (see #copyLater); null when none is armed. */
  #quiet: (() => void) | null = null;
  #waiting: Synced[] = [];
  /** The callers the running fdatasync of the WAL covers; null when none runs. */
  #covered: Synced[] | null = null;
  /** fdatasync calls in the threadpool: the descriptors stay open until they have returned. */
  #inFlight = 0;
  #pinned = false;
  /** A draining cycle is wanted: the next cycle starts at once and holds batches. */
  #drainNext = false;
  /** The running cycle holds batches until its checkpoint has reached the end of the WAL. */
  #draining = false;
  /** A drain has ended: the next commit starts the WAL over, so the file's size says nothing yet. */
  #restartDue = false;
  /** Called when the drain ends: the group commit's held batch, the ping index's next step. */
  #resume: (() => void)[] = [];
  #cycleAt = -Infinity;
  /** When a cycle last tried to pin (it fails while another process locks the database). */
  #pinTriedAt = -Infinity;
  /** Syncs asked for since the last cycle began. */
  #commits = 0;
  #closed = false;
  /** Set by a failed fsync of the WAL: from then on nothing is acknowledged (see #startSync). */
  #broken: Error | null = null;

  /** `pinDb` is a second connection to the same file, used only for the pin. */
  constructor(
    db: Database,
    pinDb: Database,
    now: () => number = () => performance.now(),
    later: Later = unrefLater,
  ) {
    this.#db = db;
    this.#pinDb = pinDb;
    this.#now = now;
    this.#later = later;
    // Opened read-only: fdatasync needs no write access, and SQLite keeps the -wal file while a
    // connection is open (a restart rewrites it in place).
    this.#walFd = openSync(`${db.name}-wal`, constants.O_RDONLY | constants.O_CREAT, 0o600);
    this.#dbFd = openSync(db.name, 'r');
    // The -wal file may have just been created: its name must survive a power cut too.
    const dirFd = openSync(dirname(db.name), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    this.#statements = {
      begin: pinDb.prepare('BEGIN'),
      read: pinDb.prepare('SELECT count(*) FROM sqlite_master'),
      end: pinDb.prepare('COMMIT'),
      checkpoint: db.prepare('PRAGMA wal_checkpoint(PASSIVE)'),
    };
  }

  /** True while batches must wait: a draining cycle runs, or the WAL has passed its limit. */
  get draining(): boolean {
    if (this.#draining) return true;
    // One fstat per batch, not per ping.
    return !this.#restartDue && !this.#closed && fstatSync(this.#walFd).size > WAL_LIMIT_BYTES;
  }

  /** Calls `resume` once a draining cycle has ended; starts one if none is under way. */
  whenWritable(resume: () => void): void {
    this.#resume.push(resume);
    if (this.#draining || this.#drainNext) return;
    this.#drainNext = true;
    // A running cycle starts the draining one when it ends (see #unpin); a running fsync of the
    // WAL, when it returns (see #startSync).
    if (!this.#pinned && this.#covered === null) this.#startSync();
  }

  /**
   * Why nothing can be acknowledged any more (a failed fsync of the WAL, or the database files
   * deleted or replaced under the daemon); null while all is well.
   */
  get broken(): Error | null {
    return this.#broken;
  }

  /**
   * Checks that the files under the open descriptors are still the ones at their paths. Deleted
   * (or replaced by another file), everything written from now on goes into a file nobody will
   * read again, and a restart would find the data gone: from then on nothing is acknowledged.
   *
   * After every fsync of the WAL, before its callers are answered, only the link counts are read
   * (one fstat per file): a file deleted, or replaced by renaming another over its path, has none
   * left. The health probe (`full`) also compares each path's inode with the open one's, which
   * catches the rarer replacement that keeps the old file linked elsewhere.
   */
  checkFiles(full = true): Error | null {
    if (this.#broken !== null || this.#closed) return this.#broken;
    for (const [fd, path] of [
      [this.#walFd, `${this.#db.name}-wal`],
      [this.#dbFd, this.#db.name],
    ] as const) {
      const open = fstatSync(fd);
      const atPath = full ? statSync(path, { throwIfNoEntry: false }) : open;
      if (open.nlink === 0 || atPath?.ino !== open.ino || atPath.dev !== open.dev) {
        this.#broken = Object.assign(
          new Error(
            `${path} was deleted or replaced while overdue ran: pings are refused until overdue is restarted`,
          ),
          { code: DATABASE_REPLACED },
        );
        break;
      }
    }
    return this.#broken;
  }

  /** Calls `synced` once everything committed so far is on disk (or could not be put there). */
  afterCommit(synced: Synced): void {
    if (this.#closed) return synced(new Error('the database is closed'));
    if (this.#broken !== null) return synced(this.#broken);
    this.#restartDue = false;
    this.#commits++;
    this.#waiting.push(synced);
    if (this.#covered === null) this.#startSync();
  }

  #startSync(): void {
    const covered = this.#waiting;
    this.#waiting = [];
    this.#covered = covered;
    const cycle = !this.#pinned && (this.#drainNext || this.#cycleDue()) && this.#pin();
    // No cycle can pin a snapshot: held batches go on rather than wait for a drain that cannot run.
    if (!cycle && !this.#pinned && this.#drainNext) {
      this.#drainNext = false;
      this.#endDrain();
    }
    this.#fdatasync(this.#walFd, (error) => {
      this.#covered = null;
      // After a failed fsync the kernel may drop the pages it could not write and report the next
      // fsync as a success ("fsyncgate"): later commits would then be acknowledged on top of a
      // hole that recovery stops at. So one failure ends acknowledgements until a restart, which
      // recovers the WAL from what is really on disk.
      if (error !== null) {
        this.#broken ??= new Error(
          `cannot fsync the WAL (${error.code ?? error.message}): pings are refused until overdue is restarted`,
        );
      }
      const err = this.checkFiles(false);
      for (const synced of covered) synced(err);
      if (cycle) this.#checkpoint(err === null);
      this.#syncAgainIfWanted();
    });
  }

  /** Enough was committed since the last cycle, or long enough ago, for the next one. */
  #cycleDue(): boolean {
    const since = this.#now() - this.#cycleAt;
    return (
      since >= CYCLE_QUIET_MS || (since >= CYCLE_EVERY_MS && this.#commits >= CYCLE_AFTER_COMMITS)
    );
  }

  /** fdatasync in the threadpool; `then` is not called once closed. */
  #fdatasync(fd: number, then: (error: NodeJS.ErrnoException | null) => void): void {
    this.#inFlight++;
    fdatasync(fd, (error) => {
      if (--this.#inFlight === 0 && this.#closed) this.#closeFiles();
      if (!this.#closed) then(error);
    });
  }

  /** Step 1: pins the snapshot the starting fdatasync covers. False when it cannot. */
  #pin(): boolean {
    this.#pinTriedAt = this.#now();
    try {
      this.#statements.begin.run();
      this.#statements.read.get();
    } catch {
      if (this.#pinDb.inTransaction) this.#statements.end.run();
      return false;
    }
    this.#pinned = true;
    this.#cycleAt = this.#now();
    this.#commits = 0;
    this.#quiet?.();
    this.#quiet = null;
    if (this.#drainNext) {
      this.#drainNext = false;
      this.#draining = true;
    }
    return true;
  }

  /** Steps 2 to 4. */
  #checkpoint(walSynced: boolean): void {
    let result: CheckpointResult | undefined;
    if (walSynced) {
      try {
        this.#db.pragma('synchronous = OFF');
        result = this.#statements.checkpoint.get() as CheckpointResult;
      } catch {
        // Busy or failing: nothing was copied that matters; the next cycle tries again.
      } finally {
        this.#db.pragma('synchronous = NORMAL');
      }
    }
    if (result === undefined || result.checkpointed <= 0) return this.#unpin();
    this.#syncDatabase(result);
  }

  /** Step 3; the pin stays until it succeeds, so the WAL is never overwritten before. */
  #syncDatabase(result: CheckpointResult): void {
    this.#fdatasync(this.#dbFd, (error) => {
      if (error === null) return this.#unpin();
      // The pin stays (the WAL must not be overwritten), but commits held by a drain go on.
      if (this.#draining) this.#endDrain();
      setTimeout(() => {
        if (!this.#closed) this.#syncDatabase(result);
      }, RETRY_MS).unref();
    });
  }

  #unpin(): void {
    if (this.#closed) return;
    this.#statements.end.run();
    this.#pinned = false;
    if (this.#draining) this.#endDrain();
    this.#syncAgainIfWanted();
  }

  /** Starts the next sync if callers wait for one, or a drain was asked for while a cycle ran. */
  #syncAgainIfWanted(): void {
    if (this.#covered !== null || this.#closed) return;
    if (this.#waiting.length > 0 || (this.#drainNext && !this.#pinned)) this.#startSync();
    else if (this.#commits > 0 && !this.#pinned) this.#copyLater();
  }

  /**
   * Commits synced since the last cycle wait in the WAL for one: if none comes by itself (no 8th
   * commit), a cycle of its own runs CYCLE_QUIET_MS after the last one began (a sync that covers
   * no caller). A cycle that begins meanwhile cancels the wait (see #pin).
   */
  #copyLater(): void {
    if (this.#quiet !== null) return;
    // From the last attempt, not the last success: a pin that keeps failing is tried every 10 s.
    const waitMs = () => this.#pinTriedAt + CYCLE_QUIET_MS - this.#now();
    this.#quiet = this.#later(
      () => {
        this.#quiet = null;
        // A sync or a cycle under way calls #syncAgainIfWanted when it ends, which looks again.
        if (this.#closed || this.#pinned || this.#covered !== null || this.#commits === 0) return;
        // Woken a little early (the timer's clock is not this one): waits for the rest.
        if (waitMs() > 0) this.#copyLater();
        else this.#startSync();
      },
      Math.max(0, waitMs()),
    );
  }

  #endDrain(): void {
    this.#draining = false;
    this.#restartDue = true;
    const resumers = this.#resume;
    this.#resume = [];
    // Each is resumed even if one before it throws (a bug in publishing a batch): the first error
    // is thrown once all have run.
    let thrown: { error: unknown } | null = null;
    for (const resume of resumers) {
      try {
        resume();
      } catch (error) {
        thrown ??= { error };
      }
    }
    if (thrown !== null) throw thrown.error;
  }

  /** Syncs what is still waiting, synchronously, answers its callers, and releases the files. */
  close(): void {
    if (this.#closed) return;
    this.#quiet?.();
    this.#quiet = null;
    // A batch held back by a drain commits now, so that the sync below covers it. Should resuming
    // throw, the files are still synced and released first.
    let thrown: { error: unknown } | null = null;
    try {
      if (this.#resume.length > 0) this.#endDrain();
    } catch (error) {
      thrown = { error };
    }
    this.#closed = true;
    let err: Error | null = null;
    try {
      fdatasyncSync(this.#walFd);
    } catch (error) {
      err = new Error(`cannot fsync the WAL: ${String(error)}`);
    }
    const callers = [...(this.#covered ?? []), ...this.#waiting];
    this.#covered = null;
    this.#waiting = [];
    for (const synced of callers) synced(err);
    if (this.#pinDb.open && this.#pinDb.inTransaction) this.#statements.end.run();
    if (this.#inFlight === 0) this.#closeFiles();
    if (thrown !== null) throw thrown.error;
  }

  #closeFiles(): void {
    closeSync(this.#walFd);
    closeSync(this.#dbFd);
  }
}
