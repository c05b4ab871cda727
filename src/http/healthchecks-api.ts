// Healthchecks' management API, read-only (https://healthchecks.io/docs/api/): GET
// /api/v1|v2|v3/checks/ and /api/vN/checks/<uuid or unique_key>, in Healthchecks' JSON shape, so
// dashboards (Homepage's Healthchecks widget) and scripts written against Healthchecks read
// overdue. A check's uuid is the monitor's token. Every write answers 403 naming the config file:
// the config is the source of truth.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MonitorDetail, ReadModel } from '../engine/read-model.js';
import type { Access } from './auth.js';
import { compatAccess, configOwns, type CompatAuthDeps } from './compat-auth.js';
import { send } from './json.js';

export interface HealthchecksApiDeps extends CompatAuthDeps {
  readonly read: ReadModel;
  readonly baseUrl: () => string;
  readonly configFile: () => string;
}

type Req = IncomingMessage & { params?: Record<string, string> };

const VERSIONS: Readonly<Record<string, number>> = { v1: 1, v2: 2, v3: 3 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Healthchecks' read-only identifier: the SHA-1 of the first half of the UUID's hex, so a key saved
 * from Healthchecks still finds the imported monitor. A token that is not a UUID has none to keep:
 * the key is made from the slug, never from the secret.
 */
export function uniqueKey(d: MonitorDetail): string {
  const source =
    d.token !== null && UUID.test(d.token)
      ? d.token.replace(/-/g, '').toLowerCase().slice(0, 16)
      : `overdue:${d.slug}`;
  return createHash('sha1').update(source).digest('hex');
}

const iso = (at: number | null) =>
  at === null ? null : new Date(at).toISOString().replace('.000Z', '+00:00');

/** Healthchecks' status words: late is `grace`; a running monitor is `started` in v1, else `up`. */
function statusOf(d: MonitorDetail, version: number): string {
  if (d.status === 'late') return 'grace';
  if (d.status === 'running') return version === 1 ? 'started' : 'up';
  return d.status;
}

function checkOf(
  d: MonitorDetail,
  version: number,
  access: Access,
  base: string,
): Record<string, unknown> {
  const check: Record<string, unknown> = {
    name: d.name,
    slug: d.slug,
    tags: d.tags.join(' '),
    desc: '',
    grace: Math.round(d.graceMs / 1000),
    status: statusOf(d, version),
    started: d.status === 'running',
    last_ping: iso(d.lastPingAt),
    next_ping: iso(d.nextDeadlineAt),
    manual_resume: false,
    methods: '',
  };
  if (d.lastDurationMs !== null) check.last_duration = Math.round(d.lastDurationMs / 1000);
  // As Healthchecks does: the read-only key gets unique_key, the full key the secrets and URLs.
  if (access === 'read' || d.token === null) check.unique_key = uniqueKey(d);
  if (access === 'write' && d.token !== null) {
    const update = `${base}/api/v${version}/checks/${d.token}`;
    Object.assign(check, {
      uuid: d.token,
      ping_url: `${base}/ping/${d.token}`,
      update_url: update,
      pause_url: `${update}/pause`,
      resume_url: `${update}/resume`,
      channels: '',
    });
  }
  if (d.schedule.kind === 'every') check.timeout = Math.round(d.schedule.periodMs / 1000);
  else Object.assign(check, { schedule: d.schedule.expr, tz: d.schedule.timezone });
  return check;
}

export class HealthchecksApi {
  readonly #deps: HealthchecksApiDeps;

  constructor(deps: HealthchecksApiDeps) {
    this.#deps = deps;
  }

  /** GET /api/vN/checks/ with Healthchecks' filters: ?tag= (each must match) and ?slug=. */
  list(req: Req, res: ServerResponse): void {
    const version = this.#version(req, res);
    const access = version === null ? false : compatAccess(this.#deps, req, res, 'read');
    if (version === null || !access) return;
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    const tags = params.getAll('tag');
    const slug = params.get('slug');
    const base = this.#deps.baseUrl();
    const checks = this.#deps.read
      .details()
      .filter((d) => tags.every((t) => d.tags.includes(t)) && (slug === null || d.slug === slug))
      .map((d) => checkOf(d, version, access, base));
    send(res, 200, { checks });
  }

  /** GET /api/vN/checks/<uuid or unique_key>. */
  check(req: Req, res: ServerResponse): void {
    const version = this.#version(req, res);
    const access = version === null ? false : compatAccess(this.#deps, req, res, 'read');
    if (version === null || !access) return;
    const id = req.params?.id ?? '';
    const found = this.#deps.read
      .details()
      .find((d) => (access === 'write' && d.token === id) || uniqueKey(d) === id);
    if (found === undefined) return send(res, 404, { error: 'not found' });
    send(res, 200, checkOf(found, version, access, this.#deps.baseUrl()));
  }

  /** Creating, updating, pausing, resuming or deleting a check: the config owns checks. */
  write(req: Req, res: ServerResponse): void {
    req.resume();
    if (this.#version(req, res) === null || !compatAccess(this.#deps, req, res, 'read')) return;
    configOwns(res, this.#deps.configFile(), "overdue's Healthchecks API is read-only: a check");
  }

  #version(req: Req, res: ServerResponse): number | null {
    const version = VERSIONS[req.params?.version ?? ''];
    if (version !== undefined) return version;
    send(res, 404, { error: 'no such API version: v1, v2 or v3' });
    return null;
  }
}
