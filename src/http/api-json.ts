// What the read API sends, field by field: the snake_case name, its JSON Schema (for the OpenAPI
// document) and how it is read from the read model. One table per object, so the answer and its
// published schema cannot drift. Fields that had a camelCase name in 0.1.0 keep it as a deprecated
// duplicate for one minor version (docs/api.md#names). Epoch-ms times become ISO 8601 strings in
// json.ts as the body is written.
import { formatDuration } from '../core/duration.js';
import type * as RM from '../engine/read-model.js';

/** A JSON Schema (or an OpenAPI object), as plain data. */
export type JsonObject = { readonly [key: string]: unknown };

interface WireField<T> {
  readonly name: string;
  readonly schema: JsonObject;
  readonly pick: (value: T) => unknown;
  /** The 0.1.0 name, still sent (deprecated). */
  readonly was?: string;
}

const str: JsonObject = { type: 'string' };
const int: JsonObject = { type: 'integer' };
const orNull = (schema: JsonObject): JsonObject => ({ anyOf: [schema, { type: 'null' }] });
const time: JsonObject = { type: 'string', format: 'date-time' };
const status: JsonObject = {
  type: 'string',
  enum: ['new', 'up', 'late', 'running', 'down', 'paused'],
};
const duration = (ms: number | null) => (ms === null ? null : formatDuration(ms));
const every = (m: RM.MonitorSummary) =>
  m.scheduleSpec.kind === 'every' ? m.scheduleSpec.periodMs : null;
const cron = (m: RM.MonitorSummary) => (m.scheduleSpec.kind === 'cron' ? m.scheduleSpec : null);

function field<T>(name: string, schema: JsonObject, pick: (v: T) => unknown, was?: string) {
  return { name, schema, pick, ...(was === undefined ? {} : { was }) } as WireField<T>;
}

const MONITOR: readonly WireField<RM.MonitorSummary>[] = [
  field('slug', str, (m) => m.slug),
  field('name', str, (m) => m.name),
  field('status', status, (m) => m.status),
  field('tags', { type: 'array', items: str }, (m) => m.tags),
  field('schedule', str, (m) => m.schedule),
  field('every', orNull(str), (m) => duration(every(m))),
  field('cron', orNull(str), (m) => cron(m)?.expr ?? null),
  field('timezone', orNull(str), (m) => cron(m)?.timezone ?? null),
  field('grace', str, (m) => formatDuration(m.graceMs)),
  field('grace_ms', int, (m) => m.graceMs, 'graceMs'),
  field('max_runtime', str, (m) => formatDuration(m.maxRuntimeMs)),
  field('max_runtime_ms', int, (m) => m.maxRuntimeMs),
  field('min_runtime_ms', orNull(int), (m) => m.minRuntimeMs ?? null),
  field('early_ms', orNull(int), (m) => m.earlyMs ?? null),
  field('depends_on', { type: 'array', items: str }, (m) => m.dependsOn ?? []),
  field('suppressed_by', orNull(str), (m) => m.suppressedBy ?? null),
  field('last_ping_at', orNull(time), (m) => m.lastPingAt, 'lastPingAt'),
  field('last_success_at', orNull(time), (m) => m.lastSuccessAt),
  field('last_duration_ms', orNull(int), (m) => m.lastDurationMs),
  field('next_deadline_at', orNull(time), (m) => m.nextDeadlineAt, 'nextDeadlineAt'),
  field('changed_at', time, (m) => m.changedAt, 'changedAt'),
  field('snoozed_until', orNull(time), (m) => m.snoozedUntil, 'snoozedUntil'),
  field('maintenance_until_at', orNull(time), (m) => m.maintenanceUntilAt ?? null),
  field('next_maintenance_at', orNull(time), (m) => m.nextMaintenanceAt ?? null),
  field(
    'recent',
    {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at: time,
          kind: { enum: ['success', 'start', 'fail', 'log', 'late', 'missed'] },
        },
        required: ['at', 'kind'],
        additionalProperties: false,
      },
    },
    (m) => m.recent,
  ),
];

const PING: readonly WireField<RM.PingRow>[] = [
  field('id', int, (p) => p.id),
  field('at', time, (p) => p.at),
  field('kind', { enum: ['success', 'start', 'fail', 'log'] }, (p) => p.kind),
  field('exit_status', orNull(int), (p) => p.exitStatus, 'exitStatus'),
  field('duration_ms', orNull(int), (p) => p.durationMs, 'durationMs'),
  field('value', orNull({ type: 'number' }), (p) => p.value),
  field('method', str, (p) => p.method),
  field('remote_addr', orNull(str), (p) => p.remoteAddr, 'remoteAddr'),
  field('user_agent', orNull(str), (p) => p.userAgent, 'userAgent'),
  field('run_id', orNull(str), (p) => p.runId, 'runId'),
  field('output', orNull(str), (p) => p.output),
];

