// The help texts of every command.
import { EXEC_HELP, PING_HELP } from '../job-client/help.js';
import { VERSION } from '../platform/version.js';

export const USAGE = `overdue ${VERSION}: a dead-man's switch for scheduled work

Usage:
  overdue serve [--config FILE]   run the daemon (default config: ./config.yaml)
  overdue check FILE              validate a config file and exit (0 valid, 2 invalid)
  overdue exec MONITOR -- CMD...  run a job and report its start, exit status and output
  overdue ping MONITOR [--fail]   send one ping (--start, --fail, --log, --exit N, --data)
  overdue test-alert HOOK [--monitor SLUG] [--event EVENT] [--config FILE]
                                  send a sample alert through a hook and print the outcome
  overdue export [--config FILE]  print auto-provisioned monitors as YAML for the config
  overdue schema                  print the config's JSON Schema (for editors)
  overdue probe URL               exit 0 if URL answers 2xx (an image's health check)
  overdue version                 print the version, commit, Node and SQLite versions
  overdue help [COMMAND]          show help

Signals: SIGHUP reloads the config (applied only if valid); SIGTERM or SIGINT shut down cleanly.
Docs: README.md and docs/ (one page per topic), and config.example.yaml for every config key.
`;

export const HELP: Record<string, string> = {
  exec: EXEC_HELP,
  ping: PING_HELP,
  serve: `Usage: overdue serve [--config FILE] [--log-level LEVEL] [--log-format FORMAT] [--no-watch]

Runs the daemon: receives pings, tracks deadlines, sends alerts.
  -c, --config FILE     config file (default: $OVERDUE_CONFIG, or ./config.yaml)
  --log-level LEVEL     debug, info, warn or error (default: $OVERDUE_LOG_LEVEL, or info)
  --log-format FORMAT   logfmt or json (default: $OVERDUE_LOG_FORMAT, or logfmt)
  --no-watch            reload only on SIGHUP, not when the config file changes
Logs one line per event on stdout, without a timestamp under journald.
Only one daemon runs per data-dir (a second one exits 1 and names the first).
The config must be a regular file of at most 64 MiB ($OVERDUE_MAX_CONFIG_BYTES raises it).
`,
  check: `Usage: overdue check FILE

Validates FILE and lists every problem as file:line:col path: message, and warnings
(public placeholders of config.example.yaml on a loopback-only server) as note: lines.
Exit status: 0 valid, 2 invalid. Use it in CI before deploying a config.
`,
  version: `Usage: overdue version

Prints "overdue VERSION", then the commit it was built from, its Node.js and its SQLite,
one "name: value" a line.
`,
  probe: `Usage: overdue probe [--timeout DURATION] URL

Sends GET URL and exits 0 if the answer is 2xx, 1 otherwise (why goes to stderr), for
health checks where there is no curl (the container image):
  overdue probe http://127.0.0.1:8080/healthz
  -t, --timeout DURATION  give up after this long (default 5s)
`,
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
