// Why a write to the database failed, in words an operator can act on. SQLite's codes are exact but
// cryptic (SQLITE_IOERR_WRITE); the log names the cause and the fix, once per fault, and says when
// the fault has cleared, so a disk that fills up at night leaves two lines, not one per ping.
import { accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../platform/log.js';
import { DATABASE_FILE, type Store } from './store.js';
import { DATABASE_REPLACED } from './wal-sync.js';

export interface StoreCause {
  /** A few words: "disk full", "database locked by another process". */
  readonly cause: string;
  /** What the operator can do about it. */
  readonly fix: string;
}

export function describeStoreError(error: unknown): StoreCause {
  const code = errorCode(error);
  if (code.startsWith('SQLITE_FULL'))
    return {
      cause: 'disk full',
      fix: 'free space on the filesystem of data-dir; pings are stored again as soon as there is room',
    };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return {
      cause: 'database locked by another process',
      fix: 'end the other write transaction on overdue.db (a sqlite3 shell, a backup script); back up with sqlite3 ".backup", which does not hold the lock for long',
    };
  if (code.startsWith('SQLITE_READONLY'))
    return {
      cause: 'database is read-only',
      fix: 'make data-dir and the overdue.db* files in it writable by the user overdue runs as',
    };
  if (code.startsWith('SQLITE_CANTOPEN'))
    return {
      cause: 'cannot open the database files',
      fix: 'data-dir must be a writable directory: overdue creates overdue.db, overdue.db-wal and overdue.db-shm in it',
    };
  if (code.startsWith('SQLITE_IOERR'))
    return {
      cause: 'disk I/O error',
      fix: 'the filesystem refused the write (remounted read-only after errors, an immutable file, a failing disk): check dmesg and the mount of data-dir',
    };
  if (code === DATABASE_REPLACED)
    return {
      cause: 'the database files were deleted or replaced while overdue ran',
      fix: 'restart overdue; if overdue.db was deleted, restore it from a backup first',
    };
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'))
    return {
      cause: 'the database file is corrupt',
      fix: 'stop overdue, keep a copy of data-dir, then recover the data: sqlite3 overdue.db ".recover" | sqlite3 recovered.db, and put recovered.db in place of overdue.db',
    };
  return { cause: 'database error', fix: 'see the error; overdue retries by itself' };
}

/** The database could not be opened at start-up: where, why, and what to do. */
export class StoreOpenError extends Error {
  readonly fix: string;
  /** `described` gives the cause and the fix when the caller knows them better than the error. */
  constructor(dataDir: string, error: unknown, described?: StoreCause) {
    const { cause, fix } = described ?? describeOpenError(dataDir, error);
    super(`cannot open the database in ${dataDir}: ${cause}`, { cause: error });
    this.name = 'StoreOpenError';
    this.fix = fix;
  }
}

/**
 * The error to report for `error`, thrown while opening the database or loading the monitors: a
 * page found corrupt is told as a database that cannot open (a cause and a fix).
 */
export function asOpenError(dataDir: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const corrupt = typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
  return corrupt ? new StoreOpenError(dataDir, error) : error;
}

function describeOpenError(dataDir: string, error: unknown): StoreCause {
  // SQLite says only "unable to open database file", and mkdir on a read-only filesystem says
  // ENOENT: the directory (or its nearest existing parent) tells why.
  const code = probeWritable(dataDir) ?? errorCode(error);
  if (code === 'EROFS')
    return {
      cause: 'data-dir is on a read-only filesystem',
      fix: 'put data-dir on a writable filesystem (or remount it read-write): overdue writes overdue.db, overdue.db-wal and overdue.db-shm there',
    };
  if (code === 'EACCES' || code === 'EPERM')
    return {
      cause: 'permission denied',
      fix: 'make data-dir and the overdue.db* files in it writable by the user overdue runs as',
    };
  if (code === 'ENOSPC') return describeStoreError({ code: 'SQLITE_FULL' });
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    const file = join(dataDir, DATABASE_FILE);
    return {
      cause: `${file} is corrupt`,
      fix: `stop overdue, keep a copy of ${dataDir}, then recover the data: sqlite3 ${file} ".recover" | sqlite3 ${file}.recovered, and move ${file}.recovered to ${file} (removing ${file}-wal and ${file}-shm)`,
    };
  }
  if (code.startsWith('SQLITE_')) return describeStoreError(error);
  return { cause: String(error), fix: 'check server.data-dir in the config' };
}

