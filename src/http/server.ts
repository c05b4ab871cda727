// The HTTP server, every route on one screen. The ping path is matched first and never enters the
// router; everything else goes through tinyhttp, with our own 404 and error handlers so nothing
// internal reaches a response.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { App } from '@tinyhttp/app';
import type { Logger } from '../log.js';
import {
  handlePing,
  remoteAddr,
  reply,
  type OnFailedLookup,
  type PingDeps,
} from './ping-handler.js';
import { dialectOf } from './ping-routes.js';
import { handleCreate, type ProvisionApiDeps } from './provision-api.js';
import { FailureLimiter } from './rate-limit.js';

export interface HttpDeps extends PingDeps, ProvisionApiDeps {
  readonly log: Logger;
  /** True when the database answers. */
  readonly healthy: () => boolean;
}

function createApp(deps: HttpDeps, failed: OnFailedLookup): App {
  const app = new App({
    noMatchHandler: (_req, res) => reply(res, 404, 'not found'),
    onError: (err, _req, res) => {
      deps.log.error('request failed', { error: String(err) });
      reply(res, 500, 'internal error');
    },
    settings: { xPoweredBy: false },
  });
  app.post('/v1/heartbeats', (req, res) => handleCreate(deps, req, res, failed));
  app.get('/healthz', (_req, res) => {
    if (deps.healthy()) reply(res, 200, 'ok');
    else reply(res, 503, 'database unavailable');
  });
  return app;
}

/** Counts a failed lookup against the request's address; names the address once when it goes over. */
function failureCounter(deps: HttpDeps): OnFailedLookup {
  const limiter = new FailureLimiter();
  return (req) => {
    const address = remoteAddr(req, deps.trustProxy()) ?? 'unknown';
    const { retryAfterMs, first } = limiter.fail(address, deps.now());
    if (first) deps.log.warn('too many failed token lookups; answering 429', { address });
    return retryAfterMs;
  };
}

export function createHttpServer(deps: HttpDeps): Server {
  const failed = failureCounter(deps);
  const app = createApp(deps, failed);
  const pingDeps = { ...deps, failed };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const ping = dialectOf(path);
    if (ping === null) return app.handler(req as never, res as never);
    handlePing(pingDeps, req, res, ping.dialect, ping.rest, q === -1 ? '' : url.slice(q + 1));
  };
  return createServer(
    {
      // Bounded waits, so a slow or stalled client cannot hold a connection forever.
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      // Node checks the two timeouts above only this often (30 s by default, which would let a
      // client trickling bytes hold a connection for 40 s instead of 10).
      connectionsCheckingInterval: 1_000,
    },
    handle,
  );
}