const TRANSITION: readonly WireField<RM.TransitionRow>[] = [
  field('id', int, (t) => t.id),
  field('at', time, (t) => t.at),
  field('from', status, (t) => t.from),
  field('to', status, (t) => t.to),
  field('reason', str, (t) => t.reason),
  field('deadline_at', orNull(time), (t) => t.deadlineAt, 'deadlineAt'),
  field('alert', orNull(str), (t) => t.alert),
  field('parent', orNull(str), (t) => t.parent ?? null),
];

const DELIVERY: readonly WireField<RM.DeliveryRow>[] = [
  field('id', int, (d) => d.id),
  field('transition_id', int, (d) => d.transitionId, 'transitionId'),
  field('hook', str, (d) => d.hook),
  field('at', time, (d) => d.at),
  field('duration_ms', int, (d) => d.durationMs, 'durationMs'),
  field('ok', { type: 'boolean' }, (d) => d.ok),
  field('permanent', { type: 'boolean' }, (d) => d.permanent),
  field('status_code', orNull(int), (d) => d.statusCode, 'statusCode'),
  field('error', orNull(str), (d) => d.error),
  field('group_id', orNull(int), (d) => d.groupId),
  field('group_size', orNull(int), (d) => d.groupSize),
];

function toWire<T>(fields: readonly WireField<T>[], value: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f.name] = f.pick(value);
  for (const f of fields) if (f.was !== undefined) out[f.was] = f.pick(value);
  return out;
}

function schemaOf<T>(fields: readonly WireField<T>[], extra: Record<string, JsonObject> = {}) {
  const properties: Record<string, JsonObject> = {};
  for (const f of fields) properties[f.name] = f.schema;
  for (const [name, schema] of Object.entries(extra)) properties[name] = schema;
  for (const f of fields)
    if (f.was !== undefined)
      properties[f.was] = { ...f.schema, deprecated: true, description: `Use ${f.name}.` };
  return {
    type: 'object',
    properties,
    required: fields.map((f) => f.name),
    additionalProperties: false,
  } satisfies JsonObject;
}

export interface MonitorExtras {
  /** Only for the api-token: the URLs carry the secrets that feed the monitor. */
  readonly pingUrls?: readonly string[] | undefined;
  readonly badgeUrls?: { readonly svg: string; readonly json: string } | null;
}

/** A monitor as the API sends it; with `extras`, as the single-monitor route sends it. */
export function monitorJson(m: RM.MonitorSummary, extras: MonitorExtras = {}): object {
  const out = toWire(MONITOR, m);
  if ('badgeUrls' in extras) {
    if (extras.pingUrls !== undefined) out.ping_urls = extras.pingUrls;
    out.badge_urls = extras.badgeUrls;
  }
  return out;
}

/**
 * `GET /api/v1/monitors/<slug>`: `{"monitor": …}`, and beside it, deprecated, the bare object 0.1.0
 * answered, so a client written for 0.1.0 keeps working for one minor version.
 */
export function oneMonitorJson(m: RM.MonitorSummary, extras: MonitorExtras): object {
  const { slug, name, status, tags, schedule, graceMs, lastPingAt, nextDeadlineAt } = m;
  const { changedAt, snoozedUntil, recent } = m;
  const bare = { slug, name, status, tags, schedule, graceMs, lastPingAt, nextDeadlineAt };
  const urls = { pingUrls: extras.pingUrls, badgeUrls: extras.badgeUrls };
  return {
    monitor: monitorJson(m, extras),
    ...bare,
    ...{ changedAt, snoozedUntil, recent },
    ...urls,
  };
}

type Rows = RM.Page<RM.PingRow> | RM.Page<RM.TransitionRow> | RM.Page<RM.DeliveryRow>;

/** A page of history rows, each as the API sends it. */
export function pageJson(kind: 'pings' | 'transitions' | 'deliveries', page: Rows): object {
  const fields = { pings: PING, transitions: TRANSITION, deliveries: DELIVERY }[kind];
  const items = (page.items as readonly unknown[]).map((row) =>
    toWire(fields as readonly WireField<unknown>[], row),
  );
  return { items, next: page.next };
}

const badgeUrls: JsonObject = {
  type: 'object',
  properties: { svg: str, json: str },
  required: ['svg', 'json'],
  additionalProperties: false,
};

/** The schemas of the API's objects, for components.schemas of the OpenAPI document. */
export const apiSchemas = {
  Monitor: schemaOf(MONITOR, {
    ping_urls: { type: 'array', items: str, description: 'Only for the api-token.' },
    badge_urls: { ...orNull(badgeUrls), description: 'Only from GET /api/v1/monitors/{slug}.' },
  }),
  Ping: schemaOf(PING),
  Transition: schemaOf(TRANSITION),
  Delivery: schemaOf(DELIVERY),
  BadgeUrls: badgeUrls,
} satisfies Record<string, JsonObject>;
