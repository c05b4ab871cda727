// A `command` hook: runs a program with the alert in environment variables and as JSON on stdin.
// Values are never interpolated into argv or a shell string, so a ping body cannot inject commands.
// Grouped (`group:`), one run gets the JSON array of the alerts on stdin, OVERDUE_HOOK and
// OVERDUE_ALERT_COUNT, and none of the per-alert variables: they would name one alert of many.
import type { Alert } from '../core/alert.js';
import { alertMessage, alertTitle } from './text/alert-text.js';
import { alertJson, monitorUrl } from './text/alert-view.js';
import type { DeliveryResult, Hook } from '../core/hook.js';
import { runCommand } from './command-run.js';
import { byShape, list, mapOf, type KeyRule } from '../schema-kit/collections.js';
import { object } from '../schema-kit/object.js';
import { convert, required, withDefault } from '../schema-kit/schema.js';
import { string } from '../schema-kit/scalars.js';
import type { HookBody, HookCommon, HookKind } from './hook-kind.js';

export interface CommandHookConfig extends HookCommon {
  readonly kind: 'command';
  /** argv: a shell string is given as ['sh', '-c', string]. */
  readonly argv: readonly string[];
  /** Variables the hook passes to the command, besides the alert's and INHERITED. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * What a command gets of the daemon's own environment. Nothing else: the daemon's environment
 * holds its secrets (the API token, the ping key, every credential of secrets.env), and a hook
 * script, or a program it calls, may print or send its environment anywhere.
 */
export const INHERITED = ['PATH', 'HOME', 'LANG', 'TZ'] as const;

// Names a shell can use; the alert's own variables are overdue's to set.
const variableName: KeyRule = {
  noun: 'variable name',
  pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
  maxLength: 256,
  hint: 'letters, digits and _, not starting with a digit',
  check: (name) =>
    (ALERT_VARIABLES as readonly string[]).includes(name) || name === 'OVERDUE_ALERT_COUNT'
      ? `${name} is set by overdue for each alert; use another name`
      : null,
};

const argvList = list(string({ allowEmpty: true }), { minItems: 1 });
const shellString = convert(string(), (script): readonly string[] => ['sh', '-c', script]);
const argv = byShape(
  { list: argvList, scalar: shellString },
  'a list of arguments or a shell command string',
);

const longForm = object({
  run: required(argv, 'The command: a list of arguments, or a string run with sh -c.'),
  env: withDefault(
    mapOf(string({ allowEmpty: true }), variableName, {
      description: 'Variables passed to the command, e.g. TOKEN: ${PAGER_TOKEN}.',
    }),
    {},
    "Environment variables for the command, besides the alert's and PATH, HOME, LANG, TZ.",
  ),
});

export const command: HookKind<CommandHookConfig> = {
  description:
    'Command to run: a list of arguments (run without a shell), a string run with sh -c, or ' +
    '{ run, env } to pass environment variables. The alert arrives as OVERDUE_* environment ' +
    'variables and as JSON on stdin.',
  defaultTimeoutMs: 30_000,
  schema: byShape<HookBody<CommandHookConfig>>(
    {
      list: convert(argvList, (a) => ({ kind: 'command', argv: a, env: {} })),
      scalar: convert(shellString, (a) => ({ kind: 'command', argv: a, env: {} })),
      map: convert(longForm, ({ run, env }) =>
        run === undefined || env === undefined
          ? undefined
          : { kind: 'command', argv: run, env: Object.fromEntries(env) },
      ),
    },
    'a list of arguments, a shell command string, or { run, env }',
  ),
  create: createCommandHook,
};

/** The variables that carry the alert (docs/hooks.md has a row for each). */
export const ALERT_VARIABLES = [
  'OVERDUE_HOOK',
  'OVERDUE_EVENT',
  'OVERDUE_MONITOR',
  'OVERDUE_MONITOR_NAME',
  'OVERDUE_STATUS',
  'OVERDUE_PREVIOUS_STATUS',
  'OVERDUE_REASON',
  'OVERDUE_AT',
  'OVERDUE_DEADLINE',
  'OVERDUE_LAST_PING_AT',
  'OVERDUE_DOWN_SINCE',
  'OVERDUE_EXIT_STATUS',
  'OVERDUE_TRANSITION_ID',
  'OVERDUE_MONITOR_URL',
  'OVERDUE_TITLE',
  'OVERDUE_MESSAGE',
  'OVERDUE_TEST',
] as const;

type AlertVariable = (typeof ALERT_VARIABLES)[number];

export function alertEnv(alert: Alert, hook: HookCommon): Record<AlertVariable, string> {
  return {
    OVERDUE_HOOK: hook.name,
    OVERDUE_EVENT: alert.event,
    OVERDUE_MONITOR: alert.monitor.slug,
    OVERDUE_MONITOR_NAME: alert.monitor.name,
    OVERDUE_STATUS: alert.status,
    OVERDUE_PREVIOUS_STATUS: alert.previous_status,
    OVERDUE_REASON: alert.reason,
    OVERDUE_AT: alert.at,
    OVERDUE_DEADLINE: alert.deadline ?? '',
    OVERDUE_LAST_PING_AT: alert.last_ping_at ?? '',
    OVERDUE_DOWN_SINCE: alert.down_since ?? '',
    OVERDUE_EXIT_STATUS: alert.ping?.exit_status?.toString() ?? '',
    OVERDUE_TRANSITION_ID: String(alert.transition_id),
    OVERDUE_MONITOR_URL: monitorUrl(alert, hook) ?? '',
    OVERDUE_TITLE: alertTitle(alert),
    OVERDUE_MESSAGE: alertMessage(alert),
    OVERDUE_TEST: alert.test === true ? '1' : '0',
  };
}

/** The whole environment of the command: INHERITED from `parent`, the hook's env, the alert. */
export function commandEnv(
  alert: Alert,
  config: CommandHookConfig,
  parent: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  return { ...inherited(parent), ...config.env, ...alertEnv(alert, config) };
}

/** The environment of a grouped run: as commandEnv, with the hook and the count for the alert. */
function groupEnv(
  count: number,
  config: CommandHookConfig,
  parent: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const group = { OVERDUE_HOOK: config.name, OVERDUE_ALERT_COUNT: String(count) };
  return { ...inherited(parent), ...config.env, ...group };
}

function inherited(parent: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

export function createCommandHook(config: CommandHookConfig): Hook {
  // Only the program: its arguments may hold secrets.
  const target = `runs ${config.argv[0] === 'sh' ? 'a shell command' : (config.argv[0] ?? '')}`;
  // Each delivery is a process: a storm runs a few at a time, not as many as a webhook's requests.
  return {
    name: config.name,
    target,
    concurrency: 4,
    deliver: (alert) => run(config, alert),
    deliverGroup: (alerts) => {
      const stdin = JSON.stringify(alerts.map((a) => alertJson(a, config))) + '\n';
      const env = groupEnv(alerts.length, config, process.env);
      return runCommand(config.argv, env, stdin, config.timeoutMs);
    },
  };
}

function run(config: CommandHookConfig, alert: Alert): Promise<DeliveryResult> {
  const stdin = JSON.stringify(alertJson(alert, config)) + '\n';
  return runCommand(config.argv, commandEnv(alert, config, process.env), stdin, config.timeoutMs);
}
