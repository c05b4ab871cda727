// Every URL a job may ping, mapped onto overdue's ping kinds. Users migrating from another system
// change only the host: each dialect reads that system's URL and answers the way its clients expect.
//
//   Healthchecks   /ping/<token>[/start|/fail|/log|/<0-255>]  /ping/<ping-key>/<slug>[/...]
//   Uptime Kuma    /api/push/<token>?status=up|down&msg=&ping=&value=   (also Tianji)
//   heartbeat URLs /hb/<token>[/start|/<exit-code>]   /heartbeat/<token>   POST /v1/heartbeats/<token>/ping
//   Gatus          POST /api/v1/endpoints/<slug>/external?success=&error=&duration=  (Bearer <token>)
//   Cronitor       /ping/<ping-key>/<slug>?state=run|complete|fail|ok&message=&series=&status_code=&metric=
//   Dead Man's Snitch  /<token>?m=<message>&s=<exit status>  (only where no route matched: server.ts)
import { sameSecret } from '../platform/secret.js';
import type { IncomingMessage } from 'node:http';
import type { PingKind } from '../core/types.js';
import type { PingTarget } from '../engine/intake.js';
import { cronitorPing } from './cronitor.js';

export interface Lookup {
  readonly pingKey: string | null;
  byToken(token: string): PingTarget | undefined;
  bySlug(slug: string): PingTarget | undefined;
  /**
   * Creates a monitor for `?create=1` (auto-provisioning), asked by `req`; or why it may not: 404
   * when auto-provisioning is off, 409 past the cap, 429 past the address's rate.
   */
  create(slug: string, req: IncomingMessage): PingTarget | Refused;
}

/** A ping a URL asks for, before its body is read. */
export interface PingRequest {
  readonly target: PingTarget;
  readonly kind: PingKind;
  readonly exitStatus: number | null;
  readonly runId: string | null;
  /** A number sent with the ping (Uptime Kuma's `ping` or `value`). */
  readonly value: number | null;
  /** A run time the client measured itself (Gatus' `duration`). */
  readonly durationMs: number | null;
  /** Output given in the URL (a message), used when there is no body. */
  readonly message: string | null;
  /** The ping created its monitor (answered 201). */
  readonly created: boolean;
}

export type Dialect = 'healthchecks' | 'kuma' | 'hb' | 'heartbeat' | 'v1' | 'gatus' | 'snitch';

/** Methods each dialect accepts; the others answer 405. */
export const METHODS: Readonly<Record<Dialect, readonly string[]>> = {
  healthchecks: ['GET', 'HEAD', 'POST'],
  kuma: ['GET', 'HEAD', 'POST', 'PUT'],
  hb: ['GET', 'HEAD', 'POST'],
  heartbeat: ['GET', 'HEAD', 'POST'],
  v1: ['POST'],
  gatus: ['POST'],
  snitch: ['GET', 'HEAD', 'POST'],
};

/** What a URL resolved to: a ping, or an error answered in the dialect's own words. */
export interface Refused {
  readonly status: 400 | 401 | 404 | 409 | 429;
  readonly error: string;
  /** With 429: how long the client should wait. */
  readonly retryAfterMs?: number;
}

export type Resolved = { readonly ping: PingRequest } | Refused;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = { status: 404, error: 'not found' } as const;

const NOTHING: Partial<PingRequest> = {};

// Every field is named, not spread: this runs for every ping, and spreads cost microseconds.
function ping(target: PingTarget, kind: PingKind, extra = NOTHING): Resolved {
  return {
    ping: {
      target,
      kind,
      exitStatus: extra.exitStatus ?? null,
      runId: extra.runId ?? null,
      value: extra.value ?? null,
      durationMs: extra.durationMs ?? null,
      message: extra.message ?? null,
      created: extra.created ?? false,
    },
  };
}

/** `start`, `fail`, `log`, an exit status, or nothing (success); null for anything else. */
function action(target: PingTarget, segment: string | undefined, runId: string | null): Resolved {
  if (segment === undefined || segment === '') return ping(target, 'success', { runId });
  if (segment === 'start' || segment === 'fail' || segment === 'log')
    return ping(target, segment, { runId });
  if (!/^\d+$/.test(segment)) return notFound;
  const exitStatus = Number(segment);
  if (exitStatus > 255) return { status: 400, error: 'invalid url format' };
  return ping(target, exitStatus === 0 ? 'success' : 'fail', { exitStatus, runId });
}

function healthchecks(
  lookup: Lookup,
  parts: string[],
  query: URLSearchParams,
  req: IncomingMessage,
): Resolved {
  const [first = ''] = parts;
  if (parts.length > 3 || first === '') return notFound;
  const rid = query.get('rid');
  if (rid !== null && !UUID.test(rid)) return { status: 400, error: 'invalid uuid format' };
  const runId = rid?.toLowerCase() ?? null;
  const resolved = healthchecksTarget(lookup, parts, query, req, runId);
  return withClientDuration(resolved, query);
}

