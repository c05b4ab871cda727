// The HTTP server, every route on one screen. The ping path is matched first and never enters the
// router; everything else goes through tinyhttp, with our own 404 and error handlers so nothing
// internal reaches a response. The status page (/, /login, /monitors/<slug>) is mounted beside.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { App } from '@tinyhttp/app';
import type { PingIntake, Provisioner } from '../engine/intake.js';
import type { HealthReport } from '../core/health.js';
import type { ReadModel } from '../engine/read-model.js';
import type { BuildInfo } from '../platform/build-info.js';
import type { Logger } from '../platform/log.js';
import { Api } from './api.js';
import { API_ROUTES } from './api-routes.js';
import { accessOf, refusal } from './auth.js';
import { badgeJson, badgeSvg } from './badge.js';
import { healthz } from './healthz.js';
import { mountCompatApis } from './compat-apis.js';
import { send } from './json.js';
import { METRICS_CONTENT_TYPE, renderMetrics } from './metrics.js';
import { RuntimeMetrics } from './runtime-metrics.js';
import {
  Acknowledgements,
  handlePing,
  reply,
  TargetLookup,
  type OnFailedLookup,
} from './ping-handler.js';
import { dialectOf, snitchPath } from './ping-routes.js';
import { ConnectionCap, connectionCap, descriptorLimit } from './connections.js';
import { CreationLimit } from './creation-limit.js';
import { credentialGuard } from './credential-guard.js';
import { handleCreate } from './provision-api.js';
import { remoteAddr } from './remote-addr.js';
import { FailureLimiter } from './rate-limit.js';
import type { HttpSettings } from './settings.js';
import { Sessions } from './sessions.js';
import { mountStatusPage } from './status-page.js';
import { OPENAPI_PATH, openApiDocument } from './openapi.js';
import { ThrottledLog } from './throttled-log.js';

/** What the HTTP server needs of the daemon: a handful of ports, each with one concern. */
export interface HttpPorts {
  readonly log: Logger;
  readonly now: () => number;
  readonly settings: () => HttpSettings;
  /** Pings in: lookups by token and slug, and durable storage. */
  readonly intake: PingIntake;
  /** Auto-provisioning: `?create=1` and `POST /v1/heartbeats`. */
  readonly provisioner: Provisioner;
  /** The read side and the operator's actions (pause, resume, snooze). */
  readonly read: ReadModel;
  /** The three checks of overdue's own health (database, scheduler, dispatcher), judged now. */
  readonly health: () => HealthReport;
  /** The running build, for overdue_build_info in /metrics. */
  readonly build: BuildInfo;
}

/** Answers a request no route matched: a Dead Man's Snitch ping, or 404. */
type NoMatch = (req: IncomingMessage, res: ServerResponse) => void;

function createApp(
  ports: HttpPorts,
  sessions: Sessions,
  creations: CreationLimit,
  noMatch: NoMatch,
  runtime: RuntimeMetrics,
): App {
  const credentials = credentialGuard({
    log: ports.log,
    now: ports.now,
    trustProxy: () => ports.settings().trustProxy,
  });
  const app = new App({
    noMatchHandler: (req, res) => noMatch(req, res),
    onError: (err, _req, res) => {
      ports.log.error('request failed', { error: String(err) });
      reply(res, 500, 'internal error');
    },
    settings: { xPoweredBy: false },
  });
  const api = new Api({ read: ports.read, tokens: ports.settings, credentials, sessions });
  app.post('/v1/heartbeats', (req, res) =>
    handleCreate(ports, req, res, { credentials, creations }),
  );
  for (const route of API_ROUTES)
    app[route.method](route.path, (req, res) => route.handle(api, req, res));
  const openApi = openApiDocument(API_ROUTES);
  app.get(OPENAPI_PATH, (_req, res) => send(res, 200, openApi, { 'cache-control': 'no-cache' }));
  mountCompatApis(app, {
    read: ports.read,
    provisioner: ports.provisioner,
    settings: ports.settings,
    tokens: ports.settings,
    credentials,
    sessions,
  });
  app.all('/api/v1/*', (_req, res) => send(res, 404, { error: 'no such API route' }));
  app.get('/metrics', (req, res) => metrics(ports, sessions, runtime, req, res));
  app.get('/badge/:file', (req, res) => badge(ports, req.params.file ?? '', res));
  app.get('/healthz', (req, res) => healthz(ports.health(), ports.read.lastReload(), req, res));
  const canLogIn = () => ports.settings().apiToken !== null || ports.settings().readToken !== null;
  mountStatusPage(app, ports.read, {
    access: (req) => accessOf(req, 'status-page', ports.settings(), sessions),
    baseUrl: () => ports.settings().baseUrl,
    canLogIn,
    credentials,
    sessions,
  });
  return app;
}

