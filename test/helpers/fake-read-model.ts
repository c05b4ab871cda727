// A ReadModel held in memory, for testing the status page without a daemon. Its access() follows
// the server's contract (given to the status page as its access rule): the api-token writes, the
// read-token reads, as Bearer, Basic password or a login session's cookie.
import type { IncomingMessage } from 'node:http';
import type { Status } from '../../src/core/types.js';
import type { Counters } from '../../src/core/counters.js';
import type {
  ActionResult,
  BadgeView,
  DeliveryRow,
  MonitorCounts,
  MonitorPage,
  MonitorQuery,
  MonitorSummary,
  Page,
  PageQuery,
  MetricsSnapshot,
  PingEndpoint,
  PingRow,
  ReadModel,
  ReloadResult,
  TagBadge,
  TransitionRow,
  Uptime,
} from '../../src/engine/read-model.js';
import type { Access } from '../../src/http/auth.js';
import { Sessions } from '../../src/http/sessions.js';

export const WRITE_TOKEN = 'fake-api-token-0123';
export const READ_TOKEN = 'fake-read-token-4567';
export const NOW = Date.UTC(2026, 4, 1, 12, 0, 0);

export function summary(slug: string, overrides: Partial<MonitorSummary> = {}): MonitorSummary {
  return {
    slug,
    name: slug,
    status: 'up',
    tags: [],
    schedule: 'every 1h',
    graceMs: 300_000,
    lastPingAt: NOW - 600_000,
    nextDeadlineAt: NOW + 3_000_000,
    changedAt: NOW - 7_200_000,
    snoozedUntil: null,
    recent: [
      { at: NOW - 3_600_000, kind: 'missed' },
      { at: NOW - 1_200_000, kind: 'start' },
      { at: NOW - 600_000, kind: 'success' },
    ],
    ...overrides,
  };
}

export function ping(id: number, overrides: Partial<PingRow> = {}): PingRow {
  return {
    id,
    at: NOW - (100 - id) * 60_000,
    kind: 'success',
    exitStatus: 0,
    durationMs: 1_000 * id,
    value: null,
    method: 'POST',
    remoteAddr: '203.0.113.9',
    userAgent: 'curl/8',
    runId: null,
    output: null,
    ...overrides,
  };
}

function paged<T extends { id: number }>(rows: readonly T[], query: PageQuery): Page<T> {
  const limit = query.limit ?? 50;
  const eligible = rows.filter((r) => query.before === undefined || r.id < query.before);
  const items = [...eligible].sort((a, b) => b.id - a.id).slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: eligible.length > limit && last !== undefined ? last.id : null };
}

function credential(req: IncomingMessage): string | null {
  const auth = req.headers.authorization ?? '';
  if (auth.startsWith('Bearer ')) return auth.slice(7);
  if (auth.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return null;
}

/** The login session's id in the cookie, or null. */
function sessionId(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === 'overdue_session' && value !== undefined && value !== '') return value;
  }
  return null;
}

export class FakeReadModel implements ReadModel {
  readonly summaries: MonitorSummary[];
  pingRows: PingRow[] = [];
  transitionRows: TransitionRow[] = [];
  deliveryRows: DeliveryRow[] = [];
  public = false;
  readonly calls: string[] = [];
  /** Each monitor's uptime (default: 1 over every window). */
  readonly uptimes = new Map<string, Uptime>();
  /** The last reload: set `ok: false` for a config the daemon could not apply. */
  reload: ReloadResult = { ok: true, at: NOW - 3_600_000 };
  /** The monitors' own tokens (default: none). */
  readonly tokens = new Map<string, string>();
  /** The status page's login sessions (served by StatusPageServer). */
  readonly sessions = new Sessions(() => NOW);

  constructor(summaries: MonitorSummary[]) {
    this.summaries = summaries;
  }

