// Reading a database without the daemon's lock and without ever writing to it (`overdue export`):
// opened read-only, and only if the file exists, so a wrong data-dir is an error, not a new,
// empty database.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { ProvisionedRow } from '../engine/ports.js';
import { DATABASE_FILE } from './store.js';

export interface ReadOnlyOptions {
  readonly nativeBinding?: object | undefined;
}

/** The provisioned monitors of the database in `dataDir`, and the file they were read from. */
export function readProvisioned(
  dataDir: string,
  options: ReadOnlyOptions = {},
): { file: string; rows: ProvisionedRow[] } {
  const file = join(dataDir, DATABASE_FILE);
  const db = new Database(file, {
    readonly: true,
    fileMustExist: true,
    timeout: 1000,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding as unknown as string } : {}),
  });
  try {
    const rows = db
      .prepare(
        `SELECT slug, name, period_ms AS periodMs, grace_ms AS graceMs, token, created_at AS createdAt
         FROM provisioned ORDER BY created_at, slug`,
      )
      .all() as ProvisionedRow[];
    return { file, rows };
  } finally {
    db.close();
  }
}