function metrics(
  ports: HttpPorts,
  sessions: Sessions,
  runtime: RuntimeMetrics,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (accessOf(req, 'metrics', ports.settings(), sessions) === 'none') {
    const error = refusal('metrics', ports.settings(), false);
    return reply(res, 401, error, { 'www-authenticate': 'Bearer realm="overdue"' });
  }
  reply(res, 200, renderMetrics(ports.read.metrics(), runtime, ports.build), {
    'content-type': METRICS_CONTENT_TYPE,
  });
}

/** /badge/<key>.svg or .json: no token, the key is the secret. */
function badge(ports: HttpPorts, file: string, res: ServerResponse): void {
  const m = /^([A-Za-z0-9_-]{22})\.(svg|json)$/.exec(file);
  const view = m?.[1] === undefined ? undefined : ports.read.badge(m[1]);
  if (view === undefined) return reply(res, 404, 'not found');
  const headers = { 'cache-control': 'no-cache' };
  if (m?.[2] === 'json') return send(res, 200, badgeJson(view), headers);
  reply(res, 200, badgeSvg(view), { ...headers, 'content-type': 'image/svg+xml; charset=utf-8' });
}

/** Counts a failed lookup against the request's address; names the address once when it goes over. */
function failureCounter(ports: HttpPorts): OnFailedLookup {
  const limiter = new FailureLimiter();
  return (req) => {
    const address = remoteAddr(req, ports.settings().trustProxy) ?? 'unknown';
    const { retryAfterMs, first } = limiter.fail(address, ports.now());
    if (first) ports.log.warn('too many failed token lookups; answering 429', { address });
    return retryAfterMs;
  };
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export function createHttpServer(ports: HttpPorts): Server {
  const failed = failureCounter(ports);
  const throttled = new ThrottledLog(ports.log, ports.now);
  const malformed = (req: IncomingMessage, res: ServerResponse, path: string) => {
    req.resume();
    const address = remoteAddr(req, ports.settings().trustProxy) ?? 'unknown';
    throttled.warn('malformed percent-encoding in a URL; answered 400', {
      address,
      path: path.slice(0, 200),
    });
    reply(res, 400, 'bad request: malformed percent-encoding in the URL');
  };
  const trustProxy = () => ports.settings().trustProxy;
  const creations = new CreationLimit({ now: ports.now, trustProxy, log: throttled });
  const runtime = new RuntimeMetrics();
  const pingDeps = {
    ...ports,
    creations,
    lookup: new TargetLookup({ ...ports, creations }),
    failed,
    acks: new Acknowledgements(),
  };
  // Dead Man's Snitch pings `/<token>` at the root. Asked only here, where the router matched no
  // route: it can never shadow one, a route added later included (docs/ping-api.md).
  const noMatch: NoMatch = (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const token = snitchPath(q === -1 ? url : url.slice(0, q));
    if (token === null) return reply(res, 404, 'not found');
    handlePing(pingDeps, req, res, 'snitch', token, q === -1 ? '' : url.slice(q + 1));
  };
  const app = createApp(ports, new Sessions(ports.now), creations, noMatch, runtime);
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const ping = dialectOf(path);
    if (ping === null) {
      // The router decodes path parameters itself and prints a URIError's stack to stderr.
      if (path.includes('%') && !decodable(path)) return malformed(req, res, path);
      return app.handler(req as never, res as never);
    }
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
  server.once('close', () => runtime.close());
  const cap = new ConnectionCap(server, connectionCap(descriptorLimit()), (closed) =>
    throttled.warn('near the connection cap; closed the oldest idle connections', {
      closed,
      max: cap.max,
    }),
  );
  return server;
}

/**
 * Listens on host:port, or on a socket systemd bound already (socket activation: it holds the
 * socket across our restarts); resolves with the URL it answers on.
 */
export async function listen(
  server: Server,
  at: { readonly host: string; readonly port: number; readonly fd: number | null },
): Promise<string> {
  if (at.fd === null) server.listen(at.port, at.host);
  else server.listen({ fd: at.fd });
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shown}:${address.port}`;
}
