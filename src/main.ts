#!/usr/bin/env node
// argv, signals and exit codes: the only file that calls process.exit.
// Exit codes: 0 ok, 1 runtime failure, 2 usage or config error.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatProblem, loadConfig } from './config/load-config.js';
import type { Config } from './config/types.js';
import { Daemon } from './daemon.js';
import { createLogger, type Logger } from './log.js';
import { loadNativeBinding } from './native-addon.js';
import { VERSION } from './version.js';

const USAGE = `overdue ${VERSION}: a dead-man's switch for scheduled work

Usage:
  overdue serve [--config FILE]   run the daemon (default config: ./config.yaml)
  overdue check FILE              validate a config file and exit (0 valid, 2 invalid)
  overdue version                 print the version
  overdue help [COMMAND]          show help

Signals: SIGHUP reloads the config (applied only if valid); SIGTERM or SIGINT shut down cleanly.
Docs: README.md, and config.example.yaml for every config key.
`;

const HELP: Record<string, string> = {
  serve: `Usage: overdue serve [--config FILE]

Runs the daemon: receives pings, tracks deadlines, sends alerts.
  -c, --config FILE   config file (default: ./config.yaml, or $OVERDUE_CONFIG)
Logs one logfmt line per event on stdout (no timestamp under journald).
`,
  check: `Usage: overdue check FILE

Validates FILE and lists every problem as file:line:col path: message.
Exit status: 0 valid, 2 invalid. Use it in CI before deploying a config.
`,
  version: 'Usage: overdue version\n\nPrints the version.\n',
};

class UsageError extends Error {}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    const topic = command === 'help' ? rest[0] : undefined;
    process.stdout.write(topic !== undefined && HELP[topic] ? HELP[topic] : USAGE);
    return 0;
  }
  if (command === 'version' || command === '--version' || command === '-v') {
    if (rest.includes('--help')) return help('version');
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    if (command === 'check') return check(rest);
    if (command === 'serve') return await serve(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`overdue: ${error.message}\n\n${HELP[command] ?? USAGE}`);
    return 2;
  }
  process.stderr.write(`overdue: unknown command '${command}'\n\n${USAGE}`);
  return 2;
}

function help(command: string): number {
  process.stdout.write(HELP[command] ?? USAGE);
  return 0;
}

const helpOption = { help: { type: 'boolean', short: 'h' } } as const;

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function check(args: readonly string[]): number {
  const { values, positionals } = parse(args, helpOption);
  if (values.help === true) return help('check');
  if (positionals.length !== 1) throw new UsageError('check takes exactly one FILE');
  const result = loadConfig(positionals[0] ?? '');
  if (!result.ok) {
    for (const p of result.problems) process.stderr.write(formatProblem(p) + '\n');
    process.stderr.write(`${result.problems.length} problem(s) found\n`);
    return 2;
  }
  const { monitors, hooks } = result.config;
  process.stdout.write(`${result.config.file}: ok (${monitors.size} monitors, ${hooks.size} hooks)\n`);
  return 0;
}

async function serve(args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, { ...helpOption, config: { type: 'string', short: 'c' } } as const);
  if (values.help === true) return help('serve');
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const file = typeof values.config === 'string' ? values.config : (process.env.OVERDUE_CONFIG ?? 'config.yaml');
  // journald stamps every line itself.
  const log = createLogger({ timestamps: process.env.JOURNAL_STREAM === undefined });
  const config = loadOrReport(file, log);
  if (config === null) return 2;
  const daemon = await Daemon.start({ config, log, nativeBinding: loadNativeBinding() });
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info('shutting down', { signal });
      daemon.close().then(
        () => resolve(0),
        (error: unknown) => {
          log.error('shutdown failed', { error: String(error) });
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => {
      const next = loadOrReport(file, log);
      if (next !== null) daemon.reload(next);
      else log.error('config not reloaded; still running the previous one', { file });
    });
  });
}

function loadOrReport(file: string, log: Logger): Config | null {
  const result = loadConfig(file);
  if (result.ok) return result.config;
  for (const p of result.problems) log.error('config problem', { problem: formatProblem(p) });
  return null;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`overdue: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
