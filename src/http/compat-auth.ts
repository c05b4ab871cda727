// Access for the APIs other systems' tools speak (Healthchecks, Tickstem, Gatus): the same tokens
// and the same per-address limit on wrong ones as overdue's own API, with Healthchecks' header
// `X-Api-Key: <token>` taken as `Authorization: Bearer <token>`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiAccess, type ApiAccessDeps } from './api-access.js';
import type { Access } from './auth.js';
import { send } from './json.js';

export type CompatAuthDeps = ApiAccessDeps;

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
  return apiAccess(deps, req, res, need === 'write');
}

/** The answer to a change of what the config file owns. */
export function configOwns(res: ServerResponse, configFile: string, what: string): void {
  send(res, 403, {
    error: `${what} is owned by the config file ${configFile}: change it there (overdue reloads it on change or SIGHUP)`,
  });
}
