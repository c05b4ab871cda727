// The one table of commands and their options. The help texts, the argument parsing, the shell
// completions and the man page are all made from it, so they cannot drift apart.
import { EXEC_HELP, PING_HELP } from '../job-client/help.js';
import { FORMATS, LEVELS } from '../platform/log.js';

export interface OptionSpec {
  readonly long: string;
  readonly short?: string;
  /** The value's placeholder (FILE, LEVEL); absent for a flag. */
  readonly value?: string;
  readonly help: string;
  /** What a shell completes the value to: file names, directory names, or these words. */
  readonly complete?: 'file' | 'dir' | readonly string[];
}

export interface CommandSpec {
  readonly name: string;
  /** The arguments after the command's name, as the usage line shows them. */
  readonly usage: string;
  /** One line, for the list of commands. */
  readonly summary: string;
  /** What the command does, before its options. */
  readonly about: string;
  readonly options: readonly OptionSpec[];
  /** After the options: exit statuses, notes. */
  readonly after?: string;
  /** What a shell completes the positional arguments to. */
  readonly positional?: 'file' | 'dir' | 'command' | readonly string[];
  /** The whole help text, for the commands that print their own (the job clients). */
  readonly text?: string;
}

export const CONFIG_OPTION: OptionSpec = {
  long: 'config',
  short: 'c',
  value: 'FILE',
  help: 'config file (default: $OVERDUE_CONFIG, or ./config.yaml)',
  complete: 'file',
};

export const ENV_FILE_OPTION: OptionSpec = {
  long: 'env-file',
  value: 'FILE',
  help: "read KEY=value lines into the environment first (systemd's EnvironmentFile= syntax)",
  complete: 'file',
};

export const HELP_OPTION: OptionSpec = { long: 'help', short: 'h', help: 'show this help' };

