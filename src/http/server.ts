// The HTTP server, every route on one screen. The ping path is matched first and never enters the
// router; everything else goes through tinyhttp, with our own 404 and error handlers so nothing
// internal reaches a response. The status page (/, /login, /monitors/<slug>) is mounted beside.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { App } from '@tinyhttp/app';
import type { Logger } from '../platform/log.js';
import { Api, type ApiDeps } from './api.js';
import { refusal } from './auth.js';
import { send } from './json.js';
import { badgeJson, badgeSvg, type BadgeView } from './badge.js';
import { METRICS_CONTENT_TYPE, renderMetrics, type MetricsSnapshot } from './metrics.js';
import {
  Acknowledgements,
  handlePing,
  remoteAddr,
  reply,
  type OnFailedLookup,
  type PingDeps,
} from './ping-handler.js';
import { dialectOf } from './ping-routes.js';
import { handleCreate, type ProvisionApiDeps } from './provision-api.js';
import { FailureLimiter } from './rate-limit.js';
import { mountStatusPage } from './status-page.js';

export interface HttpDeps extends PingDeps, ProvisionApiDeps, Omit<ApiDeps, 'failed'> {
  readonly log: Logger;
  /** Null when the database can be written; else what is wrong. */
  readonly health: () => string | null;
  readonly metrics: () => MetricsSnapshot;
  /** What the badge with this key shows; undefined for an unknown key. */
  readonly badge: (key: string) => BadgeView | undefined;
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
  const api = new Api({ ...deps, failed });
  app.post('/v1/heartbeats', (req, res) => handleCreate(deps, req, res, failed));
  app.get('/api/v1/monitors', (req, res) => api.list(req, res));
  app.get('/api/v1/monitors/:slug', (req, res) => api.monitor(req, res));
  app.get('/api/v1/monitors/:slug/pings', (req, res) => api.history(req, res, 'pings'));
  app.get('/api/v1/monitors/:slug/transitions', (req, res) => api.history(req, res, 'transitions'));
  app.get('/api/v1/monitors/:slug/deliveries', (req, res) => api.history(req, res, 'deliveries'));
  app.post('/api/v1/monitors/:slug/pause', (req, res) => api.action(req, res, 'pause'));
  app.post('/api/v1/monitors/:slug/resume', (req, res) => api.action(req, res, 'resume'));
  app.post('/api/v1/monitors/:slug/snooze', (req, res) => api.action(req, res, 'snooze'));
  app.get('/api/v1/badges', (req, res) => api.badges(req, res));
  app.all('/api/v1/*', (_req, res) => send(res, 404, { error: 'no such API route' }));
  app.get('/metrics', (req, res) => metrics(deps, req, res));
  app.get('/badge/:file', (req, res) => badge(deps, req.params.file ?? '', res));
  app.get('/healthz', (_req, res) => {
    const problem = deps.health();
    if (problem === null) reply(res, 200, 'ok', { 'cache-control': 'no-store' });
    else reply(res, 503, `database not writable: ${problem}`, { 'cache-control': 'no-store' });
  });
  const canLogIn = () => deps.tokens().apiToken !== null || deps.tokens().readToken !== null;
  mountStatusPage(app, deps.read, { baseUrl: deps.baseUrl, canLogIn, failed });
  return app;
}

function metrics(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): void {
  if (deps.read.access(req, 'metrics') === 'none') {
    const error = refusal('metrics', deps.tokens(), false);
    return reply(res, 401, error, { 'www-authenticate': 'Bearer realm="overdue"' });
  }
  reply(res, 200, renderMetrics(deps.metrics()), { 'content-type': METRICS_CONTENT_TYPE });
}

/** /badge/<key>.svg or .json: no token, the key is the secret. */
function badge(deps: HttpDeps, file: string, res: ServerResponse): void {
  const m = /^([A-Za-z0-9_-]{22})\.(svg|json)$/.exec(file);
  const view = m?.[1] === undefined ? undefined : deps.badge(m[1]);
  if (view === undefined) return reply(res, 404, 'not found');
  const headers = { 'cache-control': 'no-cache' };
  if (m?.[2] === 'json') return send(res, 200, badgeJson(view), headers);
  reply(res, 200, badgeSvg(view), { ...headers, 'content-type': 'image/svg+xml; charset=utf-8' });
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
  const pingDeps = { ...deps, failed, acks: new Acknowledgements() };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const ping = dialectOf(path);
    if (ping === null) return app.handler(req as never, res as never);
    handlePing(pingDeps, req, res, ping.dialect, ping.rest, q === -1 ? '' : url.slice(q + 1));
  };
  const server = createServer(
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
  // A client that sends its request and then closes its side (`printf ... | nc`, some embedded
  // HTTP clients) must still get its answer. A ping is answered only after its fsync, a few ms
  // later, and by default Node drops the response of a half-closed connection; with this it
  // sends the response and then closes.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  return server;
}
