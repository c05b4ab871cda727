// What `overdue version` and overdue_build_info in /metrics report about the running build.
import { VERSION } from './version.js';

// scripts/build-binary.mjs writes the commit into the executable's bundle (esbuild's define); a
// tsc build (dist/, tests) has none and says `unknown`.
declare const __OVERDUE_COMMIT__: string | undefined;

export const COMMIT = typeof __OVERDUE_COMMIT__ === 'string' ? __OVERDUE_COMMIT__ : 'unknown';

export interface BuildInfo {
  readonly version: string;
  readonly commit: string;
  /** The Node.js running overdue (the embedded one, in the single executable). */
  readonly node: string;
  /** The SQLite compiled into better-sqlite3's addon. */
  readonly sqlite: string;
}

export function buildInfo(sqlite: string): BuildInfo {
  return { version: VERSION, commit: COMMIT, node: process.version, sqlite };
}
