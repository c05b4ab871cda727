// Usage errors of the client commands: reported with the command's help, exit status 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ClientIO } from './client-io.js';

export class UsageError extends Error {}

export const EXIT_USAGE = 2;

/** parseArgs in strict mode, with its errors turned into UsageErrors. */
export function parseStrict<T extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: T,
) {
  try {
    return parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function reportUsage(io: ClientIO, error: UsageError, help: string): number {
  io.stderr.write(`overdue: ${error.message}\n\n${help}`);
  return EXIT_USAGE;
}

/** A line on stderr, never stdout: stdout belongs to the job, or is empty for `ping`. */
export function warn(io: ClientIO, message: string): void {
  io.stderr.write(`overdue: ${message}\n`);
}
