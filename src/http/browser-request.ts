// What the status page needs from a request: its form body, its session cookie, whether a form post came
// from this site (CSRF), and where it is safe to send the browser next.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SESSION_COOKIE } from './sessions.js';
import type { TLSSocket } from 'node:tls';
import type { Html } from './page/html.js';

const MAX_FORM_BYTES = 8 * 1024;

// No script and no external asset on any page, so everything else can be refused.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
} as const;

export function sendPage(
  res: ServerResponse,
  status: number,
  page: Html,
  headers: Record<string, string> = {},
): void {
  const body = page.text;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** 303 See Other: after a form post the browser follows with a GET. */
export function redirect(
  res: ServerResponse,
  to: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(303, {
    ...headers,
    location: to,
    'content-length': 0,
    'cache-control': 'no-store',
  });
  res.end();
}

/** The urlencoded form in the body, or null when it is larger than any form here can be. */
export function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_FORM_BYTES) chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () =>
      resolve(
        size > MAX_FORM_BYTES ? null : new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      ),
    );
  });
}

/** The query string of a request URL. */
export function queryOf(url: string): URLSearchParams {
  const q = url.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
}

export function hasCookie(req: IncomingMessage): boolean {
  return (req.headers.cookie ?? '')
    .split(';')
    .some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`));
}

/**
 * A cross-site form post carries the other site's Origin (and Sec-Fetch-Site): refuse it. Browsers
 * send Origin on every POST; a request without one (curl) cannot be a forged browser post.
 */
export function sameOrigin(req: IncomingMessage, baseUrl: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const from = new URL(origin);
    if (from.host === req.headers.host) return true;
    return baseUrl !== '' && from.origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}

/**
 * Only a path on this site, normalised. Checked the way a browser will read it: `//evil.example`,
 * `/\evil.example` and `/<tab>/evil.example` (browsers drop tabs and newlines) all leave it, and so
 * does `/x/..//evil.example` once its dot segments are resolved, so the answer is the resolved
 * path, and only when a browser reading it as a Location stays on this site.
 */
export function safeNext(next: string | null | undefined): string {
  if (next === null || next === undefined || !next.startsWith('/')) return '/';
  // Control characters and backslashes have no place in our paths; non-Latin-1 cannot be a header.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
  if (/[\x00-\x1f\x7f\\]|[^\x00-\xff]/.test(next)) return '/';
  const base = 'http://overdue.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return '/';
  }
  const path = url.pathname + url.search;
  if (url.origin !== base || url.pathname.startsWith('/login') || !sameSitePath(path, base))
    return '/';
  return path;
}

/** True when a browser given `path` as a Location stays on `base`: `//host/...` does not. */
function sameSitePath(path: string, base: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//')) return false;
  try {
    return new URL(path, base).origin === base;
  } catch {
    return false;
  }
}

function secure(req: IncomingMessage, baseUrl: string): boolean {
  return (req.socket as TLSSocket).encrypted === true || baseUrl.startsWith('https:');
}

/** The cookie of a login session: its id (URL-safe already), never the token. */
export function loginCookie(
  req: IncomingMessage,
  baseUrl: string,
  sessionId: string,
  maxAgeMs: number,
): string {
  const attrs = `HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(maxAgeMs / 1000)}`;
  return `${SESSION_COOKIE}=${sessionId}; ${attrs}${secure(req, baseUrl) ? '; Secure' : ''}`;
}

export function logoutCookie(req: IncomingMessage, baseUrl: string): string {
  const attrs = 'HttpOnly; SameSite=Strict; Path=/; Max-Age=0';
  return `${SESSION_COOKIE}=; ${attrs}${secure(req, baseUrl) ? '; Secure' : ''}`;
}

/** The request as it would be with only this token (or no credential at all), to ask access() about it. */
export function probe(req: IncomingMessage, token: string | null): IncomingMessage {
  // Basic carries the token whole (spaces included), where Bearer would stop at a space.
  const basic = token === null ? '' : Buffer.from(`:${token}`).toString('base64');
  const headers = token === null ? {} : { authorization: `Basic ${basic}` };
  return Object.create(req, { headers: { value: headers } }) as IncomingMessage;
}
