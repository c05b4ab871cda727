// POST /v1/heartbeats: creates a monitor (auto-provisioning) and returns its ping token.
//   {"name": "Nightly backup", "interval_secs": 86400, "grace_secs": 3600}
//   Authorization: Bearer <server.api-token>
// A name whose slug a monitor already has is answered 409 with that monitor, never made into
// `name-2` behind the client's back; with Healthchecks' `"unique": ["name"]`, 200 and that monitor.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CreateRequest, Provisioner } from '../engine/intake.js';
import type { ReadModel } from '../engine/read-model.js';
import { sameSecret } from '../platform/secret.js';
import type { CreationLimit } from './creation-limit.js';
import { retryAfter, type CredentialGuard } from './credential-guard.js';
import { MAX_JSON_BYTES, readJson, send, TOO_LARGE } from './json.js';
import { textProblem } from './request-text.js';
import type { HttpSettings } from './settings.js';
import { heartbeatOf } from './tickstem-api.js';

const MAX_NAME_CHARS = 200;

export interface ProvisionApiDeps {
  readonly settings: () => HttpSettings;
  readonly provisioner: Provisioner;
  readonly read: ReadModel;
}

function authorized(header: string | undefined, token: string | null): boolean {
  if (token === null || header === undefined || !header.startsWith('Bearer ')) return false;
  // Digests compared in constant time: neither the token nor its length leaks through timing.
  return sameSecret(header.slice('Bearer '.length).trim(), token);
}

/** `"unique": ["name"]` (Healthchecks' upsert, by name only here): true, false, or the problem. */
function uniqueByName(unique: unknown): boolean | string {
  if (unique === undefined) return false;
  const ok = Array.isArray(unique) && unique.every((u) => u === 'name');
  return ok
    ? unique.length > 0
    : 'unique: only ["name"] is supported (return the monitor of that name)';
}

/** The request's fields, or what is wrong with them. */
function parse(body: unknown): (CreateRequest & { readonly unique: boolean }) | string {
  if (typeof body !== 'object' || body === null) return 'the body must be a JSON object';
  const { name, interval_secs: interval, grace_secs: grace } = body as Record<string, unknown>;
  const unique = uniqueByName((body as Record<string, unknown>).unique);
  if (typeof unique === 'string') return unique;
  const problem = textProblem('name', name, MAX_NAME_CHARS);
  if (problem !== null) return problem;
  if (
    !Number.isInteger(interval) ||
    (interval as number) <= 0 ||
    (interval as number) > 365 * 86_400
  ) {
    return 'interval_secs: a whole number of seconds from 1 to 31536000 is required';
  }
  if (grace !== undefined && (!Number.isInteger(grace) || (grace as number) < 0))
    return 'grace_secs: a whole number of seconds, 0 or more';
  return {
    slug: '',
    name: (name as string).trim(),
    periodMs: (interval as number) * 1000,
    graceMs: ((grace as number | undefined) ?? 3600) * 1000,
    unique,
  };
}

/** A monitor as this API answers it: its slug, name, token and ping URL, period and grace. */
function monitorBody(deps: ProvisionApiDeps, slug: string): Record<string, unknown> {
  const detail = deps.read.details().find((d) => d.slug === slug);
  const beat = detail === undefined ? {} : heartbeatOf(detail, deps.read.now());
  const token = detail?.token ?? null;
  return {
    slug,
    name: detail?.name ?? slug,
    token,
    ping_url: token === null ? null : `${deps.settings().baseUrl}/ping/${token}`,
    interval_secs: beat.interval_secs,
    grace_secs: beat.grace_secs,
  };
}

export function handleCreate(
  deps: ProvisionApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  guards: { readonly credentials: CredentialGuard; readonly creations: CreationLimit },
): void {
  const { credentials, creations } = guards;
  // Over the limit of wrong tokens, every attempt is refused, the right token too.
  const waitMs = credentials.wait(req);
  if (waitMs > 0 || !authorized(req.headers.authorization, deps.settings().apiToken)) {
    req.resume();
    const retryAfterMs = waitMs > 0 ? waitMs : credentials.failed(req);
    if (retryAfterMs > 0) {
      res.setHeader('retry-after', retryAfter(retryAfterMs));
      return send(res, 429, { ok: false, error: 'too many failed attempts; retry later' });
    }
    return send(res, 401, {
      ok: false,
      error: 'a valid Authorization: Bearer <api-token> header is required',
    });
  }
  if (!deps.provisioner.enabled) {
    req.resume();
    return send(res, 403, {
      ok: false,
      error: 'auto-provisioning is disabled (set auto-provision.enabled: true)',
    });
  }
  readJson(req, (body) => {
    if (body === TOO_LARGE) {
      res.setHeader('connection', 'close');
      return send(res, 413, {
        ok: false,
        error: `the body must be at most ${MAX_JSON_BYTES} bytes`,
      });
    }
    const request = parse(body);
    if (typeof request === 'string') return send(res, 400, { ok: false, error: request });
    const existing = deps.provisioner.existing(request.name);
    if (existing !== undefined) {
      const monitor = monitorBody(deps, existing);
      if (request.unique) return send(res, 200, { ok: true, ...monitor });
      const error = `a monitor named '${request.name}' exists (slug ${existing}): send "unique": ["name"] to get it back instead, or choose another name`;
      return send(res, 409, { ok: false, error, monitor });
    }
    const full = deps.provisioner.limitReached();
    if (full !== null) return send(res, 409, { ok: false, error: full });
    const waitMs = creations.take(req);
    if (waitMs > 0) {
      const error = 'too many monitors created from this address; retry later';
      return send(res, 429, { ok: false, error }, { 'retry-after': retryAfter(waitMs) });
    }
    const created = deps.provisioner.create(request);
    if (created === null)
      return send(res, 409, { ok: false, error: 'the monitor could not be created' });
    send(res, 201, {
      ok: true,
      slug: created.slug,
      name: request.name,
      token: created.token,
      ping_url: `${deps.settings().baseUrl}/ping/${created.token}`,
      interval_secs: request.periodMs / 1000,
      grace_secs: request.graceMs / 1000,
    });
  });
}
