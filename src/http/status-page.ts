// The status page: server-rendered HTML over the ReadModel, no script. Every route is here:
//   GET  /                         monitors, 100 a page (?after=), filtered by ?status= and ?tag=
//   GET  /monitors/<slug>          one monitor, its history paged by ?pings_before= (and the others)
//   GET  /login, POST /login, POST /logout   (login-routes.ts)
//   POST /monitors/<slug>/pause | resume | snooze   (write access, same-origin forms only)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Request } from '@tinyhttp/app';
import type { Status } from '../core/types.js';
import { layout } from './page/layout.js';
import { filterHref, listPage, type ListFilter } from './page/list.js';
import { messagePage, sameSiteReload } from './page/login.js';
import { monitorPage, SNOOZE_CHOICES, type MonitorView } from './page/monitor.js';
import { STATUSES, statusLabel } from './page/parts.js';
import type { Html } from './page/html.js';
import * as r from './browser-request.js';
import type { ActionResult, MonitorSummary, ReadModel, Uptime } from '../engine/read-model.js';
import type { Access } from './auth.js';
import type { CredentialGuard } from './credential-guard.js';
import { statusOf } from './errors.js';
import { CROSS_SITE, mountLogin } from './login-routes.js';
import { pingUrlList } from './ping-url-list.js';
import type { Sessions } from './sessions.js';

export interface StatusPageOptions {
  /** What the request may do on the status page (its token, or what is public). */
  readonly access: (req: IncomingMessage) => Access;
  /** public-url when set (its scheme decides the cookie's Secure flag), else where the server listens. */
  readonly baseUrl: () => string;
  /** False when neither server.api-token nor server.read-token is set: the form then says so. */
  readonly canLogIn: () => boolean;
  /** Wrong tokens, limited per address: over the limit, every login is refused for a while. */
  readonly credentials: CredentialGuard;
  /** Login sessions: the cookie holds a session's id, never the token. */
  readonly sessions: Sessions;
}

type Action = 'pause' | 'resume' | 'snooze';
const CHART_PINGS = 100;
const TABLE_ROWS = 25;
// Monitors on a page of the list: a page with 20 000 took 0.5 s and 14 MB to build.
const LIST_ROWS = 100;

export function mountStatusPage(app: App, model: ReadModel, options: StatusPageOptions): void {
  const page = (req: Request, res: ServerResponse, access: Access, title: string, body: Html) =>
    r.sendPage(res, 200, shell(req, access, title, body, true));
  const shell = (req: Request, access: Access, title: string, body: Html, refresh: boolean) =>
    layout({
      title,
      body,
      now: model.now(),
      refresh,
      account: account(req, access),
      // Only to those who may read the monitors: a failed reload is the operator's business.
      failedReload: access === 'none' || model.lastReload().ok ? null : model.lastReload(),
    });
  const fail = (
    req: Request,
    res: ServerResponse,
    status: number,
    title: string,
    message: string,
    back: string,
  ) =>
    r.sendPage(
      res,
      status,
      shell(req, options.access(req), title, messagePage(title, message, back), false),
    );

  /** The reader's access, or null once the browser has been sent to the login form. */
  const gate = (req: Request, res: ServerResponse): Access | null => {
    const access = options.access(req);
    if (access !== 'none') return access;
    // A SameSite=Strict cookie is not sent when the link was followed from another site (an
    // alert in a chat or a webmail): load the page once more from here, which sends it.
    if (req.headers['sec-fetch-site'] === 'cross-site' && !r.hasCookie(req))
      r.sendPage(res, 200, sameSiteReload(r.safeNext(req.url)));
    else r.redirect(res, `/login?next=${encodeURIComponent(req.url)}`);
    return null;
  };

  app.get('/', (req, res) => {
    const access = gate(req, res);
    if (access === null) return;
    const filter = filterOf(req);
    const after = queryOf(req).get('after');
    const query = {
      ...filter,
      after: after ?? undefined,
      limit: LIST_ROWS,
      order: 'urgency' as const,
    };
    const list = model.monitorPage(query);
    // The monitor a "next" link starts after is gone (a reload): start the list again.
    if (list === undefined) return r.redirect(res, filterHref(filter));
    const counts = model.monitorCounts(filter.tag);
    const title = counts.down === 0 ? 'Monitors' : `(${counts.down} down) Monitors`;
    const view = {
      page: list,
      counts,
      filter,
      after,
      uptimes: uptimes(model, list.items),
      now: model.now(),
    };
    page(req, res, access, title, listPage(view));
  });

  app.get('/monitors/:slug', (req, res) => {
    const access = gate(req, res);
    if (access === null) return;
    const slug = slugOf(req);
    const monitor = slug === null ? undefined : model.monitor(slug);
    if (slug === null || monitor === undefined)
      return fail(
        req,
        res,
        404,
        'No such monitor',
        'There is no monitor with this slug in the config.',
        '/',
      );
    const title = `${statusLabel(monitor.status)} · ${monitor.name}`;
    page(req, res, access, title, monitorPage(monitorView(model, req, monitor, access)));
  });

  mountLogin(app, options, {
    shell: (req, title, body) => shell(req, 'none', title, body, false),
    fail: (req, res, status, message, back) => fail(req, res, status, 'Refused', message, back),
  });

  app.post('/monitors/:slug/:action', async (req, res) => {
    const action = req.params.action;
    const slug = slugOf(req);
    if ((action !== 'pause' && action !== 'resume' && action !== 'snooze') || slug === null)
      return fail(req, res, 404, 'Not found', 'There is no such page.', '/');
    const back = `/monitors/${encodeURIComponent(slug)}`;
    if (!r.sameOrigin(req, options.baseUrl()))
      return fail(req, res, 403, 'Refused', CROSS_SITE, back);
    const access = options.access(req);
    if (access === 'none') return r.redirect(res, `/login?next=${encodeURIComponent(back)}`);
    if (access !== 'write')
      return fail(
        req,
        res,
        403,
        'Read-only',
        'Pausing and resuming need the api-token: log in with it.',
        back,
      );
    const form = await r.readForm(req);
    const result = act(model, slug, action, form);
    if (result.ok) return r.redirect(res, back);
    fail(req, res, statusOf(result.code), 'Not done', result.error, back);
  });
}

