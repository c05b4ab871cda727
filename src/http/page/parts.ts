// Pieces shared by the list and the monitor page: the status badge, tags, the recent-history strip.
import type { Status } from '../../core/types.js';
import type { HistoryMark, MonitorSummary, Uptime } from '../../engine/read-model.js';
import { formatExact } from './format.js';
import { html, type Html } from './html.js';

export const STATUSES: readonly Status[] = ['down', 'late', 'running', 'up', 'new', 'paused'];

const LABELS: Record<Status, string> = {
  new: 'New',
  up: 'Up',
  late: 'Late',
  running: 'Running',
  down: 'Down',
  paused: 'Paused',
};

export function statusLabel(status: Status): string {
  return LABELS[status];
}

/** Colour and text: the colour is never the only signal. */
export function statusBadge(status: Status): Html {
  return html`<span class="status st-${status}">${LABELS[status]}</span>`;
}

export function tagList(tags: readonly string[]): Html {
  return html`${tags.map((t) => html`<a class="tag" href="/?tag=${encodeURIComponent(t)}">${t}</a>`)}`;
}

const MARK_WORDS: Record<HistoryMark['kind'], string> = {
  success: 'success',
  fail: 'failure',
  start: 'start',
  log: 'log',
  late: 'late',
  missed: 'missed',
};

/**
 * The last marks as small squares, oldest first. A passed expected time (late) and a missed
 * deadline (down) are hollow, not just coloured, and in colours of their own: one miss is one
 * amber mark then one red, not two red ones.
 */
export function strip(recent: readonly HistoryMark[]): Html {
  if (recent.length === 0) return html`<span class="strip muted small">no pings yet</span>`;
  const counts = new Map<string, number>();
  for (const m of recent) counts.set(MARK_WORDS[m.kind], (counts.get(MARK_WORDS[m.kind]) ?? 0) + 1);
  const summary = [...counts].map(([word, n]) => `${n} ${word}`).join(', ');
  return html`<span class="strip" role="img" aria-label="${`recent: ${summary}`}"
    >${recent.map(
      (m) =>
        html`<span
          class="mark ${m.kind}"
          title="${`${MARK_WORDS[m.kind]} at ${formatExact(m.at)}`}"
        ></span>`,
    )}</span
  >`;
}

/** What the snooze means for a monitor, or null when it is not snoozed. */
export function snoozeText(m: MonitorSummary, now: number): string | null {
  if (m.snoozedUntil === null || m.snoozedUntil <= now) return null;
  return `alerts snoozed until ${formatExact(m.snoozedUntil)}`;
}

/** What maintenance means for a monitor now, or null when it has no window open or coming. */
export function maintenanceText(m: MonitorSummary, now: number): string | null {
  const until = m.maintenanceUntilAt ?? null;
  if (until !== null && until > now)
    return `in maintenance until ${formatExact(until)}: alerts held, a down still there then alerts`;
  const next = m.nextMaintenanceAt ?? null;
  return next === null ? null : `next maintenance ${formatExact(next)}`;
}

/** `99.95%`: never rounded up to 100% while there was any downtime. */
export function formatUptime(ratio: number | null): string {
  if (ratio === null) return '—';
  if (ratio >= 1) return '100%';
  return `${Math.floor(ratio * 10_000) / 100}%`;
}

/** Uptime over 24 h, 7 d and 30 d, as one line: `24h 100% · 7d 99.8% · 30d 99.95%`. */
export function uptimeLine(u: Uptime): Html {
  if (u.day === null && u.week === null && u.month === null)
    return html`<span class="uptime muted" title="Not watched yet: never pinged, or paused"
      >—</span
    >`;
  const windows = [
    ['24h', u.day],
    ['7d', u.week],
    ['30d', u.month],
  ] as const;
  return html`<span
    class="uptime"
    title="Share of the time not down over the last 24 hours, 7 days and 30 days (paused and never-pinged time left out)"
    >${windows.map(
      ([label, ratio], i) => html`${i === 0 ? '' : ' · '}${label} <b>${formatUptime(ratio)}</b>`,
    )}</span
  >`;
}
