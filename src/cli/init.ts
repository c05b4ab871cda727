// `overdue init [DIR]`: what a binary-only install needs to set itself up, written by the binary.
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { toJsonSchema } from '../config/schema.js';

export const CONFIG_FILE = 'config.yaml';
export const SECRETS_FILE = 'secrets.env';
export const SCHEMA_FILE = 'config.schema.json';

/** A new ping key: 32 characters of base64url, 192 random bits; never one shared by two installs. */
export function newPingKey(): string {
  return randomBytes(24).toString('base64url');
}

export function starterConfig(): string {
  return `# yaml-language-server: $schema=./${SCHEMA_FILE}
# overdue config, written by \`overdue init\`. Check it with:
#   overdue check --config ${CONFIG_FILE} --env-file ${SECRETS_FILE}
# Durations: 90s, 5m, 1h30m, 7d. \${VAR} comes from the environment (\${VAR:-default} if unset).
# Every key: \`overdue schema\`, \`overdue man\`, and docs/configuration.md in the source.

server:
  # Loopback only: put a reverse proxy in front (and set public-url) to take pings from other hosts.
  listen: 127.0.0.1:8080
  # The SQLite file lives here: relative to this file, or systemd's StateDirectory=.
  data-dir: \${STATE_DIRECTORY:-./data}
  # The secret of /ping/<ping-key>/<slug> URLs: its value is in ${SECRETS_FILE} (mode 600), so
  # this file can stay readable and be kept in git.
  ping-key: \${OVERDUE_PING_KEY}
  # Anyone who can reach the listen address may read the status page: safe on loopback. Set
  # api-token: \${OVERDUE_API_TOKEN} (and the value in ${SECRETS_FILE}) before opening it up.
  public: [status-page]

defaults:
  grace: 5m
  notify: [log]

hooks:
  # Writes every alert into the daemon's log (the journal, under systemd). Add a webhook, or a
  # preset (ntfy, gotify, telegram, slack, discord, pushover, matrix, email), to be woken up.
  log:
    command: 'echo "$OVERDUE_TITLE"; echo "$OVERDUE_MESSAGE"'

monitors:
  # One job: ping /ping/<ping-key>/example at least once a day. Replace it with yours.
  example:
    name: Example daily job
    every: 1d
    grace: 1h
`;
}

export interface InitResult {
  readonly ok: boolean;
  readonly lines: string[];
}

/** Writes the three files into `dir`; writes nothing if any of them exists. */
export function init(dir: string): InitResult {
  const files: [string, string, number][] = [
    [CONFIG_FILE, starterConfig(), 0o644],
    [SECRETS_FILE, `OVERDUE_PING_KEY=${newPingKey()}\n`, 0o600],
    [SCHEMA_FILE, JSON.stringify(toJsonSchema(), null, 2) + '\n', 0o644],
  ];
  mkdirSync(dir, { recursive: true });
  const taken = files.map(([name]) => join(dir, name)).filter(exists);
  if (taken.length > 0) {
    return {
      ok: false,
      lines: [
        `${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}; init never overwrites a file. Move ${taken.length === 1 ? 'it' : 'them'} away, or run overdue init OTHER-DIR.`,
      ],
    };
  }
  // 'wx' fails instead of overwriting a file that appeared meanwhile.
  for (const [name, text, mode] of files)
    writeFileSync(join(dir, name), text, { flag: 'wx', mode });
  return { ok: true, lines: nextSteps(dir) };
}

/** Anything at `path`, a dangling symlink too. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function nextSteps(dir: string): string[] {
  const config = join(dir, CONFIG_FILE);
  const secrets = join(dir, SECRETS_FILE);
  return [
    `wrote ${config}, ${secrets} (mode 600: the ping key) and ${join(dir, SCHEMA_FILE)}`,
    '',
    'Next:',
    `  1. edit ${config}: your monitors and hooks`,
    `  2. overdue check --config ${config} --env-file ${secrets}`,
    `  3. run it: overdue serve --config ${config} --env-file ${secrets}`,
    `     or under systemd, with the files in /etc/overdue:`,
    '       overdue systemd-unit > /etc/systemd/system/overdue.service',
    '       systemctl daemon-reload && systemctl enable --now overdue',
    `  4. ping it: curl -fsS http://127.0.0.1:8080/ping/$OVERDUE_PING_KEY/example (key in ${SECRETS_FILE})`,
    `     and open the status page: http://127.0.0.1:8080/ (directory: ${resolve(dir)})`,
  ];
}
