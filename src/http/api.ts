// The JSON read API under /api/v1 (routes in api-routes.ts): monitors, their pings, transitions and
// deliveries a page at a time, and pause, resume and snooze. Names are snake_case (api-json.ts);
// times are ISO 8601 strings; errors are {"error": "..."} with 400, 401, 403, 404 or 409.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseDuration } from '../core/duration.js';
import type { ActionResult, MonitorQuery, PageQuery, ReadModel } from '../engine/read-model.js';
import { monitorJson, oneMonitorJson, pageJson } from './api-json.js';
import { apiAccess, type ApiAccessDeps } from './api-access.js';
import type { Access } from './auth.js';
import { statusOf } from './errors.js';
import { MAX_JSON_BYTES, readJson, send, TOO_LARGE } from './json.js';

export interface ApiDeps extends ApiAccessDeps {
  readonly read: ReadModel;
}

export type HistoryKind = 'pings' | 'transitions' | 'deliveries';
export type ActionKind = 'pause' | 'resume' | 'snooze';
type Req = IncomingMessage & { params?: Record<string, string> };

const MAX_SNOOZE_MS = 30 * 86_400_000;

export class Api {
  readonly #deps: ApiDeps;

  constructor(deps: ApiDeps) {
    this.#deps = deps;
  }

  /** A page of monitors in config order: ?limit= (default 100) and ?after=<the previous next>. */
  list(req: Req, res: ServerResponse): void {
    if (!this.#allowed(req, res, false)) return;
    const query = monitorQuery(new URL(req.url ?? '/', 'http://x').searchParams);
    if (typeof query === 'string') return send(res, 400, { error: query });
    const page = this.#deps.read.monitorPage(query);
    if (page === undefined) {
      const error = `after: no monitor '${query.after}' (a reload removed it?): list again from the first page`;
      return send(res, 400, { error });
    }
    send(res, 200, { monitors: page.items.map((m) => monitorJson(m)), next: page.next });
  }

  monitor(req: Req, res: ServerResponse): void {
    const access = this.#allowed(req, res, false);
    if (!access) return;
    const slug = slugOf(req);
    const monitor = this.#deps.read.monitor(slug);
    if (monitor === undefined) return notFound(res, slug);
    // Ping URLs carry secrets that let anyone feed the monitor: only for the api-token.
    const pingUrls = access === 'write' ? this.#deps.read.pingUrls(slug) : undefined;
    send(
      res,
      200,
      oneMonitorJson(monitor, { pingUrls, badgeUrls: this.#deps.read.badgeUrls(slug) }),
    );
  }

  history(req: Req, res: ServerResponse, kind: HistoryKind): void {
    if (!this.#allowed(req, res, false)) return;
    const query = pageQuery(new URL(req.url ?? '/', 'http://x').searchParams);
    if (typeof query === 'string') return send(res, 400, { error: query });
    const slug = slugOf(req);
    const page = this.#deps.read[kind](slug, query);
    if (page === undefined) return notFound(res, slug);
    send(res, 200, pageJson(kind, page));
  }

  badges(req: Req, res: ServerResponse): void {
    if (!this.#allowed(req, res, false)) return;
    const monitors = this.#deps.read
      .slugs()
      .map((slug) => ({ slug, ...this.#deps.read.badgeUrls(slug) }));
    send(res, 200, { monitors, tags: this.#deps.read.tagBadges() });
  }

  action(req: Req, res: ServerResponse, kind: ActionKind): void {
    if (!this.#allowed(req, res, true)) return void req.resume();
    const slug = slugOf(req);
    if (kind !== 'snooze') return answer(res, this.#deps.read[kind](slug));
    const inQuery = new URL(req.url ?? '/', 'http://x').searchParams.get('for');
    readJson(req, (body) => {
      if (body === TOO_LARGE)
        return send(res, 413, { error: `the body must be at most ${MAX_JSON_BYTES} bytes` });
      const given = inQuery ?? forOf(body);
      const durationMs = given === null ? null : parseDuration(given);
      if (durationMs === null || durationMs <= 0 || durationMs > MAX_SNOOZE_MS) {
        const error = `give how long to snooze as {"for": "2h"} or ?for=2h: a duration like 30m, 2h or 1d, at most 30d`;
        return send(res, 400, { error });
      }
      answer(res, this.#deps.read.snooze(slug, durationMs));
    });
  }

  /** The request's access, or false after answering 401, 403 or 429. */
  #allowed(req: Req, res: ServerResponse, write: boolean): Access | false {
    return apiAccess(this.#deps, req, res, write);
  }
}

function slugOf(req: Req): string {
  return req.params?.slug ?? '';
}

function forOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const value = (body as Record<string, unknown>).for;
  return typeof value === 'string' ? value : null;
}

/** `after` and `limit` of a page of monitors, or what is wrong with them. */
function monitorQuery(params: URLSearchParams): MonitorQuery | string {
  const after = params.get('after');
  const limit = params.get('limit');
  if (after !== null && (after === '' || after.length > 100))
    return "after: the slug of the last monitor of the previous page (its 'next')";
  if (limit !== null && (!/^[1-9][0-9]{0,3}$/.test(limit) || Number(limit) > 500))
    return 'limit: a whole number from 1 to 500';
  return { after: after ?? undefined, limit: limit === null ? undefined : Number(limit) };
}

/** `before` and `limit` of a page, or what is wrong with them. */
export function pageQuery(params: URLSearchParams): PageQuery | string {
  const before = params.get('before');
  const limit = params.get('limit');
  const whole = /^[1-9][0-9]{0,15}$/;
  if (before !== null && !whole.test(before))
    return 'before: the id of the last item of the previous page (a positive whole number)';
  if (limit !== null && (!whole.test(limit) || Number(limit) > 500))
    return 'limit: a whole number from 1 to 500';
  return {
    before: before === null ? undefined : Number(before),
    limit: limit === null ? undefined : Number(limit),
  };
}

function answer(res: ServerResponse, result: ActionResult): void {
  if (result.ok) send(res, 200, { monitor: monitorJson(result.monitor) });
  else send(res, statusOf(result.code), { error: result.error });
}

function notFound(res: ServerResponse, slug: string): void {
  send(res, 404, { error: `no monitor '${slug}'` });
}
