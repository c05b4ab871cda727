// One daemon per data dir. Two daemons on one database would each record a transition for the same
// miss and each deliver every outbox row: every alert twice. The lock is SQLite's own file lock
// (fcntl) on a small file beside the database, held by an exclusive transaction that is never
// committed: the kernel drops it when the process ends, however it ends, so a kill -9 leaves no
// stale lock to clean up. Read-only commands (`overdue export`) open the database, not this file.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreOpenError } from './errors.js';

export const LOCK_FILE = 'overdue.lock';
/** Who holds the lock, for the message another daemon shows; stale after a kill -9, and harmless. */
export const PID_FILE = 'overdue.pid';

export class DataDirLock {
  readonly #db: Database.Database;
  readonly #pidFile: string;

  private constructor(db: Database.Database, pidFile: string) {
    this.#db = db;
    this.#pidFile = pidFile;
  }

  /** Takes the data dir's lock, or throws a StoreOpenError that says who holds it. */
  static acquire(dataDir: string, nativeBinding?: object): DataDirLock {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, LOCK_FILE);
    const pidFile = join(dataDir, PID_FILE);
    let db: Database.Database;
    try {
      db = new Database(file, {
        timeout: 0,
        ...(nativeBinding ? { nativeBinding: nativeBinding as unknown as string } : {}),
      });
    } catch (error) {
      throw new StoreOpenError(dataDir, error);
    }
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      // Anything but "busy" (a read-only filesystem, permissions) is a failure to open, told as such.
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY')
        throw new StoreOpenError(dataDir, error);
      const holder = readHolder(pidFile);
      throw new StoreOpenError(dataDir, error, {
        cause: `another overdue${holder} is serving this data dir (it holds ${file})`,
        fix: 'stop that daemon first (systemctl stop overdue), or give this one its own server.data-dir',
      });
    }
    try {
      writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
    } catch (error) {
      db.close();
      throw new StoreOpenError(dataDir, error);
    }
    return new DataDirLock(db, pidFile);
  }

  release(): void {
    if (!this.#db.open) return;
    rmSync(this.#pidFile, { force: true });
    this.#db.exec('ROLLBACK');
    this.#db.close();
  }
}

function readHolder(pidFile: string): string {
  try {
    const pid = readFileSync(pidFile, 'utf8').trim();
    return /^\d+$/.test(pid) ? ` (pid ${pid})` : '';
  } catch {
    return '';
  }
}
