// Pieces shared by the list and the monitor page: the status badge, tags, the recent-history strip.
import type { Status } from '../../core/types.js';
import type { HistoryMark, MonitorSummary } from '../../engine/read-model.js';
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
  missed: 'missed',
};

/** The last marks as small squares, oldest first; a missed deadline is hollow, not just red. */
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
