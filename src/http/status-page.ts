// The status page: server-rendered HTML over the ReadModel, no script. Every route is here:
//   GET  /                         monitors, filtered by ?status= and ?tag=
//   GET  /monitors/<slug>          one monitor, its history paged by ?pings_before= (and the others)
//   GET  /login, POST /login       a form that opens a session (its id in an HttpOnly cookie)
//   POST /logout
//   POST /monitors/<slug>/pause | resume | snooze   (write access, same-origin forms only)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Request } from '@tinyhttp/app';
import type { Status } from '../core/types.js';
import { layout } from './page/layout.js';
import { listPage, type ListFilter } from './page/list.js';
import { loginPage, messagePage, sameSiteReload } from './page/login.js';
import { monitorPage, SNOOZE_CHOICES, type MonitorView } from './page/monitor.js';
import { STATUSES, statusLabel } from './page/parts.js';
import type { Html } from './page/html.js';
import * as r from './browser-request.js';
import type { ActionResult, MonitorSummary, ReadModel } from '../engine/read-model.js';
import { sessionOf, type Access } from './auth.js';
import { retryAfter, type CredentialGuard } from './credential-guard.js';
import { statusOf } from './errors.js';
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

export function mountStatusPage(app: App, model: ReadModel, options: StatusPageOptions): void {
  const page = (req: Request, res: ServerResponse, access: Access, title: string, body: Html) =>
    r.sendPage(res, 200, shell(req, access, title, body, true));
  const shell = (req: Request, access: Access, title: string, body: Html, refresh: boolean) =>
    layout({ title, body, now: model.now(), refresh, account: account(req, access) });
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
    const monitors = model.monitors();
    const down = monitors.filter((m) => m.status === 'down').length;
    const title = down === 0 ? 'Monitors' : `(${down} down) Monitors`;
    page(req, res, access, title, listPage(monitors, filterOf(req), model.now()));
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

  app.get('/login', (req, res) => {
    const next = r.safeNext(queryOf(req).get('next'));
    const error = options.canLogIn() ? null : NO_TOKEN;
    r.sendPage(res, 200, shell(req, 'none', 'Log in', loginPage(next, error), false));
  });

  app.post('/login', async (req, res) => {
    if (!r.sameOrigin(req, options.baseUrl()))
      return fail(req, res, 403, 'Refused', CROSS_SITE, '/login');
    const form = await r.readForm(req);
    const token = form?.get('token') ?? '';
    const next = r.safeNext(form?.get('next'));
    // Over the limit, the token is not even looked at: a right guess is answered as a wrong one.
    const lockedMs = options.credentials.wait(req);
    const refused = lockedMs > 0 ? TOO_MANY : refusal(options.access, req, token);
    if (refused !== null) {
      // Wrong tokens count towards the per-address limit, as on the API.
      const waitMs = lockedMs > 0 ? lockedMs : options.credentials.failed(req);
      const headers: Record<string, string> =
        waitMs > 0 ? { 'retry-after': retryAfter(waitMs) } : {};
      const page = shell(
        req,
        'none',
        'Log in',
        loginPage(next, waitMs > 0 ? TOO_MANY : refused),
        false,
      );
      return r.sendPage(res, waitMs > 0 ? 429 : 401, page, headers);
    }
    const id = options.sessions.open(token);
    const cookie = r.loginCookie(req, options.baseUrl(), id, options.sessions.ttlMs);
    r.redirect(res, next, { 'set-cookie': cookie });
  });

  app.post('/logout', (req, res) => {
    req.resume();
    if (!r.sameOrigin(req, options.baseUrl()))
      return fail(req, res, 403, 'Refused', CROSS_SITE, '/');
    // Ended here too: a copy of the cookie is worth nothing after logout.
    const session = sessionOf(req);
    if (session !== null) options.sessions.close(session);
    r.redirect(res, '/login', { 'set-cookie': r.logoutCookie(req, options.baseUrl()) });
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

const NO_TOKEN =
  'No token is configured, so nobody can log in: set server.api-token (or server.read-token) in the config and reload, or add status-page to server.public to let anyone read this page.';
const TOO_MANY = 'Too many failed attempts from this address; try again later.';
const CROSS_SITE =
  'This form was sent from another site. Open the status page itself and try again.';

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
  return {
    monitor,
    pings: model.pings(slug, { before: cursors.pings, limit: TABLE_ROWS }) ?? empty,
    recentPings: model.pings(slug, { limit: CHART_PINGS })?.items ?? [],
    transitions:
      model.transitions(slug, { before: cursors.transitions, limit: TABLE_ROWS }) ?? empty,
    deliveries: model.deliveries(slug, { before: cursors.deliveries, limit: TABLE_ROWS }) ?? empty,
    // Ping URLs carry the ping-key or the monitor's token: anyone holding one can send a success
    // that hides a silent job, so only the api-token sees them (as in the API).
    pingUrls: access === 'write' ? model.pingUrls(slug) : [],
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

/**
 * Why this token is not worth a cookie, or null when it gives more than the request has without
 * any credential (access() compares it in constant time).
 */
function refusal(
  access: (req: IncomingMessage) => Access,
  req: Request,
  token: string,
): string | null {
  const rank = { none: 0, read: 1, write: 2 } as const;
  const without = rank[access(r.probe(req, null))];
  const withToken = token === '' ? 0 : rank[access(r.probe(req, token))];
  if (withToken > without) return null;
  if (withToken === 1)
    return 'This page is already public read-only: log in with server.api-token to pause and resume.';
  return 'That token is not valid. Use server.api-token or server.read-token from the config.';
}

function account(req: Request, access: Access): 'logout' | 'login' | 'none' {
  if (r.hasCookie(req)) return 'logout';
  return access === 'read' ? 'login' : 'none';
}

function queryOf(req: Request): URLSearchParams {
  const q = req.url.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : req.url.slice(q + 1));
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
