// Gatus' status API for dashboards (Homepage's Gatus widget): GET /api/v1/endpoints/statuses, every
// monitor as a Gatus endpoint status `{name, group, key, results}` (TwiN/gatus
// config/endpoint/status.go and result.go), results oldest first, a missed deadline as a failed
// result. Pages as Gatus': ?page= (from 1) and ?pageSize= (default 50).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MonitorDetail, ReadModel } from '../engine/read-model.js';
import { compatAccess, type CompatAuthDeps } from './compat-auth.js';
import { send } from './json.js';

export interface GatusStatusDeps extends CompatAuthDeps {
  readonly read: ReadModel;
}

function whole(text: string | null, fallback: number, max: number): number {
  const n = text === null ? NaN : Number(text);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
}

/** Gatus' results: one per success, failure or missed deadline (start and log pings are not). */
function resultsOf(read: ReadModel, slug: string): Record<string, unknown>[] {
  const recent = read.monitor(slug)?.recent ?? [];
  return recent
    .filter((m) => m.kind === 'success' || m.kind === 'fail' || m.kind === 'missed')
    .map((m) => ({
      // Gatus' duration is a Go time.Duration: nanoseconds.
      duration: 0,
      ...(m.kind === 'success'
        ? {}
        : { errors: [m.kind === 'missed' ? 'no ping in time' : 'failure ping'] }),
      success: m.kind === 'success',
      timestamp: new Date(m.at).toISOString(),
    }));
}

function statusOf(read: ReadModel, d: MonitorDetail): Record<string, unknown> {
  const group = d.slug.includes('_') ? d.slug.slice(0, d.slug.indexOf('_')) : undefined;
  return {
    name: d.name,
    ...(group === undefined ? {} : { group }),
    key: d.slug,
    results: resultsOf(read, d.slug),
  };
}

export function handleGatusStatuses(
  deps: GatusStatusDeps,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (!compatAccess(deps, req, res, 'read')) return;
  const params = new URL(req.url ?? '/', 'http://x').searchParams;
  const page = whole(params.get('page'), 1, 1_000_000);
  const size = whole(params.get('pageSize'), 50, 100);
  const details = deps.read.details().slice((page - 1) * size, page * size);
  send(
    res,
    200,
    details.map((d) => statusOf(deps.read, d)),
  );
}