  monitors(): readonly MonitorSummary[] {
    return this.summaries;
  }
  monitorPage(query: MonitorQuery): MonitorPage | undefined {
    const { after, limit = 100, status = null, tag = null } = query;
    const start = after === undefined ? 0 : this.summaries.findIndex((m) => m.slug === after) + 1;
    if (start === 0 && after !== undefined) return undefined;
    const shown = this.summaries
      .slice(start)
      .filter(
        (m) => (status === null || m.status === status) && (tag === null || m.tags.includes(tag)),
      );
    const items = shown.slice(0, limit);
    return { items, next: shown.length > limit ? (items[items.length - 1]?.slug ?? null) : null };
  }
  monitorCounts(tag: string | null): MonitorCounts {
    const tagged = this.summaries.filter((m) => tag === null || m.tags.includes(tag));
    const byStatus: Partial<Record<Status, number>> = {};
    for (const m of tagged) byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
    return {
      total: this.summaries.length,
      down: this.summaries.filter((m) => m.status === 'down').length,
      byStatus,
      tagged: tagged.length,
      tags: [...new Set(this.summaries.flatMap((m) => m.tags))].sort(),
    };
  }
  slugs(): readonly string[] {
    return this.summaries.map((m) => m.slug);
  }
  monitor(slug: string): MonitorSummary | undefined {
    return this.summaries.find((m) => m.slug === slug);
  }
  pings(slug: string, query: PageQuery): Page<PingRow> | undefined {
    return this.monitor(slug) && paged(this.pingRows, query);
  }
  transitions(slug: string, query: PageQuery): Page<TransitionRow> | undefined {
    return this.monitor(slug) && paged(this.transitionRows, query);
  }
  deliveries(slug: string, query: PageQuery): Page<DeliveryRow> | undefined {
    return this.monitor(slug) && paged(this.deliveryRows, query);
  }
  pingUrls(slug: string): readonly string[] {
    return [`http://127.0.0.1/ping/key/${slug}`];
  }
  pingEndpoint(slug: string): PingEndpoint | undefined {
    const token = this.tokens.get(slug) ?? null;
    return this.monitor(slug) && { baseUrl: 'http://127.0.0.1', slug, token, pingKey: 'key' };
  }
  uptime(slug: string): Uptime | undefined {
    return this.monitor(slug) && (this.uptimes.get(slug) ?? { day: 1, week: 1, month: 1 });
  }
  lastReload(): ReloadResult {
    return this.reload;
  }
  badgeUrls(): null {
    return null;
  }
  pause(slug: string): ActionResult {
    return this.#set(slug, 'pause', 'paused');
  }
  resume(slug: string): ActionResult {
    return this.#set(slug, 'resume', 'new');
  }
  snooze(slug: string, durationMs: number): ActionResult {
    this.calls.push(`snooze ${slug} ${durationMs}`);
    const m = this.monitor(slug);
    return m
      ? { ok: true, monitor: m }
      : { ok: false, code: 'not-found', error: 'no such monitor' };
  }
  access(req: IncomingMessage): Access {
    const session = sessionId(req);
    const given =
      credential(req) ??
      (session === null
        ? null
        : ([WRITE_TOKEN, READ_TOKEN].find((t) => this.sessions.heldBy(session, t)) ?? null));
    if (given === WRITE_TOKEN) return 'write';
    if (given === READ_TOKEN || this.public) return 'read';
    return 'none';
  }
  now(): number {
    return NOW;
  }
  tagBadges(): readonly TagBadge[] {
    return [];
  }
  badge(): BadgeView | undefined {
    return undefined;
  }
  metrics(): MetricsSnapshot {
    const counters = {} as Counters;
    return { now: NOW, monitors: [], counters, reload: this.reload };
  }

  #set(slug: string, call: string, status: Status): ActionResult {
    this.calls.push(`${call} ${slug}`);
    const i = this.summaries.findIndex((m) => m.slug === slug);
    const m = this.summaries[i];
    if (m === undefined) return { ok: false, code: 'not-found', error: 'no such monitor' };
    this.summaries[i] = { ...m, status };
    return { ok: true, monitor: m };
  }
}
