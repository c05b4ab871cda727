// Access for the APIs other systems' tools speak (Healthchecks, Tickstem, Gatus): the same tokens
// and the same per-address limit on wrong ones as overdue's own API, with Healthchecks' header
// `X-Api-Key: <token>` taken as `Authorization: Bearer <token>`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessOf, refusal, tokenOf, type Access, type Tokens } from './auth.js';
import { retryAfter, type CredentialGuard } from './credential-guard.js';
import { send } from './json.js';
import type { Sessions } from './sessions.js';

export interface CompatAuthDeps {
  readonly tokens: () => Tokens;
  readonly credentials: CredentialGuard;
  readonly sessions: Sessions;
}

/** The request's access to the API, or false after answering 401, 403 or 429 (`{"error": ...}`). */
export function compatAccess(
  deps: CompatAuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  need: 'read' | 'write',
): Access | false {
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '' && req.headers.authorization === undefined)
    req.headers.authorization = `Bearer ${apiKey}`;
  const token = tokenOf(req);
  const waitMs = token === null ? 0 : deps.credentials.wait(req);
  if (waitMs > 0) return tooMany(res, waitMs);
  const access = accessOf(req, 'api', deps.tokens(), deps.sessions);
  if (access === 'write' || (access === 'read' && need === 'read')) return access;
  if (access === 'read' && token !== null) {
    send(res, 403, { error: 'this token may only read: this needs server.api-token' });
    return false;
  }
  const retryAfterMs = token === null ? 0 : deps.credentials.failed(req);
  if (retryAfterMs > 0) return tooMany(res, retryAfterMs);
  send(res, 401, { error: refusal('api', deps.tokens(), need === 'write') });
  return false;
}

function tooMany(res: ServerResponse, waitMs: number): false {
  const error = 'too many failed attempts from this address; retry later';
  send(res, 429, { error }, { 'retry-after': retryAfter(waitMs) });
  return false;
}

/** The answer to a change of what the config file owns. */
export function configOwns(res: ServerResponse, configFile: string, what: string): void {
  send(res, 403, {
    error: `${what} is owned by the config file ${configFile}: change it there (overdue reloads it on change or SIGHUP)`,
  });
}
