#!/usr/bin/env node
// argv, signals and exit codes: the only file that calls process.exit.
// Exit codes: 0 ok, 1 runtime failure, 2 usage or config error.
import { toJsonSchema } from './config/schema.js';
import { Daemon } from './daemon.js';
import { help, helpOption, oneOf, parse, UsageError } from './cli/args.js';
import { check, exportProvisioned, sendTestAlert } from './cli/commands.js';
import { HELP, USAGE } from './cli/help.js';
import { processClientIO } from './job-client/client-io.js';
import { runExec } from './job-client/exec.js';
import { runPing } from './job-client/ping.js';
import { loadOrReport, Reloader } from './config/reload.js';
import type { Config } from './config/types.js';
import { watchConfig } from './config/watch.js';
import { createLogger, FORMATS, LEVELS, turnWriter, type Logger } from './platform/log.js';
import { loadNativeBinding } from './platform/native-addon.js';
import { StoreOpenError } from './store/errors.js';
import { probe } from './cli/probe.js';
import { printVersion } from './cli/version.js';

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    const topic = command === 'help' ? rest[0] : undefined;
    process.stdout.write(topic !== undefined && HELP[topic] ? HELP[topic] : USAGE);
    return 0;
  }
  if (command === 'version' || command === '--version' || command === '-v') {
    if (rest.includes('--help')) return help('version');
    return printVersion();
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
    if (command === 'check') return await check(rest);
    if (command === 'serve') return await serve(rest);
    if (command === 'export') return await exportProvisioned(rest);
    if (command === 'test-alert') return await sendTestAlert(rest);
    if (command === 'probe') return await probe(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`overdue: ${error.message}\n\n${HELP[command] ?? USAGE}`);
    return 2;
  }
  process.stderr.write(`overdue: unknown command '${command}'\n\n${USAGE}`);
  return 2;
}

const serveOptions = {
  ...helpOption,
  config: { type: 'string', short: 'c' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  'no-watch': { type: 'boolean' },
} as const;

async function serve(args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, serveOptions);
  if (values.help === true) return help('serve');
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const env = process.env;
  const file = values.config ?? env.OVERDUE_CONFIG ?? 'config.yaml';
  const log = createLogger({
    write: stdout.write,
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
  const config = await loadOrReport(file, log, env);
  if (config === null) return 2;
  // Signal handlers go in before start-up: a SIGHUP's default action is to end the process, and
  // a SIGTERM during start-up must still shut down cleanly.
  let reloader: Reloader | null = null;
  const stopped = new Promise<string>((resolve) => {
    process.on('SIGTERM', () => resolve('SIGTERM'));
    process.on('SIGINT', () => resolve('SIGINT'));
  });
  process.on('SIGHUP', () => void reloader?.request('SIGHUP'));
  const daemon = await startDaemon(config, log);
  if (daemon === null) return 1;
  reloader = new Reloader({
    file,
    log,
    env,
    current: config,
    apply: (next) => daemon.reload(next),
    rejected: () => daemon.noteReloadFailed(),
  });
  const onChange = () => void reloader?.request('file change');
  const unwatch = values['no-watch'] === true ? () => undefined : watchConfig(file, onChange);
  const signal = await stopped;
  unwatch();
  await reloader.close();
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

/** The started daemon, or null when its database cannot be opened (reported to the log). */
async function startDaemon(config: Config, log: Logger): Promise<Daemon | null> {
  try {
    return await Daemon.start({ config, log, nativeBinding: loadNativeBinding() });
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    log.error(error.message, { fix: error.fix, error: String(error.cause) });
    return null;
  }
}

// Log lines go out once per event-loop turn (see turnWriter), and the last ones at exit.
const stdout = turnWriter((text) => process.stdout.write(text));
process.on('exit', stdout.flush);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    stdout.flush(); // what was logged before comes first
    process.stderr.write(
      `overdue: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
