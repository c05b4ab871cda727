#!/usr/bin/env node
// argv, signals and exit codes: the only file that calls process.exit.
// Exit codes: 0 ok, 1 runtime failure, 2 usage or config error.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { exposureOf } from './config/exposure.js';
import { formatProblem, loadConfig } from './config/load-config.js';
import { toJsonSchema } from './config/schema.js';
import type { Config } from './config/types.js';
import type { AlertEvent } from './core/types.js';
import { Daemon } from './daemon.js';
import { testAlert } from './alert/test-alert.js';
import { processClientIO } from './client/client-io.js';
import { runExec } from './client/exec.js';
import { EXEC_HELP, PING_HELP } from './client/help.js';
import { runPing } from './client/ping.js';
import { watchConfig } from './config-watch.js';
import { createLogger, FORMATS, LEVELS, type Logger } from './log.js';
import { loadNativeBinding } from './native-addon.js';
import { exportYaml } from './provisioning.js';
import { StoreOpenError } from './store/errors.js';
import { Store } from './store/store.js';
import { VERSION } from './version.js';

const USAGE = `overdue ${VERSION}: a dead-man's switch for scheduled work

Usage:
  overdue serve [--config FILE]   run the daemon (default config: ./config.yaml)
  overdue check FILE              validate a config file and exit (0 valid, 2 invalid)
  overdue exec MONITOR -- CMD...  run a job and report its start, exit status and output
  overdue ping MONITOR [--fail]   send one ping (--start, --fail, --log, --exit N, --data)
  overdue test-alert HOOK [--monitor SLUG] [--event EVENT] [--config FILE]
                                  send a sample alert through a hook and print the outcome
  overdue export [--config FILE]  print auto-provisioned monitors as YAML for the config
  overdue schema                  print the config's JSON Schema (for editors)
  overdue version                 print the version
  overdue help [COMMAND]          show help

Signals: SIGHUP reloads the config (applied only if valid); SIGTERM or SIGINT shut down cleanly.
Docs: README.md, and config.example.yaml for every config key.
`;

