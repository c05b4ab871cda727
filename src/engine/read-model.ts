// What the JSON API, the status page, metrics and badges see of the daemon, and the operator's
// actions on a monitor. The engine implements it (read-side.ts) from the live monitors and the
// store; src/http only consumes it, so it never touches SQLite or the scheduler. Times are epoch
// ms; durations end in Ms. Failures are coded, and http/errors.ts maps codes to statuses.
import type { Counters } from '../core/counters.js';
import type { HealthReport } from '../core/health.js';
import type { PingKind, Reason, Schedule, Status } from '../core/types.js';

/**
 * One mark in a monitor's recent-history strip: a ping, an expected time it passed without one
 * (`late`, still within grace), or a deadline it missed (`missed`: it went down).
 */
export interface HistoryMark {
  readonly at: number;
  readonly kind: PingKind | 'late' | 'missed';
}

export interface MonitorSummary {
  readonly slug: string;
  readonly name: string;
  readonly status: Status;
  readonly tags: readonly string[];
  /** Human-readable: `every 5m`, or `cron 0 2 * * * (Europe/Berlin)`. */
  readonly schedule: string;
  /** The schedule as configured. */
  readonly scheduleSpec: Schedule;
  readonly graceMs: number;
  readonly maxRuntimeMs: number;
  /** A run shorter than this is a failure (too-short); null or absent: any length. */
  readonly minRuntimeMs?: number | null;
  /** A success more than this before the expected time is a failure (too-early). */
  readonly earlyMs?: number | null;
  /** Slugs of the monitors it depends on (depends-on). */
  readonly dependsOn?: readonly string[];
  /** The parent whose down suppressed this monitor's down alert; null when none. */
  readonly suppressedBy?: string | null;
  readonly lastPingAt: number | null;
  readonly lastSuccessAt: number | null;
  /** Run time of the latest run that reported or measured one. */
  readonly lastDurationMs: number | null;
  /** When the monitor next changes by itself (late, down, reminder...); null when it will not. */
  readonly nextDeadlineAt: number | null;
  /** When the current status began. */
  readonly changedAt: number;
  /** Alerts are suppressed until then (pings still recorded); null when not snoozed. */
  readonly snoozedUntil: number | null;
  /** The end of the maintenance open now (alerts held back until then); null when none is. */
  readonly maintenanceUntilAt?: number | null;
  /** When its next maintenance window opens; null when none will. */
  readonly nextMaintenanceAt?: number | null;
  /** The last ~24 marks, oldest first. */
  readonly recent: readonly HistoryMark[];
}

export interface PingRow {
  readonly id: number;
  readonly at: number;
  readonly kind: PingKind;
  readonly exitStatus: number | null;
  readonly durationMs: number | null;
  readonly value: number | null;
  readonly method: string;
  readonly remoteAddr: string | null;
  readonly userAgent: string | null;
  readonly runId: string | null;
  /** The stored body decoded as UTF-8 (invalid bytes replaced); null when there was none. */
  readonly output: string | null;
}

export interface TransitionRow {
  readonly id: number;
  readonly at: number;
  readonly from: Status;
  readonly to: Status;
  readonly reason: Reason;
  readonly deadlineAt: number | null;
  /** The alert event it queued, if any. */
  readonly alert: string | null;
  /** The parent (depends-on) that suppressed its alert, or whose recovery released it. */
  readonly parent?: string | null;
}

export interface DeliveryRow {
  readonly id: number;
  readonly transitionId: number;
  readonly hook: string;
  readonly at: number;
  readonly durationMs: number;
  readonly ok: boolean;
  readonly permanent: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
  /** The grouped attempt (a hook's `group:`) that carried this alert with others; null: its own. */
  readonly groupId: number | null;
  /** How many alerts that grouped attempt carried; null when not grouped. */
  readonly groupSize: number | null;
}

/** Newest first. `next` is the cursor (an id) to pass as `before` for the next page, or null. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next: number | null;
}

export interface PageQuery {
  /** Only rows with an id below this. */
  readonly before?: number | undefined;
  /** 1..500; default 50. */
  readonly limit?: number | undefined;
}

/**
 * The order of the monitor list: the config's, or the most urgent first (down, late, running,
 * then the others), each group in config order.
 */
export type MonitorOrder = 'config' | 'urgency';

/** Which monitors a page of the list holds: in config order, filtered, after a cursor. */
export interface MonitorQuery {
  /** Default `config`. */
  readonly order?: MonitorOrder | undefined;
  /** Only monitors after this slug in the list's order: the previous page's `next`. */
  readonly after?: string | undefined;
  /** 1..500; default 100. */
  readonly limit?: number | undefined;
  /** Only monitors in this status. */
  readonly status?: Status | null | undefined;
  /** Only monitors with this tag. */
  readonly tag?: string | null | undefined;
}

/** A page of the monitor list, in config order. */
export interface MonitorPage {
  readonly items: readonly MonitorSummary[];
  /** The slug to pass as `after` for the next page, or null on the last one. */
  readonly next: string | null;
}

/** What the list's filters show, counted over every monitor (no history is read for it). */
export interface MonitorCounts {
  /** Every monitor. */
  readonly total: number;
  /** Every monitor that is down, whatever the filter (the page title says it). */
  readonly down: number;
  /** The monitors with the tag (every monitor without one), by status. */
  readonly byStatus: Readonly<Partial<Record<Status, number>>>;
  /** How many monitors have the tag (every monitor without one). */
  readonly tagged: number;
  /** Every tag, sorted. */
  readonly tags: readonly string[];
  /** Every monitor inside a maintenance window now. */
  readonly maintenance?: number;
}

