// Loads better-sqlite3's native addon when overdue runs as a single executable application (SEA).
//
// A SEA is one file, but a `.node` addon can only be loaded from a real file on disk, so the
// build embeds the addon as a SEA asset and this module writes it once to a cache directory,
// then loads it with `process.dlopen`. Outside a SEA (tsc output, tests) it does nothing and
// better-sqlite3 finds its addon in node_modules as usual.
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
// A static import is safe: node:sea exists since Node 20.12 and the package requires >= 20.19.
// esbuild keeps it as require('node:sea') in the CommonJS bundle, which a SEA can load.
import * as sea from 'node:sea';

/** Asset key under which scripts/build-binary.mjs embeds the addon; keep both in sync. */
export const ADDON_ASSET_KEY = 'better_sqlite3.node';

interface CacheDir {
  readonly dir: string;
  /** Where the path came from, for the error message. */
  readonly origin: string;
  /** True for the directory under the shared temp dir, where other users could plant files. */
  readonly shared: boolean;
}

let loaded: object | undefined;

/**
 * Returns better-sqlite3's native addon loaded from the SEA asset, or undefined when not running
 * as a SEA. Loads at most once per process: every Database can share the same addon.
 */
export function loadNativeBinding(): object | undefined {
  if (!sea.isSea()) return undefined;
  loaded ??= loadFromAsset();
  return loaded;
}

function loadFromAsset(): object {
  const bytes = readAsset();
  const hash = sha256(bytes);
  const failures: string[] = [];
  for (const candidate of cacheDirs()) {
    try {
      return loadFromDir(candidate, bytes, hash);
    } catch (error) {
      failures.push(`  - ${candidate.dir} (${candidate.origin}): ${describe(error)}`);
    }
  }
  throw new Error(
    [
      `overdue: cannot load the embedded SQLite addon (${ADDON_ASSET_KEY}). Tried:`,
      ...failures,
      'Fix: set CACHE_DIRECTORY to a directory this user can write that is not mounted noexec',
      '(under systemd, CacheDirectory=overdue in the unit does this).',
    ].join('\n'),
  );
}

function readAsset(): Uint8Array {
  try {
    // getAsset returns a copy (about 2 MB); getRawAsset would avoid it but maps read-only memory.
    return new Uint8Array(sea.getAsset(ADDON_ASSET_KEY));
  } catch (error) {
    throw new Error(
      `overdue: this binary has no embedded ${ADDON_ASSET_KEY} (${describe(error)}); ` +
        'rebuild it with `npm run build:binary`.',
    );
  }
}

/** Candidate cache directories, best first, without duplicates. */
function cacheDirs(env: NodeJS.ProcessEnv = process.env): CacheDir[] {
  const dirs: CacheDir[] = [];
  // systemd's CacheDirectory= sets this; it is colon-separated when the unit lists several.
  for (const dir of (env['CACHE_DIRECTORY'] ?? '').split(':')) {
    if (isAbsolute(dir)) dirs.push({ dir, origin: '$CACHE_DIRECTORY', shared: false });
  }
  const xdg = env['XDG_CACHE_HOME'];
  // The XDG spec says relative values are invalid and must be ignored.
  if (xdg !== undefined && isAbsolute(xdg)) {
    dirs.push({ dir: join(xdg, 'overdue'), origin: '$XDG_CACHE_HOME/overdue', shared: false });
  }
  const home = homeDir();
  if (home !== undefined) {
    dirs.push({ dir: join(home, '.cache', 'overdue'), origin: '~/.cache/overdue', shared: false });
  }
  const uid = process.getuid?.() ?? 'user';
  dirs.push({ dir: join(tmpdir(), `overdue-${uid}`), origin: 'temp dir', shared: true });
  return dirs.filter((d, i) => dirs.findIndex((o) => resolve(o.dir) === resolve(d.dir)) === i);
}

function homeDir(): string | undefined {
  try {
    // Throws when the user has no passwd entry and HOME is unset (possible under DynamicUser=).
    const home = homedir();
    return home === '' ? undefined : home;
  } catch {
    return undefined;
  }
}

/** Loads the addon from one directory, writing it there first if needed; throws on any failure. */
function loadFromDir(candidate: CacheDir, bytes: Uint8Array, hash: string): object {
  mkdirSync(candidate.dir, { recursive: true, mode: 0o700 });
  if (candidate.shared) assertPrivateDir(candidate.dir);
  // The hash in the name lets several overdue versions share one cache directory.
  const file = join(candidate.dir, `better_sqlite3-${hash.slice(0, 16)}.node`);
  // Checking the full hash (not just existence) also repairs a file truncated by a crash, which
  // is why the write below needs no fsync.
  if (!hasHash(file, hash)) writeAtomically(file, bytes);
  return dlopen(file);
}

/** Refuses a directory in the shared temp dir that another user created or can write to. */
function assertPrivateDir(dir: string): void {
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory()) throw new Error('not a directory (a symlink?); refusing to use it');
  if (uid !== undefined && stat.uid !== uid) {
    throw new Error(`owned by uid ${stat.uid}, not ${uid}; refusing to load code from it`);
  }
  if ((stat.mode & 0o022) !== 0) throw new Error('writable by other users; refusing to use it');
}

function hasHash(file: string, hash: string): boolean {
  try {
    return sha256(readFileSync(file)) === hash;
  } catch {
    // Missing or unreadable: either way it has to be (re)written.
    return false;
  }
}

/**
 * Writes via a unique temp file and rename(2), so several first starts at once never see a
 * half-written addon: each renames a complete file over the same name, and a process that
 * already loaded the old inode keeps it mapped.
 */
function writeAtomically(file: string, bytes: Uint8Array): void {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, bytes, { mode: 0o700, flag: 'wx' });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function dlopen(file: string): object {
  const module: { exports: unknown } = { exports: {} };
  try {
    process.dlopen(module, file);
  } catch (error) {
    // glibc reports a noexec mount as "failed to map segment from shared object".
    const hint = /failed to map segment|operation not permitted/i.test(describe(error))
      ? ' (is this directory on a noexec mount?)'
      : '';
    throw new Error(`dlopen failed: ${describe(error)}${hint}`);
  }
  if (typeof module.exports !== 'object' || module.exports === null) {
    throw new Error(`dlopen of ${file} did not return an addon object`);
  }
  return module.exports;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
