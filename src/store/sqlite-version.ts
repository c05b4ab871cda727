// The version of the SQLite library inside better-sqlite3's addon, for `overdue version` and
// overdue_build_info. An in-memory database: no file is touched.
import Database from 'better-sqlite3';
import type { StoreOptions } from './store.js';

export function sqliteVersion(options: StoreOptions): string {
  const { nativeBinding } = options;
  const db = new Database(':memory:', {
    ...(nativeBinding ? { nativeBinding: nativeBinding as unknown as string } : {}),
  });
  try {
    return String(db.prepare('SELECT sqlite_version()').pluck().get());
  } finally {
    db.close();
  }
}