/**
 * `duration=<Go duration>` on an end ping: the run time the job's wrapper measured (`overdue exec`
 * sends it). It is recorded instead of the time between the start and end pings, which also holds
 * the start ping's answer and the end ping's trip.
 */
function withClientDuration(resolved: Resolved, query: URLSearchParams): Resolved {
  const given = query.get('duration');
  if (given === null || given === '' || !('ping' in resolved)) return resolved;
  if (resolved.ping.kind === 'start' || resolved.ping.kind === 'log') return resolved;
  const durationMs = goDurationMs(given);
  if (Number.isNaN(durationMs))
    return {
      status: 400,
      error: 'invalid duration: ?duration= takes a duration such as 1.5s or 800ms',
    };
  return { ping: { ...resolved.ping, durationMs } };
}

function healthchecksTarget(
  lookup: Lookup,
  parts: string[],
  query: URLSearchParams,
  req: IncomingMessage,
  runId: string | null,
): Resolved {
  const [first = '', second, third] = parts;
  if (lookup.pingKey !== null && second !== undefined && sameSecret(first, lookup.pingKey)) {
    const target = lookup.bySlug(second);
    if (target)
      return third === undefined ? slugPing(target, query, runId) : action(target, third, runId);
    if (query.get('create') !== '1') return notFound;
    const created = lookup.create(second, req);
    if ('error' in created) return created;
    const resolved = action(created, third, runId);
    return 'ping' in resolved ? { ping: { ...resolved.ping, created: true } } : resolved;
  }
  if (third !== undefined) return notFound;
  const target = lookup.byToken(first);
  return target ? action(target, second, runId) : notFound;
}

/** The slug URL without an action: a success, or Cronitor's telemetry when it has `?state=`. */
function slugPing(target: PingTarget, query: URLSearchParams, runId: string | null): Resolved {
  const cronitor = query.size === 0 ? null : cronitorPing(query);
  if (cronitor === null) return action(target, undefined, runId);
  if (typeof cronitor === 'string') return { status: 400, error: cronitor };
  return ping(target, cronitor.kind, cronitor);
}

/** Dead Man's Snitch: `/<token>?m=<message>&s=<exit status>`; 0 or no `s` is a success. */
function snitch(lookup: Lookup, parts: string[], query: URLSearchParams): Resolved {
  const target = parts.length === 1 ? lookup.byToken(parts[0] ?? '') : undefined;
  if (!target) return notFound;
  const s = query.get('s');
  if (s !== null && s !== '' && (!/^\d{1,3}$/.test(s) || Number(s) > 255))
    return { status: 400, error: 'invalid exit status: ?s= takes 0 to 255' };
  const exitStatus = s === null || s === '' ? null : Number(s);
  const kind = exitStatus === null || exitStatus === 0 ? 'success' : 'fail';
  return ping(target, kind, { exitStatus, message: query.get('m') });
}

function number(text: string | null): number | null {
  if (text === null || text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function kuma(lookup: Lookup, parts: string[], query: URLSearchParams): Resolved {
  const target = parts.length === 1 ? lookup.byToken(parts[0] ?? '') : undefined;
  if (!target) return { status: 404, error: 'Monitor not found or not active.' };
  const status = query.get('status');
  const kind = status === null || status === '' || status === 'up' ? 'success' : 'fail';
  // `value` is read for every dialect (see withValue); Kuma's `ping` (a latency) stands in for it.
  const value = number(query.get('ping'));
  return ping(target, kind, { value, message: query.get('msg') });
}

/** `/hb/<token>`, `/hb/<token>/start`, `/hb/<token>/<exit-code>`. */
function hb(lookup: Lookup, parts: string[]): Resolved {
  const [token = '', segment, ...rest] = parts;
  const target = rest.length === 0 ? lookup.byToken(token) : undefined;
  if (!target || segment === 'fail' || segment === 'log') return notFound;
  return action(target, segment, null);
}

/** `/heartbeat/<token>`: success only. */
function heartbeat(lookup: Lookup, parts: string[]): Resolved {
  const target = parts.length === 1 ? lookup.byToken(parts[0] ?? '') : undefined;
  return target ? ping(target, 'success') : notFound;
}

function v1(lookup: Lookup, parts: string[]): Resolved {
  const [token = '', verb, ...rest] = parts;
  const target = verb === 'ping' && rest.length === 0 ? lookup.byToken(token) : undefined;
  return target ? ping(target, 'success') : notFound;
}

function gatus(
  lookup: Lookup,
  parts: string[],
  query: URLSearchParams,
  req: IncomingMessage,
): Resolved {
  const auth = req.headers.authorization;
  const [slug = '', verb, ...rest] = parts;
  if (verb !== 'external' || rest.length > 0) return notFound;
  const success = query.get('success');
  if (success !== 'true' && success !== 'false')
    return { status: 400, error: 'missing or invalid success query parameter' };
  if (auth === undefined || !auth.startsWith('Bearer '))
    return { status: 401, error: 'invalid Authorization header' };
  const token = auth.slice('Bearer '.length).trim();
  if (token === '') return { status: 401, error: 'bearer token must not be empty' };
  // An unknown slug is answered as a wrong token, after a comparison like it, so the route does
  // not tell which slugs exist. Gatus keys an endpoint without a group `_<name>`; a slug cannot
  // start with `_`, so that key is the monitor `<name>` (what `overdue import gatus` writes).
  const target = lookup.bySlug(slug.startsWith('_') ? slug.slice(1) : slug);
  const tokens = target?.tokens ?? NO_SUCH_TOKENS;
  // Every token is compared, so the time taken does not tell which one matched.
  const matches = tokens.filter((t) => sameSecret(token, t)).length;
  if (!target || matches === 0) return { status: 401, error: 'invalid token' };
  const duration = query.get('duration');
  const durationMs = duration === null || duration === '' ? null : goDurationMs(duration);
  if (Number.isNaN(durationMs)) return { status: 400, error: 'invalid duration' };
  const message = success === 'false' ? query.get('error') : null;
  return ping(target, success === 'true' ? 'success' : 'fail', { durationMs, message });
}

// Compared against when the slug is unknown: no request can carry it (it is not URL-safe).
const NO_SUCH_TOKENS: readonly string[] = ['\u0000 no such monitor'];

const GO_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1e3,
  m: 6e4,
  h: 3.6e6,
};

/** A Go duration (`250ms`, `1.5s`, `1h2m`) in ms; NaN when it is not one. */
export function goDurationMs(text: string): number {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (GO_UNITS[m[2] ?? ''] ?? NaN);
    end = re.lastIndex;
  }
  return end === text.length && end > 0 ? Math.round(total) : NaN;
}