/** The share of the watched time (neither new nor paused) a monitor was not down: 0..1, or null. */
export interface Uptime {
  readonly day: number | null;
  readonly week: number | null;
  readonly month: number | null;
}

/** What a monitor's ping URLs are made of, for every dialect it answers in. */
export interface PingEndpoint {
  /** public-url, or where this server listens. */
  readonly baseUrl: string;
  readonly slug: string;
  /** The monitor's own token, or null. */
  readonly token: string | null;
  /** server.ping-key, or null. */
  readonly pingKey: string | null;
}

/** The last config reload (start-up counts as one): whether it applied, and when. */
export interface ReloadResult {
  readonly ok: boolean;
  readonly at: number;
}

/** Why a request to the engine was refused: no such monitor, or not in this state. */
export type ErrorCode = 'not-found' | 'conflict';

/** The outcome of pause, resume or snooze. */
export type ActionResult =
  | { readonly ok: true; readonly monitor: MonitorSummary }
  | { readonly ok: false; readonly code: ErrorCode; readonly error: string };

/** What a badge shows. */
export interface BadgeView {
  /** The monitor's name or the tag. */
  readonly label: string;
  readonly status: Status;
}

/** A tag's badge URLs. */
export interface TagBadge {
  readonly tag: string;
  readonly svg: string;
  readonly json: string;
}

export interface MonitorMetrics {
  readonly slug: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly status: Status;
  readonly lastPingAt: number | null;
  readonly lastSuccessAt: number | null;
  /** When the monitor next changes by itself; null when it will not. */
  readonly nextDeadlineAt: number | null;
  readonly lastDurationMs: number | null;
  readonly lastValue: number | null;
  readonly snoozed: boolean;
  /** Inside a maintenance window now. */
  readonly inMaintenance?: boolean;
}

export interface MetricsSnapshot {
  readonly now: number;
  readonly monitors: readonly MonitorMetrics[];
  /** Every tag, in order of first use, with the worst status of its monitors (as its badge). */
  readonly tags: readonly { readonly tag: string; readonly status: Status }[];
  readonly counters: Counters;
  /** The last config reload (start-up counts as one): whether it applied, and when. */
  readonly reload: ReloadResult;
  /** overdue's own health: the three checks of /healthz. */
  readonly health?: HealthReport;
}

/**
 * A monitor as the APIs of other systems show it (Healthchecks, Tickstem, Gatus): no history is
 * read for it, so every monitor can be listed at once.
 */
export interface MonitorDetail {
  readonly slug: string;
  readonly name: string;
  readonly status: Status;
  readonly tags: readonly string[];
  readonly schedule: Schedule;
  readonly graceMs: number;
  readonly lastPingAt: number | null;
  readonly nextDeadlineAt: number | null;
  readonly changedAt: number;
  /** The token shown in its ping URL; null when it has none. */
  readonly token: string | null;
  /** Created by auto-provisioning (kept in the database), not by the config file. */
  readonly provisioned: boolean;
  /** Consecutive failures and misses since the last success. */
  readonly failures: number;
  readonly lastDurationMs: number | null;
}

export interface ReadModel {
  /** A page of monitors, in config order; undefined when `after` names no monitor. */
  monitorPage(query: MonitorQuery): MonitorPage | undefined;
  /** The counts the list's filters show, for the monitors with `tag` (or all). */
  monitorCounts(tag: string | null): MonitorCounts;
  /** Every monitor's slug, in config order. */
  slugs(): readonly string[];
  monitor(slug: string): MonitorSummary | undefined;
  pings(slug: string, query: PageQuery): Page<PingRow> | undefined;
  transitions(slug: string, query: PageQuery): Page<TransitionRow> | undefined;
  deliveries(slug: string, query: PageQuery): Page<DeliveryRow> | undefined;
  /** The URLs a job may ping (token and ping-key forms), absolute, under public-url when set. */
  pingUrls(slug: string): readonly string[];
  /** What the monitor's ping URLs are made of, in every dialect; undefined for no such monitor. */
  pingEndpoint(slug: string): PingEndpoint | undefined;
  /** Uptime over the last 24 h, 7 d and 30 d, from the monitor's transitions. */
  uptime(slug: string): Uptime | undefined;
  /** Whether the last reload applied: when it did not, the running config is not the file's. */
  lastReload(): ReloadResult;
  /** Badge URLs (SVG and shields.io JSON) of a monitor; empty when badges are off. */
  badgeUrls(slug: string): { readonly svg: string; readonly json: string } | null;
  /** Pause: no alerts, no deadlines, pings still recorded. Recorded as a transition. */
  pause(slug: string): ActionResult;
  /** Resume a paused monitor (or end a snooze early). Recorded as a transition. */
  resume(slug: string): ActionResult;
  /** Suppress alerts for `durationMs` from now; pings are still recorded. Recorded as a transition. */
  snooze(slug: string, durationMs: number): ActionResult;
  now(): number;
  /** overdue's own health (database, scheduler, dispatcher), judged now. */
  health?(): HealthReport;
  /** Every tag and its badge URLs, in order of first use. */
  tagBadges(): readonly TagBadge[];
  /** What the badge with this key shows; undefined for an unknown key. */
  badge(key: string): BadgeView | undefined;
  metrics(): MetricsSnapshot;
  /** Every monitor as other systems' APIs show it, in config order. */
  details(): readonly MonitorDetail[];
}
