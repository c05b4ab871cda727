// Shared by the import tests: the CLI as a real process, and a config made of an import's output.
import { join } from 'node:path';
import { runCli } from '../../helpers/process.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const PING_KEY = 'import-ping-key-0123456789';

/** `overdue import ...` as a user runs it; fails the test on a non-zero exit. */
export function importCli(args: string[], more: string[] = []): { stdout: string; stderr: string } {
  const r = runCli(['import', ...args, ...more]);
  if (r.status !== 0) throw new Error(`overdue import exited ${r.status}:\n${r.stderr}`);
  return r;
}

/** A whole config: a server on a free port, then the import's hooks and monitors as printed. */
export function withServer(imported: string): string {
  return `server:\n  listen: 127.0.0.1:0\n  ping-key: ${PING_KEY}\n${imported}`;
}