const HELP: Record<string, string> = {
  exec: EXEC_HELP,
  ping: PING_HELP,
  serve: `Usage: overdue serve [--config FILE] [--log-level LEVEL] [--log-format FORMAT] [--no-watch]

Runs the daemon: receives pings, tracks deadlines, sends alerts.
  -c, --config FILE     config file (default: $OVERDUE_CONFIG, or ./config.yaml)
  --log-level LEVEL     debug, info, warn or error (default: $OVERDUE_LOG_LEVEL, or info)
  --log-format FORMAT   logfmt or json (default: $OVERDUE_LOG_FORMAT, or logfmt)
  --no-watch            reload only on SIGHUP, not when the config file changes
Logs one line per event on stdout, without a timestamp under journald.
`,
  check: `Usage: overdue check FILE

Validates FILE and lists every problem as file:line:col path: message.
Exit status: 0 valid, 2 invalid. Use it in CI before deploying a config.
`,
  version: 'Usage: overdue version\n\nPrints the version.\n',
  'test-alert': `Usage: overdue test-alert HOOK [--monitor SLUG] [--event EVENT] [--config FILE]

Sends a sample alert through HOOK as configured and prints where it went and the outcome.
Nothing is stored, and the daemon need not run.
  -m, --monitor SLUG  alert for this monitor (default: a sample monitor)
  -e, --event EVENT   down (default), up, start-overdue, fail, late or reminder
  -c, --config FILE   config file (default: $OVERDUE_CONFIG, or ./config.yaml)
Exit status: 0 delivered, 1 not delivered, 2 usage or config error.
`,
  export: `Usage: overdue export [--config FILE]

Prints the monitors that auto-provisioning created (kept in the database) as YAML, to paste under
\`monitors:\` in the config file. The config always wins: once pasted, the file owns them, with the
same slug and token, so their history and ping URLs carry on.
  -c, --config FILE   config file (default: $OVERDUE_CONFIG, or ./config.yaml)
`,
  schema: `Usage: overdue schema

Prints the JSON Schema of the config file, generated from the validator itself. Save it beside
your config and point editors at it with a first line like:
  # yaml-language-server: $schema=./config.schema.json
`,
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
  // The clients read their own arguments (everything after `--` belongs to the job), and must get
  // fd 0 untouched: opening process.stdin here would make it non-blocking for the job.
  if (command === 'exec') return runExec(rest, processClientIO());
  if (command === 'ping') return runPing(rest, processClientIO());
  if (command === 'schema') {
    if (rest.includes('--help') || rest.includes('-h')) return help('schema');
    process.stdout.write(JSON.stringify(toJsonSchema(), null, 2) + '\n');
    return 0;
  }
  try {
    if (command === 'check') return check(rest);
    if (command === 'serve') return await serve(rest);
    if (command === 'export') return exportProvisioned(rest);
    if (command === 'test-alert') return await sendTestAlert(rest);
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

function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: T,
) {
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
  const { refusal, warnings } = exposureOf(positionals[0] ?? '');
  for (const warning of refusal === null ? warnings : [refusal, ...warnings])
    process.stderr.write(`warning: ${warning}\n`);
  const { monitors, hooks } = result.config;
  process.stdout.write(
    `${result.config.file}: ok (${monitors.size} monitors, ${hooks.size} hooks)\n`,
  );
  return 0;
}

const serveOptions = {
  ...helpOption,
  config: { type: 'string', short: 'c' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  'no-watch': { type: 'boolean' },
} as const;

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${name} must be one of ${allowed.join(', ')}, not '${value}'`);
}

async function serve(args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, serveOptions);
  if (values.help === true) return help('serve');
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const env = process.env;
  const file = values.config ?? env.OVERDUE_CONFIG ?? 'config.yaml';
  const log = createLogger({
    level: oneOf('--log-level', values['log-level'] ?? env.OVERDUE_LOG_LEVEL, LEVELS, 'info'),
    format: oneOf(
      '--log-format',
      values['log-format'] ?? env.OVERDUE_LOG_FORMAT,
      FORMATS,
      'logfmt',
    ),
    // journald stamps every line itself.
    timestamps: env.JOURNAL_STREAM === undefined,
  });
  const config = loadOrReport(file, log);
  if (config === null) return 2;
  // Signal handlers go in before start-up: a SIGHUP's default action is to end the process, and
  // a SIGTERM during start-up must still shut down cleanly.
  let daemon: Daemon | null = null;
  let stopSignal: string | null = null;
  const stopped = new Promise<string>((resolve) => {
    const stop = (signal: string) => {
      stopSignal ??= signal;
      resolve(signal);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
  const reload = (why: string) => {
    if (daemon === null || stopSignal !== null) return;
    const next = loadOrReport(file, log);
    if (next !== null) return daemon.reload(next);
    daemon.noteReloadFailed();
    log.error('config not reloaded; still running the previous one', { file, trigger: why });
  };
  process.on('SIGHUP', () => reload('SIGHUP'));
  try {
    daemon = await Daemon.start({ config, log, nativeBinding: loadNativeBinding() });
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    log.error(error.message, { fix: error.fix, error: String(error.cause) });
    return 1;
  }
  const unwatch =
    values['no-watch'] === true ? () => undefined : watchConfig(file, () => reload('file change'));
  const signal = await stopped;
  unwatch();
  log.info('shutting down', { signal });
  try {
    await daemon.close();
  } catch (error) {
    log.error('shutdown failed', { error: String(error) });
    return 1;
  }
  log.info('stopped');
  return 0;
}

const EVENTS: readonly AlertEvent[] = ['down', 'up', 'start-overdue', 'fail', 'late', 'reminder'];

async function sendTestAlert(args: readonly string[]): Promise<number> {
  const options = {
    ...helpOption,
    config: { type: 'string', short: 'c' },
    monitor: { type: 'string', short: 'm' },
    event: { type: 'string', short: 'e' },
  } as const;
  const { values, positionals } = parse(args, options);
  if (values.help === true) return help('test-alert');
  if (positionals.length !== 1) throw new UsageError('test-alert takes exactly one HOOK');
  const event = oneOf('--event', values.event, EVENTS, 'down');
  const result = loadConfig(values.config ?? process.env.OVERDUE_CONFIG ?? 'config.yaml');
  if (!result.ok) {
    for (const p of result.problems) process.stderr.write(formatProblem(p) + '\n');
    return 2;
  }
  const outcome = await testAlert(result.config, positionals[0] ?? '', values.monitor, { event });
  for (const line of outcome.lines) process.stdout.write(line + '\n');
  return outcome.ok ? 0 : 1;
}

function exportProvisioned(args: readonly string[]): number {
  const { values, positionals } = parse(args, {
    ...helpOption,
    config: { type: 'string', short: 'c' },
  } as const);
  if (values.help === true) return help('export');
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const result = loadConfig(values.config ?? process.env.OVERDUE_CONFIG ?? 'config.yaml');
  if (!result.ok) {
    for (const p of result.problems) process.stderr.write(formatProblem(p) + '\n');
    return 2;
  }
  const store = new Store(result.config.server.dataDir, { nativeBinding: loadNativeBinding() });
  try {
    process.stdout.write(exportYaml(result.config, store.provisioned()));
  } finally {
    store.close();
  }
  return 0;
}

/** The config, or null when it is invalid or exposes secrets (reported to the log). */
function loadOrReport(file: string, log: Logger): Config | null {
  const result = loadConfig(file);
  if (!result.ok) {
    for (const p of result.problems) log.error('config problem', { problem: formatProblem(p) });
    return null;
  }
  const { refusal, warnings } = exposureOf(file);
  for (const warning of warnings) log.warn(warning);
  if (refusal === null) return result.config;
  log.error(refusal);
  return null;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `overdue: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
