// The config file's schema: one declaration that both validates files and produces the published
// JSON Schema (toJsonSchema), so the two cannot drift apart.
import { byShape, list, mapOf } from '../schema-kit/collections.js';
import type { KeyRule } from '../schema-kit/collections.js';
import { object } from '../schema-kit/object.js';
import {
  convert,
  located,
  optional,
  required,
  withDefault,
  withoutDefaults,
} from '../schema-kit/schema.js';
import type { JsonObject } from '../schema-kit/schema.js';
import { hook, httpUrlProblem } from '../hooks/registry.js';
import { parseListen } from './listen.js';
import {
  Invalid,
  boolean,
  duration,
  integer,
  nullable,
  oneOfValues,
  scalar,
  string,
} from '../schema-kit/scalars.js';
import { monitorMaintenance, topMaintenance } from './maintenance-schema.js';
import { timeZoneProblem } from './schedule-checks.js';

const day = 86_400_000;

const listen = scalar({
  expected: 'host:port, [v6]:port or a port',
  json: { type: ['string', 'integer'] },
  convert(value, source) {
    const parsed = parseListen(typeof value === 'string' ? value : source);
    return typeof parsed === 'string' ? new Invalid(parsed) : parsed;
  },
});

/** Ping keys and tokens are URL path segments, long enough not to be guessed. */
const secretString = string({
  pattern: /^[A-Za-z0-9._~-]{16,}$/,
  hint: 'must be at least 16 characters of A-Z, a-z, 0-9 and . _ ~ -',
  unique: 'token',
});
const secret = nullable(secretString);

/**
 * A monitor's tokens: one, or a list so that a token can be rotated without a missed ping (the
 * new one first; every one is accepted until the old is removed). Duplicates, within the list or
 * with another monitor, are reported by the `unique` group without echoing the value.
 */
const tokens = nullable(
  byShape<readonly string[]>(
    {
      scalar: convert(secretString, (token) => [token]),
      list: list(secretString, { minItems: 1 }),
    },
    'a token or a list of tokens',
  ),
);

const publicUrl = nullable(
  // Trailing slashes go, so that URLs can be built by appending `/ping/...`.
  convert(string({ check: httpUrlProblem, json: { format: 'uri' } }), (url) =>
    url.replace(/\/+$/, ''),
  ),
);

/** The daemon's own outgoing ping to an external switch (another overdue, Healthchecks...). */
export const heartbeatSchema = object(
  {
    url: required(
      string({ check: httpUrlProblem, json: { format: 'uri' } }),
      'Ping URL to send to while overdue is healthy, e.g. https://hc-ping.com/<uuid> or another overdue: http://other:8080/ping/<token>.',
    ),
    'fail-url': optional(
      string({ check: httpUrlProblem, json: { format: 'uri' } }),
      'URL of the one failure ping sent when overdue turns unhealthy, with the reason as its body. Default: url + /fail.',
    ),
    every: withDefault(
      duration({ min: 1_000, max: day }),
      '1m',
      'How often to ping (at least 1s). Give the watching switch this period and a grace.',
    ),
    timeout: withDefault(duration({ above: 0, max: 60_000 }), '10s', 'Timeout of each ping.'),
    'max-lateness': withDefault(
      duration({ min: 0 }),
      '10s',
      'Healthy while the scheduler fires within this of its deadlines (also the bound /healthz uses).',
    ),
    'max-alert-age': withDefault(
      duration({ above: 0 }),
      '10m',
      'Healthy while no due alert has waited longer than this for delivery (also the bound /healthz uses).',
    ),
  },
  { description: 'The outgoing heartbeat: sent only while overdue is healthy.' },
);

