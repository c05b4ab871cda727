// The daemon's ReadModel: what the JSON API, the status page, metrics and badges see, made from the
// live monitors and the store's history. Pause, resume and snooze go through Monitors, like pings.
import type { Counters } from '../core/counters.js';
import type { HealthReport } from '../core/health.js';
import { formatDuration } from '../core/duration.js';
import type { MaintenanceWindow, PingKind } from '../core/types.js';
import { maintenanceEndAt, nextMaintenanceAt } from '../core/windows.js';
import { worstStatus, type BadgeKeys, type BadgeTarget } from './badge-keys.js';
import type { Action, Monitor } from './live-monitor.js';
import type { Monitors } from './monitors.js';
import { uptimeOf } from './uptime-of.js';
import { byUrgency } from './urgency.js';
import type { HistoryStore, PageCursor } from './ports.js';
import type * as RM from './read-model.js';

export interface ReadSideDeps {
  readonly monitors: Monitors;
  readonly history: HistoryStore;
  /** server.ping-key, for the monitors' ping URLs. */
  readonly pingKey: () => string | null;
  readonly now: () => number;
  /** public-url, or where this server listens. */
  readonly baseUrl: () => string;
  readonly badges: BadgeKeys;
  readonly counters: Counters;
  readonly lastReload: () => { readonly ok: boolean; readonly at: number };
  /**
   * The deadline the scheduler holds for a monitor (null when none): what deadlineAt computed
   * when it was armed. /metrics reads every monitor at each scrape, and computing a cron
   * schedule's next time costs ~0.2 ms, 20 s a scrape for 100 000 cron monitors.
   */
  readonly armedDeadline: (slug: string) => number | null;
  readonly health: () => HealthReport;
}

const RECENT = 24;

export class ReadSide implements RM.ReadModel {
  readonly #deps: ReadSideDeps;

  constructor(deps: ReadSideDeps) {
    this.#deps = deps;
  }

