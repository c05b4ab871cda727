// The daemon's ReadModel: what the JSON API, the status page, metrics and badges see, made from the
// live monitors and the store's history. Pause, resume and snooze go through Monitors, like pings.
import type { IncomingMessage } from 'node:http';
import { Badges, worstStatus, type BadgeTarget } from './badge-keys.js';
import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import type { Config } from '../config/types.js';
import type { Counters } from '../core/counters.js';
import type { PingKind, Reason, Status } from '../core/types.js';
import type { TagBadge } from '../http/api.js';
import { accessOf, type Part } from '../http/auth.js';
import type { BadgeView } from '../http/badge.js';
import type { MetricsSnapshot } from '../http/metrics.js';
import type * as RM from './read-model.js';
import type { Action, Monitor, Monitors } from './monitors.js';
import type { PageRequest } from '../store/history.js';
import type { Store } from '../store/store.js';

export interface ReadSideDeps {
  readonly monitors: Monitors;
  readonly store: Store;
  readonly config: () => Config;
  readonly clock: Clock;
  /** public-url, or where this server listens. */
  readonly baseUrl: () => string;
  readonly badges: Badges;
  readonly counters: Counters;
  readonly lastReload: () => { readonly ok: boolean; readonly at: number };
}

const RECENT = 24;

export class ReadSide implements RM.ReadModel {
  readonly #d: ReadSideDeps;

  constructor(deps: ReadSideDeps) {
    this.#d = deps;
  }

  monitors(): readonly RM.MonitorSummary[] {
    return [...this.#d.monitors.all()].map((m) => this.#summary(m));
  }

  monitor(slug: string): RM.MonitorSummary | undefined {
    const m = this.#d.monitors.bySlug(slug);
    return m && this.#summary(m);
  }

  pings(slug: string, query: RM.PageQuery): RM.Page<RM.PingRow> | undefined {
    return this.#page(slug, query, (id, page) =>
      this.#d.store.history.pings(id, page).map(({ body, ...row }) => ({
        ...row,
        kind: row.kind as PingKind,
        output: body === null ? null : body.toString('utf8'),
      })),
    );
  }

  transitions(slug: string, query: RM.PageQuery): RM.Page<RM.TransitionRow> | undefined {
    return this.#page(slug, query, (id, page) =>
      this.#d.store.history.transitions(id, page).map((row) => ({
        ...row,
        from: row.from as Status,
        to: row.to as Status,
        reason: row.reason as Reason,
      })),
    );
  }

  deliveries(slug: string, query: RM.PageQuery): RM.Page<RM.DeliveryRow> | undefined {
    return this.#page(slug, query, (id, page) =>
      this.#d.store.history
        .deliveries(id, page)
        .map((row) => ({ ...row, ok: row.ok === 1, permanent: row.permanent === 1 })),
    );
  }

  pingUrls(slug: string): readonly string[] {
    const m = this.#d.monitors.bySlug(slug);
    if (m === undefined) return [];
    const base = this.#d.baseUrl();
    const key = this.#d.config().server.pingKey;
    const urls = m.config.token === null ? [] : [`${base}/ping/${m.config.token}`];
    return key === null ? urls : [...urls, `${base}/ping/${key}/${slug}`];
  }

  badgeUrls(slug: string): { readonly svg: string; readonly json: string } | null {
    if (this.#d.monitors.bySlug(slug) === undefined) return null;
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

  access(req: IncomingMessage, what: Part): RM.Access {
    return accessOf(req, what, this.#d.config().server);
  }

  now(): number {
    return this.#d.clock.now();
  }

  /** Every tag and its badge URLs, in order of first use. */
  tagBadges(): readonly TagBadge[] {
    const tags = new Set([...this.#d.monitors.all()].flatMap((m) => m.config.tags));
    return [...tags].map((tag) => ({ tag, ...this.#badgeUrls({ kind: 'tag', tag }) }));
  }

  /** What the badge with this key shows; undefined for an unknown key. */
  badge(key: string): BadgeView | undefined {
    const { monitors, badges } = this.#d;
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

  metrics(): MetricsSnapshot {
    const now = this.#d.clock.now();
    const monitors = [...this.#d.monitors.all()].map((m) => {
      const measured = this.#d.monitors.measured(m);
      const { status, lastPingAt, snoozedUntil } = m.state;
      return {
        slug: m.config.slug,
        status,
        lastPingAt,
        lastDurationMs: measured.durationMs,
        lastValue: measured.value,
        snoozed: snoozedUntil !== null && snoozedUntil > now,
      };
    });
    return { now, monitors, counters: this.#d.counters, reload: this.#d.lastReload() };
  }

  #badgeUrls(target: BadgeTarget): { svg: string; json: string } {
    const url = `${this.#d.baseUrl()}/badge/${this.#d.badges.key(target)}`;
    return { svg: `${url}.svg`, json: `${url}.json` };
  }

  #act(slug: string, action: Action): RM.ActionResult {
    const done = this.#d.monitors.act(slug, action, this.#d.clock.now());
    const monitor = this.monitor(slug);
    if (monitor === undefined) return { ok: false, status: 404, error: `no monitor '${slug}'` };
    return done.ok ? { ok: true, monitor } : { ok: false, status: 409, error: done.error };
  }

  #page<T extends { readonly id: number }>(
    slug: string,
    query: RM.PageQuery,
    rows: (monitorId: number, page: PageRequest) => T[],
  ): RM.Page<T> | undefined {
    const m = this.#d.monitors.bySlug(slug);
    if (m === undefined) return undefined;
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 500);
    // One row more than asked tells whether there is a next page.
    const items = rows(m.id, { before: query.before ?? Number.MAX_SAFE_INTEGER, limit: limit + 1 });
    const more = items.length > limit;
    if (more) items.length = limit;
    return { items, next: more ? (items[items.length - 1]?.id ?? null) : null };
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
      graceMs: config.graceMs,
      lastPingAt: state.lastPingAt,
      nextDeadlineAt: this.#d.monitors.deadlineAt(m),
      changedAt: state.changedAt,
      snoozedUntil: state.snoozedUntil,
      recent: this.#recent(m.id),
    };
  }

  /** The last marks, oldest first: pings, and a `missed` mark for each timeout. */
  #recent(monitorId: number): RM.HistoryMark[] {
    const { pings, misses } = this.#d.store.history.recent(monitorId, RECENT);
    const marks: RM.HistoryMark[] = [
      ...pings.map((p) => ({ at: p.at, kind: p.kind as PingKind })),
      ...misses.map((t) => ({ at: t.at, kind: 'missed' as const })),
    ];
    return marks.sort((a, b) => a.at - b.at).slice(-RECENT);
  }
}
