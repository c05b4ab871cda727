// Usage errors of the client commands: one line and where the help is, exit status 2.
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
    // Node's advice about '--' after an unknown option is left out: one line says it all.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/\. To specify a positional argument[^]*$/, ''));
  }
}

export function reportUsage(io: ClientIO, error: UsageError, command: string): number {
  io.stderr.write(`overdue: ${error.message}\nTry 'overdue ${command} --help'.\n`);
  return EXIT_USAGE;
}

/** A line on stderr, never stdout: stdout belongs to the job, or is empty for `ping`. */
export function warn(io: ClientIO, message: string): void {
  io.stderr.write(`overdue: ${message}\n`);
}