  monitorPage(query: RM.MonitorQuery): RM.MonitorPage | undefined {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 500);
    const { after, status = null, tag = null, order = 'config' } = query;
    if (after !== undefined && this.#deps.monitors.bySlug(after) === undefined) return undefined;
    const all = this.#deps.monitors.all();
    // Only the page's monitors are summarised: a summary reads the monitor's recent history.
    const page: Monitor[] = [];
    let started = after === undefined;
    for (const m of order === 'urgency' ? byUrgency(all) : all) {
      if (!started) {
        started = m.config.slug === after;
        continue;
      }
      if (status !== null && m.state.status !== status) continue;
      if (tag !== null && !m.config.tags.includes(tag)) continue;
      // One monitor more than asked tells whether there is a next page.
      if (page.length === limit) return { items: this.#summaries(page), next: lastSlug(page) };
      page.push(m);
    }
    return { items: this.#summaries(page), next: null };
  }

  monitorCounts(tag: string | null): RM.MonitorCounts {
    const byStatus: Partial<Record<RM.MonitorSummary['status'], number>> = {};
    const tags = new Set<string>();
    let total = 0;
    let down = 0;
    let tagged = 0;
    let maintenance = 0;
    const now = this.#deps.now();
    for (const { config, state } of this.#deps.monitors.all()) {
      total++;
      if (state.status === 'down') down++;
      if (config.maintenance !== undefined && maintenanceEndAt(config.maintenance, now) !== null)
        maintenance++;
      for (const t of config.tags) tags.add(t);
      if (tag !== null && !config.tags.includes(tag)) continue;
      tagged++;
      byStatus[state.status] = (byStatus[state.status] ?? 0) + 1;
    }
    return { total, down, byStatus, tagged, tags: [...tags].sort(), maintenance };
  }

  slugs(): readonly string[] {
    return [...this.#deps.monitors.all()].map((m) => m.config.slug);
  }

  monitor(slug: string): RM.MonitorSummary | undefined {
    const m = this.#deps.monitors.bySlug(slug);
    return m && this.#summary(m);
  }

  pings(slug: string, query: RM.PageQuery): RM.Page<RM.PingRow> | undefined {
    return this.#page(slug, query, (id, page) => this.#deps.history.pings(id, page));
  }

  transitions(slug: string, query: RM.PageQuery): RM.Page<RM.TransitionRow> | undefined {
    return this.#page(slug, query, (id, page) => this.#deps.history.transitions(id, page));
  }

  deliveries(slug: string, query: RM.PageQuery): RM.Page<RM.DeliveryRow> | undefined {
    return this.#page(slug, query, (id, page) => this.#deps.history.deliveries(id, page));
  }

  pingUrls(slug: string): readonly string[] {
    const m = this.#deps.monitors.bySlug(slug);
    if (m === undefined) return [];
    const base = this.#deps.baseUrl();
    const key = this.#deps.pingKey();
    const urls = m.config.token === null ? [] : [`${base}/ping/${m.config.token}`];
    return key === null ? urls : [...urls, `${base}/ping/${key}/${slug}`];
  }

  pingEndpoint(slug: string): RM.PingEndpoint | undefined {
    const m = this.#deps.monitors.bySlug(slug);
    if (m === undefined) return undefined;
    const { baseUrl, pingKey } = this.#deps;
    return { baseUrl: baseUrl(), slug, token: m.config.token, pingKey: pingKey() };
  }

  uptime(slug: string): RM.Uptime | undefined {
    const m = this.#deps.monitors.bySlug(slug);
    return m && uptimeOf(this.#deps.history, m.id, m.state.status, this.#deps.now());
  }

  lastReload(): RM.ReloadResult {
    return this.#deps.lastReload();
  }

  badgeUrls(slug: string): { readonly svg: string; readonly json: string } | null {
    if (this.#deps.monitors.bySlug(slug) === undefined) return null;
    return this.#badgeUrls({ kind: 'monitor', slug });
  }

  pause(slug: string): RM.ActionResult {
    return this.#act(slug, { kind: 'pause' });
  }

  resume(slug: string): RM.ActionResult {
    return this.#act(slug, { kind: 'resume' });
  }

  snooze(slug: string, durationMs: number): RM.ActionResult {
    return this.#act(slug, { kind: 'snooze', durationMs });
  }

  now(): number {
    return this.#deps.now();
  }

  /** Every tag and its badge URLs, in order of first use. */
  tagBadges(): readonly RM.TagBadge[] {
    const tags = new Set([...this.#deps.monitors.all()].flatMap((m) => m.config.tags));
    return [...tags].map((tag) => ({ tag, ...this.#badgeUrls({ kind: 'tag', tag }) }));
  }

  /** What the badge with this key shows; undefined for an unknown key. */
  badge(key: string): RM.BadgeView | undefined {
    const { monitors, badges } = this.#deps;
    const target = badges.resolve(key, monitors.generation, () =>
      [...monitors.all()].map((m) => m.config),
    );
    if (target === undefined) return undefined;
    if (target.kind === 'monitor') {
      const m = monitors.bySlug(target.slug);
      return m && { label: m.config.name, status: m.state.status };
    }
    const tagged = [...monitors.all()].filter((m) => m.config.tags.includes(target.tag));
    return { label: target.tag, status: worstStatus(tagged.map((m) => m.state.status)) };
  }

  metrics(): RM.MetricsSnapshot {
    const now = this.#deps.now();
    const all = [...this.#deps.monitors.all()];
    const monitors = all.map((m) => {
      const measured = this.#deps.monitors.measured(m);
      const { status, lastPingAt, lastSuccessAt, snoozedUntil } = m.state;
      return {
        slug: m.config.slug,
        name: m.config.name,
        tags: m.config.tags,
        status,
        lastPingAt,
        lastSuccessAt,
        nextDeadlineAt: this.#deps.armedDeadline(m.config.slug),
        lastDurationMs: measured.durationMs,
        lastValue: measured.value,
        snoozed: snoozedUntil !== null && snoozedUntil > now,
        inMaintenance: maintenanceEndAt(m.config.maintenance ?? [], now) !== null,
      };
    });
    const byTag = new Map<string, RM.MonitorSummary['status'][]>();
    for (const m of all) {
      for (const tag of m.config.tags) {
        const statuses = byTag.get(tag);
        if (statuses === undefined) byTag.set(tag, [m.state.status]);
        else statuses.push(m.state.status);
      }
    }
    const tags = [...byTag].map(([tag, statuses]) => ({ tag, status: worstStatus(statuses) }));
    const { counters, lastReload, health } = this.#deps;
    return { now, monitors, tags, counters, reload: lastReload(), health: health() };
  }

  details(): readonly RM.MonitorDetail[] {
    return [...this.#deps.monitors.all()].map((m) => {
      const { config, state } = m;
      return {
        slug: config.slug,
        name: config.name,
        status: state.status,
        tags: config.tags,
        schedule: config.schedule,
        graceMs: config.graceMs,
        lastPingAt: state.lastPingAt,
        nextDeadlineAt: this.#deps.monitors.deadlineAt(m),
        changedAt: state.changedAt,
        token: config.token,
        provisioned: config.provisioned,
        failures: state.failures,
        lastDurationMs: this.#deps.monitors.measured(m).durationMs,
      };
    });
  }

  health(): HealthReport {
    return this.#deps.health();
  }

  #badgeUrls(target: BadgeTarget): { svg: string; json: string } {
    const url = `${this.#deps.baseUrl()}/badge/${this.#deps.badges.key(target)}`;
    return { svg: `${url}.svg`, json: `${url}.json` };
  }

  #act(slug: string, action: Action): RM.ActionResult {
    const done = this.#deps.monitors.act(slug, action, this.#deps.now());
    const monitor = this.monitor(slug);
    if (monitor === undefined)
      return { ok: false, code: 'not-found', error: `no monitor '${slug}'` };
    return done.ok ? { ok: true, monitor } : { ok: false, code: 'conflict', error: done.error };
  }

  #page<T extends { readonly id: number }>(
    slug: string,
    query: RM.PageQuery,
    rows: (monitorId: number, page: PageCursor) => T[],
  ): RM.Page<T> | undefined {
    const m = this.#deps.monitors.bySlug(slug);
    if (m === undefined) return undefined;
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 500);
    // One row more than asked tells whether there is a next page.
    const items = rows(m.id, { before: query.before ?? Number.MAX_SAFE_INTEGER, limit: limit + 1 });
    const more = items.length > limit;
    if (more) items.length = limit;
    return { items, next: more ? (items[items.length - 1]?.id ?? null) : null };
  }

  #summaries(monitors: readonly Monitor[]): RM.MonitorSummary[] {
    return monitors.map((m) => this.#summary(m));
  }

  #summary(m: Monitor): RM.MonitorSummary {
    const { config, state } = m;
    const { schedule } = config;
    return {
      slug: config.slug,
      name: config.name,
      status: state.status,
      tags: config.tags,
      schedule:
        schedule.kind === 'every'
          ? `every ${formatDuration(schedule.periodMs)}`
          : `cron ${schedule.expr} (${schedule.timezone})`,
      scheduleSpec: schedule,
      graceMs: config.graceMs,
      maxRuntimeMs: config.maxRuntimeMs,
      minRuntimeMs: config.minRuntimeMs,
      earlyMs: config.earlyMs,
      dependsOn: config.dependsOn,
      suppressedBy: state.suppressedBy,
      lastPingAt: state.lastPingAt,
      lastSuccessAt: state.lastSuccessAt,
      lastDurationMs: this.#deps.monitors.measured(m).durationMs,
      nextDeadlineAt: this.#deps.monitors.deadlineAt(m),
      changedAt: state.changedAt,
      snoozedUntil: state.snoozedUntil,
      ...maintenanceOf(config.maintenance ?? [], this.#deps.now()),
      recent: this.#recent(m.id),
    };
  }

  /** The last marks, oldest first: pings, and a `late` or `missed` mark for each timeout. */
  #recent(monitorId: number): RM.HistoryMark[] {
    const { pings, misses } = this.#deps.history.recent(monitorId, RECENT);
    const marks: RM.HistoryMark[] = [
      ...pings.map((p) => ({ at: p.at, kind: p.kind as PingKind })),
      ...misses.map((t) => ({ at: t.at, kind: t.status === 'late' ? 'late' : 'missed' }) as const),
    ];
    return marks.sort((a, b) => a.at - b.at).slice(-RECENT);
  }
}

function maintenanceOf(windows: readonly MaintenanceWindow[], now: number) {
  if (windows.length === 0) return { maintenanceUntilAt: null, nextMaintenanceAt: null };
  return {
    maintenanceUntilAt: maintenanceEndAt(windows, now),
    nextMaintenanceAt: nextMaintenanceAt(windows, now),
  };
}

function lastSlug(page: readonly Monitor[]): string | null {
  return page[page.length - 1]?.config.slug ?? null;
}
