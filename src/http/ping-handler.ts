// The ping fast path: Healthchecks-compatible URLs, answered without the router (the router's
// per-request closures cost more than half the throughput), and only after the ping is committed.
//
//   /ping/<token>[/start|/fail|/log|/<exit-status>]
//   /ping/<ping-key>/<slug>[/start|/fail|/log|/<exit-status>]
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { PingKind, ReceivedPing } from '../core/types.js';

export interface PingTarget {
  readonly slug: string;
}

export interface PingDeps {
  readonly pingKey: () => string | null;
  readonly bodyLimit: () => number;
  readonly trustProxy: () => boolean;
  readonly byToken: (token: string) => PingTarget | undefined;
  readonly bySlug: (slug: string) => PingTarget | undefined;
  readonly now: () => number;
  /** Stores the ping; `done` is called once it is committed (or failed to be). */
  readonly submit: (ping: ReceivedPing, done: (error: Error | null) => void) => void;
  readonly onStoreError: (error: Error) => void;
}

// A request body larger than this is refused outright (the first `body-limit` bytes are kept of
// anything up to it); reading without bound would let one client exhaust memory.
export const MAX_REQUEST_BYTES = 1024 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const METHODS = new Set(['GET', 'HEAD', 'POST']);

type Action = { kind: PingKind; exitStatus: number | null } | 'bad' | null;

function actionOf(segment: string | undefined): Action {
  switch (segment) {
    case undefined:
      return { kind: 'success', exitStatus: null };
    case 'start':
    case 'fail':
    case 'log':
      return { kind: segment, exitStatus: null };
  }
  if (!/^\d+$/.test(segment)) return null;
  const status = Number(segment);
  if (status > 255) return 'bad';
  return { kind: status === 0 ? 'success' : 'fail', exitStatus: status };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Finds the monitor and the action a ping path names; `segments` follow `/ping/`. */
function resolve(
  deps: PingDeps,
  segments: string[],
): { target: PingTarget; action: Action } | null {
  const [first = '', second, third, ...rest] = segments;
  if (rest.length > 0 || first === '') return null;
  const key = deps.pingKey();
  if (key !== null && second !== undefined && sameSecret(first, key)) {
    const target = deps.bySlug(second);
    return target ? { target, action: actionOf(third) } : null;
  }
  if (third !== undefined) return null;
  const target = deps.byToken(first);
  return target ? { target, action: actionOf(second) } : null;
}

export function handlePing(
  deps: PingDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
): void {
  if (!METHODS.has(req.method ?? ''))
    return reply(res, 405, 'method not allowed', { allow: 'GET, HEAD, POST' });
  const found = resolve(deps, path.slice('/ping/'.length).split('/'));
  if (found === null || found.action === null) return reply(res, 404, 'not found');
  if (found.action === 'bad') return reply(res, 400, 'invalid url format');
  const runId = new URLSearchParams(query).get('rid');
  if (runId !== null && !UUID.test(runId)) return reply(res, 400, 'invalid uuid format');
  const { kind, exitStatus } = found.action;
  const slug = found.target.slug;
  const at = deps.now();
  readBody(req, deps.bodyLimit(), (body, tooLarge) => {
    if (tooLarge) return reply(res, 413, 'request body too large', { connection: 'close' });
    const ping: ReceivedPing = {
      slug,
      kind,
      exitStatus,
      at,
      body,
      runId: runId === null ? null : runId.toLowerCase(),
      method: req.method ?? 'GET',
      remoteAddr: remoteAddr(req, deps.trustProxy()),
      userAgent: req.headers['user-agent'] ?? null,
    };
    deps.submit(ping, (error) => {
      if (error === null)
        return reply(res, 200, 'OK', { 'ping-body-limit': String(deps.bodyLimit()) });
      deps.onStoreError(error);
      reply(res, 503, 'service unavailable: cannot store the ping, try again');
    });
  });
}

/** Reads the body, keeping its first `limit` bytes. */
function readBody(
  req: IncomingMessage,
  limit: number,
  done: (body: Buffer | null, tooLarge: boolean) => void,
): void {
  if (req.method !== 'POST') {
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

function remoteAddr(req: IncomingMessage, trustProxy: boolean): string | null {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string' && forwarded !== '') {
    // The proxy appends the address it saw: the last entry is the one a client cannot forge.
    const last = forwarded.split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? null;
}

export function reply(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    // Pings may come from browsers (status pages, bookmarklets), as Healthchecks allows.
    'access-control-allow-origin': '*',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
