// The ping fast path: every ping URL (see ping-routes.ts) is answered here without the router (the
// router's per-request closures cost more than half the throughput), and a ping is acknowledged
// only after it is committed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReceivedPing } from '../core/types.js';
import {
  MonitorGone,
  type PingIntake,
  type PingTarget,
  type Provisioner,
} from '../engine/intake.js';
import type { CreationLimit } from './creation-limit.js';
import { METHODS, resolvePing, type Dialect, type Lookup, type Refused } from './ping-routes.js';
import { remoteAddr } from './remote-addr.js';
import type { HttpSettings } from './settings.js';

const NOT_FOUND: Refused = { status: 404, error: 'not found' };
const TOO_MANY_CREATED = 'too many monitors created from this address; retry later';

// Read only: shared by every ping URL that has no query string.
const NO_QUERY = new URLSearchParams();

export interface PingDeps {
  readonly settings: () => HttpSettings;
  readonly intake: PingIntake;
  readonly provisioner: Provisioner;
  /** Monitors created per address (`?create=1` draws from it too). */
  readonly creations: CreationLimit;
  readonly now: () => number;
}

/** Where a ping URL's token, ping key and slug are looked up: built once per server. */
export class TargetLookup implements Lookup {
  readonly #deps: PingDeps;

  constructor(deps: PingDeps) {
    this.#deps = deps;
  }

  get pingKey(): string | null {
    return this.#deps.settings().pingKey;
  }

  byToken(token: string): PingTarget | undefined {
    return this.#deps.intake.byToken(token);
  }

  bySlug(slug: string): PingTarget | undefined {
    return this.#deps.intake.bySlug(slug);
  }

  create(slug: string, req: IncomingMessage): PingTarget | Refused {
    const { provisioner, creations } = this.#deps;
    if (!provisioner.enabled) return NOT_FOUND;
    const full = provisioner.limitReached();
    if (full !== null) return { status: 409, error: full };
    const retryAfterMs = creations.take(req);
    if (retryAfterMs > 0) return { status: 429, error: TOO_MANY_CREATED, retryAfterMs };
    return provisioner.createBySlug(slug) ?? NOT_FOUND;
  }
}

/** Records a failed token lookup from a request; returns 0, or the ms it must wait (see rate-limit.ts). */
export type OnFailedLookup = (req: IncomingMessage) => number;

// A request body larger than this is refused outright (the first `body-limit` bytes are kept of
// anything up to it); reading without bound would let one client exhaust memory.
export const MAX_REQUEST_BYTES = 1024 * 1024;

export function handlePing(
  deps: PingDeps & {
    readonly lookup: TargetLookup;
    readonly failed: OnFailedLookup;
    readonly acks: Acknowledgements;
  },
  req: IncomingMessage,
  res: ServerResponse,
  dialect: Dialect,
  rest: string,
  query: string,
): void {
  const method = req.method ?? 'GET';
  if (!METHODS[dialect].includes(method)) {
    return answer(res, dialect, 405, 'method not allowed', { allow: METHODS[dialect].join(', ') });
  }
  const params = query === '' ? NO_QUERY : new URLSearchParams(query);
  const resolved = resolvePing(deps.lookup, dialect, rest, params, req);
  if ('error' in resolved) {
    // 404 and 401 mean a token, ping key or slug that is not ours: a guess, or a typo.
    if (resolved.retryAfterMs !== undefined) {
      const retryAfter = String(Math.ceil(resolved.retryAfterMs / 1000));
      return answer(res, dialect, resolved.status, resolved.error, { 'retry-after': retryAfter });
    }
    const guess = resolved.status === 401 || resolved.status === 404;
    const retryAfterMs = guess ? deps.failed(req) : 0;
    if (retryAfterMs > 0) return tooManyFailures(res, dialect, retryAfterMs);
    return answer(res, dialect, resolved.status, resolved.error);
  }
  const request = resolved.ping;
  const { bodyLimit, trustProxy } = deps.settings();
  readBody(req, bodyLimit, (body, tooLarge) => {
    if (tooLarge)
      return answer(res, dialect, 413, 'request body too large', { connection: 'close' });
    // A ping's time is when it was received in full: pings are then stored in the order of their
    // times, and a slow body never moves the last ping back behind a newer one.
    const at = deps.now();
    const { message } = request;
    // Every field is named, not spread: an object spread here cost ~10 µs per ping.
    const ping: ReceivedPing = {
      slug: request.target.slug,
      tokens: request.target.tokens,
      kind: request.kind,
      at,
      runId: request.runId,
      exitStatus: request.exitStatus,
      value: request.value,
      durationMs: request.durationMs,
      body:
        body ??
        (message === null || message === '' ? null : Buffer.from(message).subarray(0, bodyLimit)),
      method,
      remoteAddr: remoteAddr(req, trustProxy),
      userAgent: req.headers['user-agent'] ?? null,
    };
    deps.intake.submit(ping, (error) => {
      if (error === null) return deps.acks.send(res, dialect, request.created, bodyLimit);
      if (error instanceof MonitorGone) return answer(res, dialect, 404, 'not found');
      deps.intake.storeFailed(error);
      answer(res, dialect, 503, 'service unavailable: cannot store the ping, try again');
    });
  });
}