export const serverSchema = object(
  {
    listen: withDefault(
      listen,
      '127.0.0.1:8080',
      'Where pings arrive: host:port, [v6]:port, or a port on 127.0.0.1. Port 0 picks a free port.',
    ),
    'data-dir': withDefault(
      string(),
      './data',
      'Directory of the SQLite file; relative to the config file.',
    ),
    'ping-key': withDefault(
      secret,
      null,
      'Secret for /ping/<ping-key>/<slug> URLs; none disables them. At least 16 characters of A-Z a-z 0-9 . _ ~ -.',
    ),
    'body-limit': withDefault(
      integer({ min: 0 }),
      10_000,
      'Bytes of a ping body kept as its output.',
    ),
    'keep-pings': withDefault(
      integer({ min: 1 }),
      1000,
      'Pings kept per monitor; older ones are pruned.',
    ),
    'trust-proxy': withDefault(boolean(), false, 'Take the client address from X-Forwarded-For.'),
    'public-url': withDefault(
      publicUrl,
      null,
      'http(s) URL under which this server is reachable, for links in alerts.',
    ),
    'api-token': withDefault(
      secret,
      null,
      'Token with full access: the API (reading, pause, resume, snooze, POST /v1/heartbeats), the status page and metrics; none disables writing. At least 16 characters of A-Z a-z 0-9 . _ ~ -.',
    ),
    'read-token': withDefault(
      secret,
      null,
      'Token with read-only access to the API, the status page and metrics. At least 16 characters of A-Z a-z 0-9 . _ ~ -.',
    ),
    'metrics-token': withDefault(
      secret,
      null,
      "Token for /metrics only (Prometheus' bearer token). At least 16 characters of A-Z a-z 0-9 . _ ~ -.",
    ),
    public: withDefault(
      list(oneOfValues(['status-page', 'api', 'metrics'] as const), { uniqueItems: true }),
      [],
      'What anyone may read without a token: status-page, api, metrics. Writing always needs the api-token.',
    ),
    heartbeat: optional(
      heartbeatSchema,
      'An outgoing ping to an external dead-man switch, sent every interval while the database accepts writes, the scheduler is on time and alerts are moving; when one fails, one /fail with the reason, then silence.',
    ),
  },
  { description: 'The HTTP server and storage.' },
);

/** Tags group monitors (badges, filters); the same characters as slugs. */
const tag = string({
  pattern: /^[a-z0-9][a-z0-9_-]{0,99}$/,
  hint: "use a-z, 0-9, '-' and '_', starting with a letter or digit, at most 100 characters",
});

const timeZone = string({ check: timeZoneProblem });

/** Settings a monitor may take from `defaults`. */
const monitorSettings = {
  grace: withDefault(
    duration({ min: 0 }),
    '5m',
    'How long after the expected time a ping may still arrive before the monitor is down.',
  ),
  'max-runtime': optional(
    duration({ above: 0 }),
    'After a start ping, how long the run may take before the monitor is down. Default: the grace.',
  ),
  'min-runtime': optional(
    located(duration({ above: 0 })),
    'A run (start ping to its end) shorter than this is a failure, reason too-short: a backup that "completed" in 2s wrote nothing. Must be shorter than max-runtime. Default: any length.',
  ),
  early: optional(
    located(duration({ above: 0 })),
    'A success more than this before the expected time is a failure, reason too-early (a job running twice, a misconfigured timer). For every, shorter than the period. Default: never too early.',
  ),
  timezone: withDefault(timeZone, 'UTC', 'IANA time zone of a cron schedule, e.g. Europe/Berlin.'),
  notify: withDefault(
    list(string({ refers: 'hook' }), { uniqueItems: true }),
    [],
    'Names of the hooks alerted when the monitor goes down or recovers.',
  ),
  'wait-for-first-ping': withDefault(
    boolean(),
    false,
    'When true, a new monitor is not armed until its first ping.',
  ),
  events: withDefault(
    list(oneOfValues(['down', 'up', 'fail', 'late', 'start-overdue'] as const), {
      uniqueItems: true,
    }),
    ['down', 'up'],
    'Events that alert: down (also covers start-overdue), up (recovery of an alerted down), fail (a failure ping while already down), late (the expected time passed, grace running), start-overdue (a started run passed max-runtime).',
  ),
  'alert-after': withDefault(
    integer({ min: 1, max: 1000 }),
    1,
    'Consecutive failures or missed pings before the down alert.',
  ),
  repeat: optional(
    duration({ above: 0 }),
    'While down, send a reminder this often (e.g. 1h). Default: no reminders.',
  ),
  tags: withDefault(
    list(tag, { uniqueItems: true }),
    [],
    'Tags of the monitor, e.g. [backup, db]: each tag has a badge showing the worst status of its monitors.',
  ),
};

export const defaultsSchema = object(monitorSettings, {
  description: 'Defaults for every monitor setting except name, token, every and cron.',
});

