// Reading the config file: a regular file only, and only up to a size limit. A config path that
// pointed at /dev/zero was read until memory ran out, and one that pointed at a FIFO froze the
// daemon until something wrote to it.
//
// 1. open with O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer (on a thread of
//    libuv's pool, four in all, or on the event loop for the synchronous call). On a regular file
//    the flag changes nothing.
// 2. fstat the open descriptor, not the path, so the file checked is the file read.
// 3. read at most one byte over the limit, whatever the size said: a file can grow, and files in
//    /proc say 0.
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Env } from '../schema-kit/env.js';

/** 64 MiB: the largest real config, 100 000 monitors, takes 9 MB. */
export const DEFAULT_MAX_CONFIG_BYTES = 64 * 1024 * 1024;

const LIMIT_VARIABLE = 'OVERDUE_MAX_CONFIG_BYTES';

export type ReadResult =
  | { readonly ok: true; readonly text: string; readonly mode: number }
  | { readonly ok: false; readonly message: string };

/** The size limit from OVERDUE_MAX_CONFIG_BYTES, or a message saying what is wrong with it. */
export function maxConfigBytes(env: Env): number | string {
  const value = env[LIMIT_VARIABLE];
  if (value === undefined || value === '') return DEFAULT_MAX_CONFIG_BYTES;
  const bytes = /^\d+$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(bytes) && bytes > 0) return bytes;
  return `${LIMIT_VARIABLE} must be a whole number of bytes, like ${DEFAULT_MAX_CONFIG_BYTES} (64 MiB), not '${value}'`;
}

export async function readConfigFile(file: string, maxBytes: number): Promise<ReadResult> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK and O_NOCTTY do not exist on Windows, where FIFOs are not files anyway.
    const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
    handle = await open(file, flags);
  } catch (error) {
    return cannotRead(openError(error));
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return cannotRead(notAFile(stats));
    if (stats.size > maxBytes) return cannotRead(tooLarge(stats.size, maxBytes));
    const bytes = await readAtMost(handle, stats.size, maxBytes + 1);
    if (bytes.length > maxBytes) return cannotRead(tooLarge(bytes.length, maxBytes));
    return { ok: true, text: bytes.toString('utf8'), mode: stats.mode };
  } catch (error) {
    return cannotRead(openError(error));
  } finally {
    await handle.close();
  }
}

/** The file's bytes up to `limit`; `expected` (its size when opened) sizes the first read. */
async function readAtMost(handle: FileHandle, expected: number, limit: number): Promise<Buffer> {
  // One byte more than expected, so that the end of the file is seen by the first read.
  let buffer = Buffer.allocUnsafe(Math.min(expected + 1, limit));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length === limit) return buffer;
      const grown = Buffer.allocUnsafe(Math.min(length * 2, limit));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
  }
}

function cannotRead(reason: string): ReadResult {
  return { ok: false, message: `cannot read config file: ${reason}` };
}

const KINDS: readonly (readonly [(stats: Stats) => boolean, string])[] = [
  [(s) => s.isFIFO(), 'a FIFO (named pipe)'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
  [(s) => s.isSocket(), 'a socket'],
];

function notAFile(stats: Stats): string {
  if (stats.isDirectory()) return 'it is a directory, not a file';
  const kind = KINDS.find(([is]) => is(stats))?.[1] ?? 'not a file';
  return `it is ${kind}, not a regular file: point --config at the file itself`;
}

function tooLarge(bytes: number, maxBytes: number): string {
  return `it has ${bytes} bytes, more than the limit of ${maxBytes} (raise ${LIMIT_VARIABLE} if the file is meant to be this large)`;
}

function openError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file (create it, or pass --config)';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  return error instanceof Error ? error.message : String(error);
}