/** Reads the body, keeping its first `limit` bytes. */
function readBody(
  req: IncomingMessage,
  limit: number,
  done: (body: Buffer | null, tooLarge: boolean) => void,
): void {
  if (req.method !== 'POST' && req.method !== 'PUT') {
    req.resume();
    return done(null, false);
  }
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  req.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (total > MAX_REQUEST_BYTES) {
      req.removeAllListeners('data');
      req.removeAllListeners('end');
      req.resume();
      return done(null, true);
    }
    if (kept < limit) {
      const part = chunk.length <= limit - kept ? chunk : chunk.subarray(0, limit - kept);
      chunks.push(part);
      kept += part.length;
    }
  });
  req.on('end', () => done(kept === 0 ? null : Buffer.concat(chunks, kept), false));
  req.on('error', () => req.destroy());
}

function tooManyFailures(res: ServerResponse, dialect: Dialect, retryAfterMs: number): void {
  const text = 'too many failed token lookups from this address; retry later';
  answer(res, dialect, 429, text, { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) });
}

// A ping answer is never kept by a cache (a browser, a caching proxy): a GET ping served from one
// would never reach overdue. The same words as Healthchecks' (Django's never_cache).
const NEVER_CACHE = 'max-age=0, no-cache, no-store, must-revalidate, private';
let expiresSecond = -1;
let expiresText = '';

/** The HTTP date of this second (an `Expires` already past), built once a second. */
function expiresNow(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== expiresSecond) {
    expiresSecond = second;
    expiresText = new Date(second * 1000).toUTCString();
  }
  return expiresText;
}

/** Answers in the words of the system the client was written for. */
function answer(
  res: ServerResponse,
  dialect: Dialect,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  const { body, contentType } = words(dialect, status, text);
  const never = { 'cache-control': NEVER_CACHE, expires: expiresNow() };
  reply(
    res,
    status,
    body,
    contentType === null
      ? { ...never, ...headers }
      : { 'content-type': contentType, ...never, ...headers },
  );
}

/** The body (and its content type, when not plain text) a dialect's clients expect. */
function words(dialect: Dialect, status: number, text: string) {
  const ok = status === 200 || status === 201;
  const json = 'application/json';
  if (dialect === 'kuma')
    return {
      body: JSON.stringify(ok ? { ok: true } : { ok: false, msg: text }),
      contentType: json,
    };
  if (dialect === 'v1')
    return {
      body: JSON.stringify(ok ? { ok: true } : { ok: false, error: text }),
      contentType: json,
    };
  return { body: dialect === 'gatus' && ok ? '' : text, contentType: null };
}

interface Ack {
  readonly status: number;
  readonly headers: readonly string[];
  readonly body: string;
}

/**
 * The answers to stored pings, built once per dialect, created or not, and body limit (one set per
 * server): building and checking the headers of every answer again cost several µs per ping.
 */
export class Acknowledgements {
  readonly #byKey = new Map<string, Ack>();

  send(res: ServerResponse, dialect: Dialect, created: boolean, limit: number): void {
    const key = `${dialect}${created ? '+' : ''}${limit}`;
    let ack = this.#byKey.get(key);
    if (ack === undefined) {
      if (this.#byKey.size >= 64) this.#byKey.clear(); // the body limit changed by reloads
      ack = ackOf(dialect, created, limit);
      this.#byKey.set(key, ack);
    }
    if (res.headersSent) return;
    res.writeHead(ack.status, ack.headers.concat('expires', expiresNow()));
    res.end(res.req.method === 'HEAD' ? undefined : ack.body);
  }
}

function ackOf(dialect: Dialect, created: boolean, limit: number): Ack {
  const status = created ? 201 : 200;
  const { body, contentType } = words(dialect, status, created ? 'Created' : 'OK');
  const extra: Record<string, string> = {
    'ping-body-limit': String(limit),
    'cache-control': NEVER_CACHE,
  };
  if (contentType !== null) extra['content-type'] = contentType;
  const headers = Object.entries(baseHeaders(body, extra));
  return { status, headers: headers.flatMap(([k, v]) => [k, String(v)]), body };
}

function baseHeaders(text: string, headers: Record<string, string>) {
  return {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    // Pings may come from browsers (status pages, bookmarklets), as Healthchecks allows.
    'access-control-allow-origin': '*',
    ...headers,
  };
}

export function reply(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, baseHeaders(text, headers));
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