export const monitorSchema = object(
  {
    name: optional(string(), 'Display name. Default: the slug.'),
    every: optional(
      duration({ above: 0, max: 365 * day }),
      'Schedule: a ping is expected this long after the last success (at most 365d).',
    ),
    cron: optional(
      located(string()),
      'Schedule: a ping is expected at each time of this cron expression: 5 fields, 6 with seconds first, or @hourly, @daily, @weekly...',
    ),
    ...withoutDefaults(monitorSettings, 'defaults'),
    'depends-on': optional(
      located(list(string({ refers: 'monitor' }), { uniqueItems: true })),
      "Slugs of the monitors this one depends on (a router, a NAS): while one of them is down, this monitor's down is recorded as suppressed and not alerted; when the parent recovers, a down that remains alerts once, after this monitor's grace. Cycles are errors.",
    ),
    maintenance: optional(
      monitorMaintenance,
      "This monitor's maintenance windows (besides the top level's): transitions inside are recorded but not alerted; still down when one ends, it alerts then, once.",
    ),
    token: optional(
      tokens,
      'Secret for /ping/<token> URLs, unique across monitors. At least 16 characters of A-Z a-z 0-9 . _ ~ -. A list accepts each of its tokens, to rotate one without a missed ping: [new, old].',
    ),
  },
  {
    description: 'One monitored job. Exactly one of every and cron is required.',
    exactlyOne: ['every', 'cron'],
    onlyWith: [['timezone', 'cron', 'timezone applies only to cron schedules']],
  },
);

const slug: KeyRule = {
  noun: 'monitor slug',
  pattern: /^[a-z0-9][a-z0-9_-]*$/,
  maxLength: 100,
  hint: "use a-z, 0-9, '-' and '_', starting with a letter or digit, at most 100 characters",
};

const hookName: KeyRule = {
  noun: 'hook name',
  pattern: /^[A-Za-z0-9_-]+$/,
  maxLength: 100,
  hint: "use letters, digits, '-' and '_', at most 100 characters",
};

export const autoProvisionSchema = object(
  {
    enabled: withDefault(
      boolean(),
      false,
      'Let pings with ?create=1 and POST /v1/heartbeats create monitors.',
    ),
    every: withDefault(
      duration({ above: 0, max: 365 * day }),
      '1d',
      'Schedule of created monitors, unless the request gives one.',
    ),
    grace: optional(duration({ min: 0 }), 'Grace of created monitors. Default: defaults.grace.'),
    notify: optional(
      list(string({ refers: 'hook' }), { uniqueItems: true }),
      'Hooks of created monitors. Default: defaults.notify.',
    ),
    'max-monitors': withDefault(
      integer({ min: 1, max: 1_000_000 }),
      2000,
      'Created monitors running at most (those the config has not taken over); past it, creating is refused.',
    ),
  },
  {
    description:
      'Monitors created by pings or the API, kept in the database until the config takes them over.',
  },
);

export const configSchema = object({
  server: withDefault(serverSchema, {}, 'The HTTP server and storage.'),
  'auto-provision': withDefault(autoProvisionSchema, {}, 'Monitors created by pings or the API.'),
  defaults: withDefault(defaultsSchema, {}, 'Defaults for every monitor.'),
  hooks: withDefault(
    mapOf(hook, hookName, { description: 'Where alerts go, by name.', defines: 'hook' }),
    {},
    'Where alerts go: each hook has exactly one of command or webhook.',
  ),
  monitors: withDefault(
    mapOf(monitorSchema, slug, { description: 'Monitored jobs by slug.', defines: 'monitor' }),
    {},
    'Monitored jobs, keyed by slug (the stable identity of their history).',
  ),
  maintenance: withDefault(
    topMaintenance,
    [],
    'Maintenance windows of every monitor, or of those with one of tags: transitions inside are recorded but not alerted; a monitor still down when one ends alerts then, once.',
  ),
});

/**
 * Where the schema is published, for SchemaStore and `# yaml-language-server: $schema=` lines.
 * The file served there is config.schema.json at the repository root (the one `overdue init` writes).
 */
export const SCHEMA_URL = 'https://overdue.dev/schema/config.schema.json';

/**
 * The JSON Schema of the config file, for editors and CI. Draft-07: the newest draft that
 * yaml-language-server (VS Code's YAML support) implements.
 */
export function toJsonSchema(): JsonObject {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_URL,
    title: 'overdue config',
    ...configSchema.json(),
  };
}
