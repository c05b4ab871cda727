// Argument parsing shared by the commands: usage errors exit 2 with the command's help.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HELP, USAGE } from './help.js';

export class UsageError extends Error {}

export function help(command: string): number {
  process.stdout.write(HELP[command] ?? USAGE);
  return 0;
}

export const helpOption = { help: { type: 'boolean', short: 'h' } } as const;

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: T,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${name} must be one of ${allowed.join(', ')}, not '${value}'`);
}
