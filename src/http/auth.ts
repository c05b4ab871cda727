// Who may do what: the token a request carries (Bearer, or Basic with the token as password),
// compared with the configured ones in constant time, or the status page's login session (its
// cookie), which is worth what the token it was opened with is worth while that token is current.
import { sameSecret } from '../platform/secret.js';
import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE, type Sessions } from './sessions.js';

/** What a request may do: change things (api-token), only read (read-token or public), nothing. */
export type Access = 'write' | 'read' | 'none';

/** A part of the server with its own access rule. */
export type Part = 'api' | 'status-page' | 'metrics';

/** The server settings access depends on. */
export interface Tokens {
  /** Full access: read and write. */
  readonly apiToken: string | null;
  /** Read-only access to everything. */
  readonly readToken: string | null;
  /** Read access to metrics only. */
  readonly metricsToken: string | null;
  /** Parts anyone may read without a token. */
  readonly public: readonly Part[];
}

/** The token a request carries in Authorization, or null. */
export function tokenOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
    if (scheme.toLowerCase() === 'bearer' && value !== '') return value;
    if (scheme.toLowerCase() === 'basic' && value !== '') {
      // Any user name: the password is the token (Prometheus basic_auth, browsers' prompts).
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon === -1 ? null : decoded.slice(colon + 1) || null;
    }
  }
  return null;
}

/** The login session id the request's cookie carries, or null. */
export function sessionOf(req: IncomingMessage): string | null {
  return cookieOf(req.headers.cookie, SESSION_COOKIE);
}

function cookieOf(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value) || null;
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** What a request may do to `part`. */
export function accessOf(
  req: IncomingMessage,
  part: Part,
  tokens: Tokens,
  sessions: Sessions,
): Access {
  const token = tokenOf(req);
  if (token !== null) {
    if (tokens.apiToken !== null && sameSecret(token, tokens.apiToken)) return 'write';
    if (tokens.readToken !== null && sameSecret(token, tokens.readToken)) return 'read';
    const metrics = tokens.metricsToken;
    if (part === 'metrics' && metrics !== null && sameSecret(token, metrics)) return 'read';
  } else {
    const session = sessionOf(req);
    const access = session === null ? null : sessionAccess(session, tokens, sessions);
    if (access !== null) return access;
  }
  return tokens.public.includes(part) ? 'read' : 'none';
}

/** A session's access: its token's, while that token is still configured; else it is ended. */
function sessionAccess(id: string, tokens: Tokens, sessions: Sessions): Access | null {
  if (tokens.apiToken !== null && sessions.heldBy(id, tokens.apiToken)) return 'write';
  if (tokens.readToken !== null && sessions.heldBy(id, tokens.readToken)) return 'read';
  // Expired, logged out, or its token was rotated away: it can never be worth anything again.
  sessions.close(id);
  return null;
}

/**
 * A browser request sent from another site. Browsers attach the status page's cookie to those too,
 * so a change carried only by the cookie must come from a page of this server (no CSRF).
 */
export function crossSite(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/** Why a request without access was refused, and how to get access: the text of a 401. */
export function refusal(part: Part, tokens: Tokens, write: boolean): string {
  const keys = write
    ? ['server.api-token']
    : [
        'server.api-token',
        'server.read-token',
        ...(part === 'metrics' ? ['server.metrics-token'] : []),
      ];
  const configured = keys.some((k) => tokenFor(k, tokens) !== null);
  if (!configured) {
    const open = write ? '' : ` (or list ${part} in server.public to make it readable by anyone)`;
    return `no token is configured for this: set ${keys.join(' or ')} in the config${open}`;
  }
  return `a valid token is required: send Authorization: Bearer <token> (${keys.join(' or ')})`;
}

function tokenFor(key: string, tokens: Tokens): string | null {
  if (key === 'server.api-token') return tokens.apiToken;
  if (key === 'server.read-token') return tokens.readToken;
  return tokens.metricsToken;
}
