#!/usr/bin/env node
// argv, signals and exit codes: the only file that calls process.exit.
// Exit codes: 0 ok, 1 runtime failure, 2 usage or config error.
import { toJsonSchema } from './config/schema.js';
import { Daemon } from './daemon.js';
import { help, oneOf, parse, UsageError, type ParsedArgs } from './cli/args.js';
import { SHELLS } from './cli/command-table.js';
import { check, configSource, sendTestAlert } from './cli/commands.js';
import { COMPLETIONS } from './cli/completion.js';
import { exportProvisioned } from './cli/export.js';
import { HELP, helpHint, USAGE } from './cli/help.js';
import { runImport } from './cli/import/command.js';
import { init } from './cli/init.js';
import { manPage } from './cli/man.js';
import { unitFiles } from './cli/unit-files.js';
import { processClientIO } from './job-client/client-io.js';
import { runExec } from './job-client/exec.js';
import { runPing } from './job-client/ping.js';
import { loadConfigOffThread } from './config/load-off-thread.js';
import { loadOrReport, Reloader } from './config/reload.js';
import type { Config } from './config/types.js';
import { watchConfig } from './config/watch.js';
import { createLogger, FORMATS, LEVELS, turnWriter, type Logger } from './platform/log.js';
import { loadNativeBinding } from './platform/native-addon.js';
import { listenError, socketFromSystemd } from './platform/systemd.js';
import { StoreOpenError } from './store/errors.js';
import { probe } from './cli/probe.js';
import { printVersion } from './cli/version.js';

type Command = (args: ParsedArgs) => number | Promise<number>;

/** The commands parsed from the command table; exec and ping read their own arguments. */
const commands: Readonly<Record<string, Command>> = {
  init: initCommand,
  serve,
  check,
  'test-alert': sendTestAlert,
  export: exportProvisioned,
  import: (args) => runImport(args),
  schema: (args) => {
    noArguments(args);
    return print(JSON.stringify(toJsonSchema(), null, 2) + '\n');
  },
  'systemd-unit': (args) => {
    noArguments(args);
    const units = unitFiles();
    return print(args.flag('socket') ? units.socket : units.service);
  },
  completion: (args) => {
    const [shell, ...more] = args.positionals;
    if (shell === undefined || more.length > 0 || !(shell in COMPLETIONS))
      throw new UsageError(`completion takes one shell: ${SHELLS.join(', ')}`);
    return print(COMPLETIONS[shell]?.() ?? '');
  },
  man: (args) => {
    noArguments(args);
    return print(manPage());
  },
  probe,
  version: (args) => {
    noArguments(args);
    return printVersion();
  },
};

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') return print(USAGE);
  if (command === 'help') return helpCommand(rest);
  if (command === '--version' || command === '-v') return printVersion();
  // The clients read their own arguments (everything after `--` belongs to the job), and must get
  // fd 0 untouched: opening process.stdin here would make it non-blocking for the job.
  if (command === 'exec') return runExec(rest, processClientIO());
  if (command === 'ping') return runPing(rest, processClientIO());
  const run = commands[command];
  try {
    if (run === undefined) throw new UsageError(`unknown command '${command}'`);
    const args = parse(command, rest);
    if (args.flag('help')) return help(command);
    return await run(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(
      `overdue: ${error.message}\n${helpHint(run === undefined ? undefined : command)}\n`,
    );
    return 2;
  }
}

function print(text: string): number {
  process.stdout.write(text);
  return 0;
}

function noArguments(args: ParsedArgs): void {
  if (args.positionals.length > 0)
    throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
}

function helpCommand(rest: readonly string[]): number {
  const [topic] = rest;
  if (topic === undefined) return print(USAGE);
  if (topic === '--help' || topic === '-h') return print(HELP.help ?? USAGE);
  const text = HELP[topic];
  if (text !== undefined) return print(text);
  process.stderr.write(`overdue: no command '${topic}'\n${helpHint(undefined)}\n`);
  return 2;
}

function initCommand(args: ParsedArgs): number {
  if (args.positionals.length > 1) throw new UsageError('init takes at most one DIR');
  const result = init(args.positionals[0] ?? '.');
  const out = result.ok ? process.stdout : process.stderr;
  for (const line of result.lines) out.write(`${result.ok ? '' : 'overdue: '}${line}\n`);
  return result.ok ? 0 : 1;
}

async function serve(args: ParsedArgs): Promise<number> {
  noArguments(args);
  const { file, env } = configSource(args, process.env);
  const log = createLogger({
    write: stdout.write,
    level: oneOf('--log-level', args.string('log-level') ?? env.OVERDUE_LOG_LEVEL, LEVELS, 'info'),
    format: oneOf(
      '--log-format',
      args.string('log-format') ?? env.OVERDUE_LOG_FORMAT,
      FORMATS,
      'logfmt',
    ),
    // journald stamps every line itself, and reads the priority from a <N> prefix.
    journald: env.JOURNAL_STREAM !== undefined,
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
  const daemon = await startDaemon(config, log, file);
  if (daemon === null) return 1;
  reloader = new Reloader({
    file,
    log,
    env,
    current: config,
    apply: (next) => daemon.reload(next),
    rejected: () => daemon.noteReloadFailed(),
    // A reload reads and parses off the event loop: pings and deadlines are served meanwhile.
    load: loadConfigOffThread,
  });
  const onChange = () => void reloader?.request('file change');
  const unwatch = args.flag('no-watch') ? () => undefined : watchConfig(file, onChange);
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
async function startDaemon(config: Config, log: Logger, file: string): Promise<Daemon | null> {
  // Taken out of the environment at once, so that hooks' commands do not inherit them.
  const listenFd = socketFromSystemd(process.env, process.pid);
  try {
    return await Daemon.start({ config, log, nativeBinding: loadNativeBinding(), listenFd });
  } catch (error) {
    if (error instanceof StoreOpenError) {
      log.error(error.message, { fix: error.fix, error: String(error.cause) });
      return null;
    }
    const listen = listenError(error, config.server, file);
    if (listen === null) throw error;
    log.error(listen.message, { fix: listen.fix });
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
