// Who may use the APIs (overdue's own under /api/v1, and the ones other systems' tools speak): the
// api and read tokens, a status page login's cookie, and a per-address limit on wrong tokens. One
// check for all of them, so a refusal (a change from another site, a read token asked to write)
// cannot hold for one API and not another.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessOf, crossSite, refusal, tokenOf, type Access, type Tokens } from './auth.js';
import { retryAfter, type CredentialGuard } from './credential-guard.js';
import { send } from './json.js';
import type { Sessions } from './sessions.js';

export interface ApiAccessDeps {
  readonly tokens: () => Tokens;
  /** Wrong tokens, limited per address: over the limit, every token is refused for a while. */
  readonly credentials: CredentialGuard;
  /** Login sessions of the status page: a browser may use the API with its cookie. */
  readonly sessions: Sessions;
}

/** The request's access, or false after answering 401, 403 or 429 (`{"error": ...}`). */
export function apiAccess(
  deps: ApiAccessDeps,
  req: IncomingMessage,
  res: ServerResponse,
  write: boolean,
): Access | false {
  const token = tokenOf(req);
  // An address over the limit is refused whatever it sends: the answer must not tell a right
  // guess from a wrong one.
  const waitMs = token === null ? 0 : deps.credentials.wait(req);
  if (waitMs > 0) return tooManyAttempts(res, waitMs);
  const access = accessOf(req, 'api', deps.tokens(), deps.sessions);
  if (write && access === 'write' && req.headers.authorization === undefined && crossSite(req)) {
    send(res, 403, {
      error: 'a change from another site is refused: send the token in Authorization',
    });
    return false;
  }
  if (access === 'write' || (access === 'read' && !write)) return access;
  // Read access without a token (a public API) is asked to authenticate; a read token is refused.
  if (access === 'read' && token !== null) {
    send(res, 403, { error: 'this token may only read: changes need server.api-token' });
    return false;
  }
  // A wrong token counts towards the per-address limit.
  const retryAfterMs = token === null ? 0 : deps.credentials.failed(req);
  if (retryAfterMs > 0) return tooManyAttempts(res, retryAfterMs);
  const error = refusal('api', deps.tokens(), write);
  send(res, 401, { error }, { 'www-authenticate': 'Bearer realm="overdue"' });
  return false;
}

function tooManyAttempts(res: ServerResponse, waitMs: number): false {
  const error = 'too many failed attempts from this address; retry later';
  send(res, 429, { error }, { 'retry-after': retryAfter(waitMs) });
  return false;
}
