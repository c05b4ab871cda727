// Argument parsing, from the command table: a usage error is one line and a hint, exit status 2.
import { parseArgs } from 'node:util';
import { commandSpec } from './command-table.js';
import { HELP, USAGE } from './help.js';

export class UsageError extends Error {}

export function help(command: string): number {
  process.stdout.write(HELP[command] ?? USAGE);
  return 0;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  flag(name: string): boolean;
  string(name: string): string | undefined;
}

/** `args` parsed with the options the command table gives `command`. */
export function parse(command: string, args: readonly string[]): ParsedArgs {
  const spec = commandSpec(command);
  if (spec === undefined) throw new Error(`${command} is not in the command table`);
  const options = Object.fromEntries(
    spec.options.map((o) => [
      o.long,
      { type: o.value === undefined ? 'boolean' : 'string', ...(o.short && { short: o.short }) },
    ]),
  ) as Record<string, { type: 'boolean' | 'string'; short?: string }>;
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(firstLine(error instanceof Error ? error.message : String(error)));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const known = (name: string) => {
    if (!(name in options)) throw new Error(`${command} has no option --${name}`);
    return values[name];
  };
  return {
    positionals: parsed.positionals,
    flag: (name) => known(name) === true,
    string: (name) => {
      const value = known(name);
      return typeof value === 'string' ? value : undefined;
    },
  };
}

// Node's parseArgs messages run on with advice about '--' that fits no command of ours.
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/\. To specify a positional argument.*$/, '');
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
