// The status page's login and logout. A valid token opens a session (sessions.ts): the browser
// keeps its id in an HttpOnly cookie, never the token. Wrong tokens count against the address
// (credential-guard.ts), and over the limit every login is refused, the right token too.
//   GET  /login, POST /login       the form, and the session it opens
//   POST /logout                   ends the session
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Request } from '@tinyhttp/app';
import { sessionOf, type Access } from './auth.js';
import * as r from './browser-request.js';
import { retryAfter, type CredentialGuard } from './credential-guard.js';
import type { Html } from './page/html.js';
import { loginPage } from './page/login.js';
import type { Sessions } from './sessions.js';

export interface LoginOptions {
  readonly access: (req: IncomingMessage) => Access;
  readonly baseUrl: () => string;
  readonly canLogIn: () => boolean;
  readonly credentials: CredentialGuard;
  readonly sessions: Sessions;
}

/** How the status page frames a page: `shell` for a form, `fail` for a refusal with a way back. */
export interface LoginFrame {
  readonly shell: (req: Request, title: string, body: Html) => Html;
  readonly fail: (
    req: Request,
    res: ServerResponse,
    status: number,
    message: string,
    back: string,
  ) => void;
}

export const CROSS_SITE =
  'This form was sent from another site. Open the status page itself and try again.';
const NO_TOKEN =
  'No token is configured, so nobody can log in: set server.api-token (or server.read-token) in the config and reload, or add status-page to server.public to let anyone read this page.';
const TOO_MANY = 'Too many failed attempts from this address; try again later.';

export function mountLogin(app: App, options: LoginOptions, frame: LoginFrame): void {
  const form = (
    req: Request,
    res: ServerResponse,
    status: number,
    next: string,
    error: string | null,
    headers = {},
  ) =>
    r.sendPage(
      res,
      status,
      frame.shell(req, 'Log in', loginPage(next, error, options.canLogIn())),
      headers,
    );

  app.get('/login', (req, res) => {
    const next = r.safeNext(r.queryOf(req.url).get('next'));
    form(req, res, 200, next, options.canLogIn() ? null : NO_TOKEN);
  });

  app.post('/login', async (req, res) => {
    if (!r.sameOrigin(req, options.baseUrl()))
      return frame.fail(req, res, 403, CROSS_SITE, '/login');
    const fields = await r.readForm(req);
    const token = fields?.get('token') ?? '';
    const next = r.safeNext(fields?.get('next'));
    // Over the limit, the token is not even looked at: a right guess is answered as a wrong one.
    const lockedMs = options.credentials.wait(req);
    const refused = lockedMs > 0 ? TOO_MANY : refusal(options.access, req, token);
    if (refused !== null) {
      // Wrong tokens count towards the per-address limit, as on the API.
      const waitMs = lockedMs > 0 ? lockedMs : options.credentials.failed(req);
      if (waitMs === 0) return form(req, res, 401, next, refused);
      return form(req, res, 429, next, TOO_MANY, { 'retry-after': retryAfter(waitMs) });
    }
    const id = options.sessions.open(token);
    const cookie = r.loginCookie(req, options.baseUrl(), id, options.sessions.ttlMs);
    r.redirect(res, next, { 'set-cookie': cookie });
  });

  app.post('/logout', (req, res) => {
    req.resume();
    if (!r.sameOrigin(req, options.baseUrl())) return frame.fail(req, res, 403, CROSS_SITE, '/');
    // Ended here too: a copy of the cookie is worth nothing after logout.
    const session = sessionOf(req);
    if (session !== null) options.sessions.close(session);
    r.redirect(res, '/login', { 'set-cookie': r.logoutCookie(req, options.baseUrl()) });
  });
}

/**
 * Why this token is not worth a session, or null when it gives more than the request has without
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