const PREFIXES: readonly (readonly [string, Dialect])[] = [
  ['/ping/', 'healthchecks'],
  ['/api/push/', 'kuma'],
  ['/hb/', 'hb'],
  ['/heartbeat/', 'heartbeat'],
  ['/v1/heartbeats/', 'v1'],
  ['/api/v1/endpoints/', 'gatus'],
];

// Under these two prefixes only the ping itself is a ping URL: the rest (GET /v1/heartbeats/<id>,
// GET /api/v1/endpoints/statuses) are API routes of the router.
const PING_ONLY: Partial<Record<Dialect, string>> = { v1: '/ping', gatus: '/external' };

/**
 * A path Dead Man's Snitch's URL shape `/<token>` could be: one segment that could be a token (the
 * config refuses shorter ones or other characters). server.ts asks only when no route matched.
 */
export function snitchPath(path: string): string | null {
  return /^\/[A-Za-z0-9._~-]{16,}$/.test(path) ? path.slice(1) : null;
}

/** The dialect a path belongs to, or null when it is not a ping URL. */
export function dialectOf(path: string): { dialect: Dialect; rest: string } | null {
  for (const [prefix, dialect] of PREFIXES) {
    if (!path.startsWith(prefix)) continue;
    const suffix = PING_ONLY[dialect];
    if (suffix !== undefined && !path.endsWith(suffix)) return null;
    return { dialect, rest: path.slice(prefix.length) };
  }
  return null;
}

export function resolvePing(
  lookup: Lookup,
  dialect: Dialect,
  rest: string,
  query: URLSearchParams,
  req: IncomingMessage,
): Resolved {
  const parts = rest.split('/');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part.includes('%')) parts[i] = safeDecode(part);
  }
  return withValue(byDialect(lookup, dialect, parts, query, req), query);
}

function byDialect(
  lookup: Lookup,
  dialect: Dialect,
  parts: string[],
  query: URLSearchParams,
  req: IncomingMessage,
): Resolved {
  switch (dialect) {
    case 'healthchecks':
      return healthchecks(lookup, parts, query, req);
    case 'kuma':
      return kuma(lookup, parts, query);
    case 'hb':
      return hb(lookup, parts);
    case 'heartbeat':
      return heartbeat(lookup, parts);
    case 'v1':
      return v1(lookup, parts);
    case 'gatus':
      return gatus(lookup, parts, query, req);
    case 'snitch':
      return snitch(lookup, parts, query);
  }
}

/**
 * `?value=` on any ping URL: a number recorded with the ping (charted, in the API and metrics).
 * One that is not a number is refused with the reason, never dropped: the job would believe it
 * was recorded.
 */
function withValue(resolved: Resolved, query: URLSearchParams): Resolved {
  if (!('ping' in resolved)) return resolved;
  const given = query.get('value');
  if (given === null || given.trim() === '') return resolved;
  const value = Number(given);
  if (!Number.isFinite(value))
    return { status: 400, error: 'invalid value: ?value= takes a number, such as 42 or -0.5' };
  return { ping: { ...resolved.ping, value } };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
