// Tickstem's heartbeat API beyond create and ping (its SDKs: list, get, pause, resume, pings,
// update, delete), under /v1/heartbeats with the api-token as Bearer. A heartbeat's id is the
// monitor's slug. The config owns its monitors: PATCH and DELETE answer 403 naming it; only
// monitors made by auto-provisioning (POST /v1/heartbeats) are not the config's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nextExpectedAt } from '../core/schedule.js';
import type { ProvisionChange, Provisioner } from '../engine/intake.js';
import type { ActionResult, MonitorDetail, ReadModel } from '../engine/read-model.js';
import { compatAccess, configOwns, type CompatAuthDeps } from './compat-auth.js';
import { statusOf } from './errors.js';
import { MAX_JSON_BYTES, readJson, send, TOO_LARGE } from './json.js';
import { textProblem } from './request-text.js';

export interface TickstemApiDeps extends CompatAuthDeps {
  readonly read: ReadModel;
  readonly configFile: () => string;
  readonly provisioner: Provisioner;
}

const DAY_SECS = 86_400;

/** The fields of a PATCH (Tickstem's UpdateParams), or what is wrong with them. */
function changeOf(body: unknown): ProvisionChange | string {
  if (typeof body !== 'object' || body === null) return 'the body must be a JSON object';
  const { name, interval_secs: interval, grace_secs: grace } = body as Record<string, unknown>;
  const seconds = (v: unknown, min: number) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= 365 * DAY_SECS;
  if (name !== undefined) {
    const problem = textProblem('name', name, 200);
    if (problem !== null) return problem;
  }
  if (interval !== undefined && !seconds(interval, 1))
    return 'interval_secs: a whole number of seconds from 1 to 31536000';
  if (grace !== undefined && !seconds(grace, 0))
    return 'grace_secs: a whole number of seconds, 0 or more';
  return {
    ...(name === undefined ? {} : { name: (name as string).trim() }),
    ...(interval === undefined ? {} : { periodMs: (interval as number) * 1000 }),
    ...(grace === undefined ? {} : { graceMs: (grace as number) * 1000 }),
  };
}

type Req = IncomingMessage & { params?: Record<string, string> };

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

/** Seconds between pings: the period, or for a cron schedule the gap between its next two times. */
function intervalSecs(d: MonitorDetail, now: number): number {
  if (d.schedule.kind === 'every') return Math.round(d.schedule.periodMs / 1000);
  const first = nextExpectedAt(d.schedule, now);
  const second = first === null ? null : nextExpectedAt(d.schedule, first);
  return first === null || second === null ? 0 : Math.round((second - first) / 1000);
}

/** A monitor in Tickstem's shape (its SDK's `Heartbeat`): status active, paused or failing. */
export function heartbeatOf(d: MonitorDetail, now: number): Record<string, unknown> {
  return {
    id: d.slug,
    name: d.name,
    token: d.token ?? '',
    interval_secs: intervalSecs(d, now),
    grace_secs: Math.round(d.graceMs / 1000),
    status: d.status === 'down' ? 'failing' : d.status === 'paused' ? 'paused' : 'active',
    consecutive_misses: d.failures,
    last_pinged_at: iso(d.lastPingAt),
    next_expected_at: iso(d.nextDeadlineAt),
    // overdue keeps when the status last changed, not when the monitor was made or edited.
    created_at: iso(d.changedAt),
    updated_at: iso(d.changedAt),
  };
}

export class TickstemApi {
  readonly #deps: TickstemApiDeps;

  constructor(deps: TickstemApiDeps) {
    this.#deps = deps;
  }

  list(req: Req, res: ServerResponse): void {
    if (!compatAccess(this.#deps, req, res, 'write')) return;
    const now = this.#deps.read.now();
    send(res, 200, { heartbeats: this.#deps.read.details().map((d) => heartbeatOf(d, now)) });
  }

  get(req: Req, res: ServerResponse): void {
    if (!compatAccess(this.#deps, req, res, 'write')) return;
    const found = this.#find(req, res);
    if (found !== undefined) send(res, 200, heartbeatOf(found, this.#deps.read.now()));
  }

  /** GET .../pings?limit=N (1..500, default 50): newest first. */
  pings(req: Req, res: ServerResponse): void {
    if (!compatAccess(this.#deps, req, res, 'write')) return;
    const limit = new URL(req.url ?? '/', 'http://x').searchParams.get('limit') ?? '50';
    if (!/^[1-9][0-9]{0,2}$/.test(limit) || Number(limit) > 500)
      return send(res, 400, { error: 'limit: a whole number from 1 to 500' });
    const slug = req.params?.id ?? '';
    const page = this.#deps.read.pings(slug, { limit: Number(limit) });
    if (page === undefined) return send(res, 404, { error: `no heartbeat '${slug}'` });
    const pings = page.items.map((p) => ({
      id: String(p.id),
      heartbeat_id: slug,
      pinged_at: iso(p.at),
    }));
    send(res, 200, { pings });
  }

  action(req: Req, res: ServerResponse, kind: 'pause' | 'resume'): void {
    req.resume();
    if (!compatAccess(this.#deps, req, res, 'write')) return;
    const result: ActionResult = this.#deps.read[kind](req.params?.id ?? '');
    if (!result.ok) return send(res, statusOf(result.code), { error: result.error });
    const found = this.#find(req, res);
    if (found !== undefined) send(res, 200, heartbeatOf(found, this.#deps.read.now()));
  }

  /** DELETE: only a monitor auto-provisioning made; the config's are refused, naming the file. */
  remove(req: Req, res: ServerResponse): void {
    req.resume();
    if (!compatAccess(this.#deps, req, res, 'write')) return;
    const found = this.#owned(req, res);
    if (found === undefined) return;
    this.#deps.provisioner.remove(found.slug);
    res.writeHead(204).end();
  }

  /** PATCH name, interval_secs, grace_secs: likewise only a monitor auto-provisioning made. */
  update(req: Req, res: ServerResponse): void {
    if (!compatAccess(this.#deps, req, res, 'write')) return void req.resume();
    const found = this.#owned(req, res);
    if (found === undefined) return void req.resume();
    readJson(req, (body) => {
      if (body === TOO_LARGE)
        return send(res, 413, { error: `the body must be at most ${MAX_JSON_BYTES} bytes` });
      const change = changeOf(body);
      if (typeof change === 'string') return send(res, 400, { error: change });
      if (!this.#deps.provisioner.update(found.slug, change))
        return send(res, 409, {
          error: `heartbeat '${found.slug}' changed meanwhile: read it again`,
        });
      const updated = this.#find(req, res);
      if (updated !== undefined) send(res, 200, heartbeatOf(updated, this.#deps.read.now()));
    });
  }

  /** The monitor the request names, if auto-provisioning made it; else answered 404 or 403. */
  #owned(req: Req, res: ServerResponse): MonitorDetail | undefined {
    const found = this.#find(req, res);
    if (found === undefined || found.provisioned) return found;
    configOwns(res, this.#deps.configFile(), `heartbeat '${found.slug}'`);
    return undefined;
  }

  #find(req: Req, res: ServerResponse): MonitorDetail | undefined {
    const slug = req.params?.id ?? '';
    const found = this.#deps.read.details().find((d) => d.slug === slug);
    if (found === undefined) send(res, 404, { error: `no heartbeat '${slug}'` });
    return found;
  }
}
