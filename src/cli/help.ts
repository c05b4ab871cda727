// The help texts, made from the command table.
import { VERSION } from '../platform/version.js';
import { COMMANDS, commandSpec, type CommandSpec, type OptionSpec } from './command-table.js';

const SUMMARY_COLUMN = 34;

function usageLine(c: CommandSpec): string {
  return `overdue ${c.name}${c.usage === '' ? '' : ` ${c.usage}`}`;
}

function listLine(c: CommandSpec): string {
  const usage = `  ${usageLine(c)}`;
  if (usage.length < SUMMARY_COLUMN) return `${usage.padEnd(SUMMARY_COLUMN)}${c.summary}`;
  return `${usage}\n${' '.repeat(SUMMARY_COLUMN)}${c.summary}`;
}

export const USAGE = `overdue ${VERSION}: a dead-man's switch for scheduled work

Usage:
${COMMANDS.map(listLine).join('\n')}

Every command that reads the config takes --config FILE (default: $OVERDUE_CONFIG, or ./config.yaml)
and --env-file FILE. Exit status: 0 ok, 1 runtime failure, 2 usage or config error.
Signals: SIGHUP reloads the config (applied only if valid); SIGTERM or SIGINT shut down cleanly.
Docs: overdue man, overdue help COMMAND, and README.md and docs/ in the source.
`;

/** `-c, --config FILE` as the help and the man page show it. */
export function optionLabel(o: OptionSpec): string {
  const long = `--${o.long}${o.value === undefined ? '' : ` ${o.value}`}`;
  return o.short === undefined ? long : `-${o.short}, ${long}`;
}

function optionLines(options: readonly OptionSpec[]): string {
  const width = Math.max(...options.map((o) => optionLabel(o).length)) + 2;
  return options.map((o) => `  ${optionLabel(o).padEnd(width)}${o.help}`).join('\n');
}

function commandHelp(c: CommandSpec): string {
  if (c.text !== undefined) return c.text;
  const parts = [`Usage: ${usageLine(c)}`, c.about];
  if (c.options.length > 0) parts.push(`Options:\n${optionLines(c.options)}`);
  if (c.after !== undefined) parts.push(c.after);
  return parts.join('\n\n') + '\n';
}

export const HELP: Readonly<Record<string, string>> = Object.fromEntries(
  COMMANDS.map((c) => [c.name, commandHelp(c)]),
);

/** The one-line hint after a usage error. */
export function helpHint(command: string | undefined): string {
  return command !== undefined && commandSpec(command) !== undefined
    ? `Try 'overdue ${command} --help'.`
    : "Try 'overdue --help'.";
}