/** Everything the monitor page shows, each history table at the page its cursor asks for. */
function monitorView(
  model: ReadModel,
  req: Request,
  monitor: MonitorSummary,
  access: Access,
): MonitorView {
  const { slug } = monitor;
  const cursors = {
    pings: cursorOf(req, 'pings_before'),
    transitions: cursorOf(req, 'transitions_before'),
    deliveries: cursorOf(req, 'deliveries_before'),
  };
  const empty = { items: [], next: null };
  const endpoint = model.pingEndpoint(slug);
  return {
    monitor,
    pings: model.pings(slug, { before: cursors.pings, limit: TABLE_ROWS }) ?? empty,
    recentPings: model.pings(slug, { limit: CHART_PINGS })?.items ?? [],
    transitions:
      model.transitions(slug, { before: cursors.transitions, limit: TABLE_ROWS }) ?? empty,
    deliveries: model.deliveries(slug, { before: cursors.deliveries, limit: TABLE_ROWS }) ?? empty,
    // Ping URLs carry the ping-key or the monitor's token: anyone holding one can send a success
    // that hides a silent job, so only the api-token sees them (as in the API).
    pingUrls: endpoint === undefined || access !== 'write' ? [] : pingUrlList(endpoint),
    uptime: model.uptime(slug) ?? null,
    badgeUrls: model.badgeUrls(slug),
    cursors,
    canWrite: access === 'write',
    now: model.now(),
  };
}

function act(
  model: ReadModel,
  slug: string,
  action: Action,
  form: URLSearchParams | null,
): ActionResult {
  if (action === 'pause') return model.pause(slug);
  if (action === 'resume') return model.resume(slug);
  const ms = Number(form?.get('for'));
  if (!SNOOZE_CHOICES.some(([, choice]) => choice === ms))
    return { ok: false, code: 'conflict', error: 'Choose a snooze duration from the list.' };
  return model.snooze(slug, ms);
}

/** The uptime of the page's monitors only: each reads up to 30 days of its transitions. */
function uptimes(model: ReadModel, monitors: readonly MonitorSummary[]): Map<string, Uptime> {
  const bySlug = new Map<string, Uptime>();
  for (const { slug } of monitors) {
    const uptime = model.uptime(slug);
    if (uptime !== undefined) bySlug.set(slug, uptime);
  }
  return bySlug;
}

function account(req: Request, access: Access): 'logout' | 'login' | 'none' {
  if (r.hasCookie(req)) return 'logout';
  return access === 'read' ? 'login' : 'none';
}

function queryOf(req: Request): URLSearchParams {
  return r.queryOf(req.url);
}

function filterOf(req: Request): ListFilter {
  const q = queryOf(req);
  const status = q.get('status');
  const tag = q.get('tag');
  return {
    status: STATUSES.includes(status as Status) ? (status as Status) : null,
    tag: tag === null || tag === '' ? null : tag,
  };
}

function cursorOf(req: Request, name: string): number | undefined {
  const n = Number(queryOf(req).get(name));
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function slugOf(req: Request): string | null {
  try {
    return decodeURIComponent(req.params.slug ?? '');
  } catch {
    return null;
  }
}