const configOptions = [CONFIG_OPTION, ENV_FILE_OPTION, HELP_OPTION];

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'init',
    usage: '[DIR]',
    summary: 'write a starter config, its secrets and its JSON Schema into DIR',
    about: `Writes DIR/config.yaml (a starter config), DIR/secrets.env (a freshly generated ping key,
mode 600) and DIR/config.schema.json (the JSON Schema that config.yaml's first line names for
editors), then prints the next steps. DIR defaults to the current directory and is created if
missing. Existing files are never overwritten.`,
    options: [HELP_OPTION],
    positional: 'dir',
  },
  {
    name: 'serve',
    usage: '[--config FILE] [--env-file FILE]',
    summary: 'run the daemon',
    about: 'Runs the daemon: receives pings, tracks deadlines, sends alerts.',
    options: [
      CONFIG_OPTION,
      ENV_FILE_OPTION,
      {
        long: 'log-level',
        value: 'LEVEL',
        help: 'debug, info, warn or error (default: $OVERDUE_LOG_LEVEL, or info)',
        complete: LEVELS,
      },
      {
        long: 'log-format',
        value: 'FORMAT',
        help: 'logfmt or json (default: $OVERDUE_LOG_FORMAT, or logfmt)',
        complete: FORMATS,
      },
      { long: 'no-watch', help: 'reload only on SIGHUP, not when the config file changes' },
      HELP_OPTION,
    ],
    after: `Logs one line per event on stdout; under journald, without a timestamp and with a priority.
Listens on the socket systemd passes (LISTEN_FDS, from overdue.socket) when there is one.
Only one daemon runs per data-dir (a second one exits 1 and names the first).
The config must be a regular file of at most 64 MiB ($OVERDUE_MAX_CONFIG_BYTES raises it).`,
  },
  {
    name: 'check',
    usage: '[--config FILE] [--env-file FILE]',
    summary: 'validate a config file and exit (0 valid, 2 invalid)',
    about: `Validates the config (also given as the one argument: overdue check FILE) and lists every
problem as file:line:col path: message, and warnings (public placeholders of config.example.yaml
on a loopback-only server) as note: lines. A config serve would refuse (secrets written literally
in a file every user can read) is refused here too.`,
    options: configOptions,
    after: 'Exit status: 0 valid, 2 invalid. Use it in CI before deploying a config.',
    positional: 'file',
  },
  {
    name: 'exec',
    usage: 'MONITOR -- CMD...',
    summary: 'run a job and report its start, exit status and output',
    about: '',
    options: [
      { long: 'timeout', value: 'DURATION', help: 'stop COMMAND after DURATION' },
      HELP_OPTION,
    ],
    text: EXEC_HELP,
  },
  {
    name: 'ping',
    usage: 'MONITOR [--fail]',
    summary: 'send one ping (--start, --fail, --log, --exit N, --data)',
    about: '',
    options: [
      { long: 'start', help: 'the job started' },
      { long: 'fail', help: 'the job failed' },
      { long: 'log', help: 'only record the data' },
      { long: 'exit', value: 'N', help: "the job's exit status" },
      { long: 'data', short: 'd', value: 'X', help: "the ping's output" },
      { long: 'rid', value: 'UUID', help: 'run id pairing a --start with its end' },
      HELP_OPTION,
    ],
    text: PING_HELP,
  },
  {
    name: 'test-alert',
    usage: 'HOOK [--monitor SLUG] [--event EVENT] [--config FILE]',
    summary: 'send a sample alert through a hook and print the outcome',
    about: `Sends a sample alert through HOOK as configured and prints where it went and the outcome.
Nothing is stored, and the daemon need not run.`,
    options: [
      {
        long: 'monitor',
        short: 'm',
        value: 'SLUG',
        help: 'alert for this monitor (default: a sample monitor)',
      },
      {
        long: 'event',
        short: 'e',
        value: 'EVENT',
        help: 'down (default), up, start-overdue, fail, late or reminder',
        complete: ['down', 'up', 'start-overdue', 'fail', 'late', 'reminder'],
      },
      ...configOptions,
    ],
    after:
      'Exit status: 0 delivered, 1 not delivered, 2 usage or config error (an unknown hook too).',
  },
  {
    name: 'export',
    usage: '[--config FILE]',
    summary: 'print auto-provisioned monitors as YAML for the config',
    about: `Prints the monitors that auto-provisioning created (kept in the database) as YAML, to paste under
\`monitors:\` in the config file. The config always wins: once pasted, the file owns them, with the
same slug and token, so their history and ping URLs carry on. The database is only read (never
created), and no secret of the config is needed: only its data-dir and monitors are read.`,
    options: configOptions,
  },
  {
    name: 'import',
    usage: 'SOURCE [--from FILE | --url URL] [--merge CONFIG]',
    summary: 'print (or merge) monitors from healthchecks, uptime-kuma, gatus or crontab',
    about: `Prints the monitors (and hooks, where a preset matches) of another system as overdue YAML, keeping
each old token so jobs keep pinging the same URL with only the host changed. What does not map is
a comment naming what was left out and why. The running daemon is never touched.
SOURCE:
  healthchecks   the JSON of GET /api/v3/checks/ (--from FILE), or fetched with --url URL and
                 --api-key KEY (or $HEALTHCHECKS_API_KEY): read-write keys also name integrations
  uptime-kuma    its SQLite database (--from kuma.db): push monitors and their notifications
  gatus          its YAML config (--from config.yaml): external-endpoints and alerting
  crontab        crontab -l output or a file (--from FILE, default stdin): each job a monitor; the
                 crontab is printed again with each command run by \`overdue exec SLUG --\``,
    options: [
      { long: 'from', short: 'f', value: 'FILE', help: "the source's file", complete: 'file' },
      { long: 'url', value: 'URL', help: 'a Healthchecks server to read through its API' },
      { long: 'api-key', value: 'KEY', help: 'its API key (sent as X-Api-Key)' },
      {
        long: 'merge',
        short: 'm',
        value: 'CONFIG',
        help: 'add to CONFIG in place, keeping its comments and order; refused (exit 2, nothing written) when a slug, hook name or token is already there',
        complete: 'file',
      },
      {
        long: 'user-column',
        help: 'the crontab has a user column (default for /etc/crontab, /etc/cron.d/*)',
      },
      {
        long: 'timezone',
        value: 'ZONE',
        help: "the crontab's time zone (default: CRON_TZ in the file, $TZ, the machine's)",
      },
      {
        long: 'crontab-out',
        value: 'FILE',
        help: 'write the wrapped crontab to FILE',
        complete: 'file',
      },
      HELP_OPTION,
    ],
    after: 'See docs/migrating.md.',
    positional: ['healthchecks', 'uptime-kuma', 'gatus', 'crontab'],
  },
  {
    name: 'schema',
    usage: '',
    summary: "print the config's JSON Schema (for editors)",
    about: `Prints the JSON Schema of the config file, generated from the validator itself. overdue init
writes it as config.schema.json beside config.yaml, whose first line points editors at it:
  # yaml-language-server: $schema=./config.schema.json`,
    options: [HELP_OPTION],
  },
  {
    name: 'systemd-unit',
    usage: '[--socket]',
    summary: 'print the systemd unit (overdue.service, or overdue.socket)',
    about: `Prints the systemd service unit, to save as /etc/systemd/system/overdue.service. With --socket,
prints the socket unit instead (overdue.socket: systemd holds the port, so pings queue in the
kernel while overdue restarts).`,
    options: [{ long: 'socket', help: 'print overdue.socket instead' }, HELP_OPTION],
  },
  {
    name: 'completion',
    usage: 'bash|zsh|fish',
    summary: 'print the shell completion script',
    about: `Prints the completion script for the shell. For example:
  overdue completion bash > /etc/bash_completion.d/overdue
  overdue completion zsh > "\${fpath[1]}/_overdue"
  overdue completion fish > ~/.config/fish/completions/overdue.fish`,
    options: [HELP_OPTION],
    positional: SHELLS,
  },
  {
    name: 'man',
    usage: '',
    summary: 'print the man page (roff)',
    about: 'Prints the man page. Read it with: overdue man | man -l -',
    options: [HELP_OPTION],
  },
  {
    name: 'probe',
    usage: '[--timeout DURATION] URL',
    summary: 'exit 0 if URL answers 2xx (a health check without curl)',
    about: `Sends GET URL and exits 0 if the answer is 2xx, 1 otherwise (why goes to stderr), for
health checks where there is no curl, such as the container image:
  overdue probe http://127.0.0.1:8080/healthz`,
    options: [
      {
        long: 'timeout',
        short: 't',
        value: 'DURATION',
        help: 'give up after this long (default 5s)',
      },
      HELP_OPTION,
    ],
  },
  {
    name: 'version',
    usage: '',
    summary: 'print the version, the commit, the Node and SQLite versions',
    about: `Prints "overdue VERSION", then the commit it was built from, its Node.js and its SQLite,
one "name: value" a line.`,
    options: [HELP_OPTION],
  },
  {
    name: 'help',
    usage: '[COMMAND]',
    summary: 'show help',
    about: 'Shows the list of commands, or the help of COMMAND.',
    options: [],
    positional: 'command',
  },
];

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