/** Why `dir` (or, if it does not exist yet, its nearest parent) cannot be written; null if it can. */
function probeWritable(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    try {
      accessSync(d, constants.W_OK);
      return null;
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'ENOENT' || dirname(d) === d) return code || null;
    }
  }
}

function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null || !('code' in error)) return '';
  return typeof error.code === 'string' ? error.code : '';
}

/**
 * Tracks a fault of the store across many failed writes: logs its cause when it starts (or the
 * cause changes) and its end, with how long it lasted and how many writes failed meanwhile.
 */
export class StoreFaults {
  readonly #log: Logger;
  readonly #now: () => number;
  #fault: { readonly cause: string; readonly since: number; failures: number } | null = null;

  constructor(log: Logger, now: () => number) {
    this.#log = log;
    this.#now = now;
  }

  get active(): boolean {
    return this.#fault !== null;
  }

  /** The cause of the active fault, or null. */
  get cause(): string | null {
    return this.#fault?.cause ?? null;
  }

  /** A write failed; `what` says what could not be stored and what the daemon does instead. */
  failed(what: string, error: unknown): void {
    const { cause, fix } = describeStoreError(error);
    if (this.#fault?.cause === cause) {
      this.#fault.failures++;
      return;
    }
    this.#fault = { cause, since: this.#now(), failures: 1 };
    const message = error instanceof Error ? error.message : String(error);
    this.#log.error(what, { cause, fix, error: message, code: errorCode(error) || undefined });
  }

  /** A write succeeded: if a fault was active, it has cleared. */
  succeeded(): void {
    if (this.#fault === null) return;
    const { cause, since, failures } = this.#fault;
    this.#fault = null;
    this.#log.info('storage recovered; pings are stored again', {
      cause,
      failed_writes: failures,
      fault_ms: this.#now() - since,
    });
  }
}

/**
 * Failures of the pass that indexes pings by monitor (see ping-index.ts), apart from those of the
 * pings' own writes: pings are still stored and acknowledged meanwhile, so they do not make the
 * daemon unhealthy. Logged once per cause, and when the pass works again.
 */
export class IndexFaults {
  readonly #log: Logger;
  #cause: string | null = null;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** A step failed (error), or one worked after failing (null). */
  note(error: Error | null): void {
    if (error === null) {
      if (this.#cause !== null) {
        this.#log.info('pings are indexed by monitor again', { cause: this.#cause });
      }
      this.#cause = null;
      return;
    }
    const { cause, fix } = describeStoreError(error);
    if (this.#cause === cause) return;
    this.#cause = cause;
    this.#log.warn('cannot index pings by monitor; trying again every second (pings are stored)', {
      cause,
      fix,
      error: error.message,
      code: errorCode(error) || undefined,
    });
  }
}

/**
 * Null when the database can be written, else why not. A real write is tried: a read alone would
 * pass on a full disk or a read-only mount.
 */
export function storeHealth(store: Store, faults: StoreFaults, now: number): string | null {
  const broken = store.wal.checkFiles();
  if (broken !== null) return broken.message;
  // The last write of pings failed and none has succeeded since: unhealthy, even if the tiny
  // write below fits (a full disk may still take a frame where the WAL has room).
  const fault = faults.cause;
  if (fault !== null) return `${fault}; pings are refused until a write succeeds again`;
  try {
    store.touch(now);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
