// Healthchecks (healthchecks.io or self-hosted): the JSON of its management API, `GET
// /api/v3/checks/` (also v1 and v2), saved to a file or fetched with an API key. Integrations are
// only UUIDs in a check; `GET /api/v3/channels/` names their kind, and the file may carry that list
// as `channels` beside `checks` (what --url fetches).
import type { Imported, ImportedMonitor, ImportedSchedule } from './model.js';
import { keptToken, seconds, slugOf, SLUG, uniqueSlug, validTags } from './model.js';

interface Check {
  readonly name?: string;
  readonly slug?: string;
  readonly tags?: string;
  readonly desc?: string;
  readonly grace?: number;
  readonly timeout?: number;
  readonly schedule?: string;
  readonly tz?: string;
  readonly status?: string;
  readonly manual_resume?: boolean;
  readonly methods?: string;
  readonly ping_url?: string;
  readonly uuid?: string;
  readonly unique_key?: string;
  readonly channels?: string;
}

interface Channel {
  readonly id: string;
  readonly name?: string;
  readonly kind?: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The check's UUID: `uuid` (v3), or the last segment of its ping URL (every version). */
function uuidOf(check: Check): string | null {
  if (typeof check.uuid === 'string' && UUID.test(check.uuid)) return check.uuid;
  const fromUrl =
    check.ping_url === undefined ? null : UUID.exec(check.ping_url.split('/').pop() ?? '');
  return fromUrl?.[0] ?? null;
}

/** Cron (5 fields, or an @ nickname) maps; OnCalendar expressions (systemd) do not. */
function scheduleOf(check: Check, notes: string[]): ImportedSchedule {
  const expr = check.schedule?.trim();
  if (expr !== undefined && expr !== '') {
    const cron = expr.startsWith('@') || expr.split(/\s+/).length === 5;
    if (cron) return { cron: expr, timezone: check.tz || 'UTC' };
    notes.push(
      `schedule '${expr}' is not a cron expression (an OnCalendar one?): set a cron or every schedule; 1d is a placeholder`,
    );
    return { every: '1d' };
  }
  return { every: seconds(check.timeout ?? 86_400) };
}

function notesOf(check: Check, channels: ReadonlyMap<string, Channel>): string[] {
  const notes: string[] = [];
  if (check.desc) notes.push(`Healthchecks description: ${check.desc.replace(/\s+/g, ' ').trim()}`);
  if (check.status === 'paused')
    notes.push('paused in Healthchecks: not armed until its first ping (wait-for-first-ping)');
  if (check.manual_resume)
    notes.push(
      'manual_resume: overdue resumes a paused monitor only by the API or the page, never by a ping; nothing to set',
    );
  if (check.methods === 'POST')
    notes.push('methods: POST only in Healthchecks; overdue takes HEAD, GET and POST pings');
  for (const id of (check.channels ?? '').split(',').filter((c) => c.trim() !== '')) {
    const channel = channels.get(id.trim());
    const kind = channel?.kind ?? 'unknown kind (export /api/v3/channels/ to name it)';
    notes.push(
      `TODO integration ${channel?.name ? `'${channel.name}' ` : ''}(${kind}, ${id.trim()}): define a hook for it and list it in notify`,
    );
  }
  return notes;
}

function monitorOf(
  check: Check,
  taken: Set<string>,
  channels: ReadonlyMap<string, Channel>,
): ImportedMonitor {
  const notes = notesOf(check, channels);
  const uuid = uuidOf(check);
  if (uuid === null)
    notes.push(
      'no UUID in the export (a read-only API key hides it): export with a read-write key to keep the ping URL /ping/<uuid>',
    );
  const given = check.slug && SLUG.test(check.slug) ? check.slug : slugOf(check.name ?? '');
  return {
    slug: uniqueSlug(given, taken, 'check'),
    name: check.name?.trim() || null,
    schedule: scheduleOf(check, notes),
    grace: seconds(check.grace ?? 3600),
    alertAfter: null,
    tags: validTags((check.tags ?? '').split(/\s+/), notes),
    token: keptToken(uuid, 'the UUID', notes),
    notify: [],
    waitForFirstPing: check.status === 'paused',
    notes,
  };
}

/** Reads the management API's JSON: `{"checks": [...]}` and optionally `"channels": [...]`. */
export function importHealthchecks(json: unknown, source: string): Imported {
  const body = json as { checks?: unknown; channels?: unknown };
  if (typeof body !== 'object' || body === null || !Array.isArray(body.checks))
    throw new Error('not the JSON of GET /api/v3/checks/ (no "checks" list)');
  const channels = new Map<string, Channel>();
  if (Array.isArray(body.channels))
    for (const c of body.channels as Channel[])
      if (typeof c?.id === 'string') channels.set(c.id, c);
  const taken = new Set<string>();
  const monitors = (body.checks as Check[]).map((c) => monitorOf(c, taken, channels));
  return { source, monitors, hooks: [], notes: [], appendix: null };
}

/** Fetches the checks (and, when the key may, the integrations) from a Healthchecks server. */
export async function fetchHealthchecks(url: string, apiKey: string): Promise<unknown> {
  const base = url.replace(/\/+$/, '');
  const get = async (path: string) => {
    // A server that never answers must not hang the command.
    const res = await fetch(`${base}${path}`, {
      headers: { 'x-api-key': apiKey },
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok)
      throw new Error(
        `GET ${base}${path}: HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`,
      );
    return (await res.json()) as Record<string, unknown>;
  };
  const checks = await get('/api/v3/checks/');
  // Listing integrations needs a read-write key; without them each is named by its UUID only.
  const channels = await get('/api/v3/channels/').catch(() => ({ channels: [] }));
  return { ...checks, channels: channels.channels };
}
