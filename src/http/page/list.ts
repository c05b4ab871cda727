// The list page: every monitor with its status, last ping, next deadline, time in its status and
// recent history; filters by status and tag with counts.
import type { Status } from '../../core/types.js';
import type { MonitorSummary } from '../../engine/read-model.js';
import { timeAgo, formatDuration } from './format.js';
import { html, type Html } from './html.js';
import { STATUSES, snoozeText, statusBadge, statusLabel, strip, tagList } from './parts.js';

export interface ListFilter {
  readonly status: Status | null;
  readonly tag: string | null;
}

function filterHref(filter: ListFilter): string {
  const q = new URLSearchParams();
  if (filter.status !== null) q.set('status', filter.status);
  if (filter.tag !== null) q.set('tag', filter.tag);
  const s = q.toString();
  return s === '' ? '/' : `/?${s}`;
}

function chip(label: string, href: string, on: boolean, count?: number): Html {
  return html`<a
    class="chip${on ? ' on' : ''}"
    href="${href}"
    ${on ? html` aria-current="true"` : ''}
    >${label}${count === undefined ? '' : html`<span class="n">${count}</span>`}</a
  >`;
}

function filters(all: readonly MonitorSummary[], filter: ListFilter): Html {
  // Status counts follow the tag filter, so they add up to what the page can show.
  const tagged = filter.tag === null ? all : all.filter((m) => m.tags.includes(filter.tag ?? ''));
  const byStatus = STATUSES.filter((s) => tagged.some((m) => m.status === s)).map((s) =>
    chip(
      statusLabel(s),
      filterHref({ ...filter, status: s }),
      filter.status === s,
      tagged.filter((m) => m.status === s).length,
    ),
  );
  const tags = [...new Set(all.flatMap((m) => m.tags))].sort();
  const byTag = tags.map((t) => chip(`#${t}`, filterHref({ ...filter, tag: t }), filter.tag === t));
  return html`<nav class="filters" aria-label="Filter by status">
      ${chip('All', filterHref({ ...filter, status: null }), filter.status === null, tagged.length)}${byStatus}
    </nav>
    ${tags.length > 0 ? html`<nav class="filters" aria-label="Filter by tag">${chip('All tags', filterHref({ ...filter, tag: null }), filter.tag === null)}${byTag}</nav>` : ''}`;
}

function row(m: MonitorSummary, now: number): Html {
  const next = m.nextDeadlineAt === null ? html`<span>—</span>` : timeAgo(m.nextDeadlineAt, now);
  const snoozed = snoozeText(m, now);
  return html`<article class="card monitor st-${m.status}" data-slug="${m.slug}">
    <div>
      <div>${statusBadge(m.status)}</div>
      <a class="name" href="/monitors/${encodeURIComponent(m.slug)}">${m.name}</a>
      <div class="muted small mono">${m.slug}</div>
      <div>${tagList(m.tags)}</div>
    </div>
    <div class="facts">
      <span>Last ping <b>${m.lastPingAt === null ? 'never' : timeAgo(m.lastPingAt, now)}</b></span>
      <span>Next deadline <b>${next}</b></span>
      <span
        >${statusLabel(m.status)} for
        <b title="since the last transition"
          >${formatDuration(Math.max(0, now - m.changedAt))}</b
        ></span
      >
      <span>${m.schedule}</span>${snoozed === null ? '' : html`<span>${snoozed}</span>`}
    </div>
    <div>${strip(m.recent)}</div>
  </article>`;
}

const NO_MONITORS = `monitors:
  nightly-backup:
    cron: "0 2 * * *"
    grace: 30m`;

function empty(all: readonly MonitorSummary[]): Html {
  if (all.length === 0) {
    return html`<div class="card empty">
      <p><strong>No monitors configured yet.</strong></p>
      <p>
        Add one under <code>monitors:</code> in the config file, then reload (<code
          >systemctl reload overdue</code
        >
        or SIGHUP):
      </p>
      <pre>${NO_MONITORS}</pre>
    </div>`;
  }
  return html`<div class="card empty">
    <p><strong>No monitors match this filter.</strong></p>
    <p><a href="/">Show all monitors</a></p>
  </div>`;
}

export function listPage(all: readonly MonitorSummary[], filter: ListFilter, now: number): Html {
  const shown = all.filter(
    (m) =>
      (filter.status === null || m.status === filter.status) &&
      (filter.tag === null || m.tags.includes(filter.tag)),
  );
  return html`<h1>Monitors</h1>
    ${all.length === 0 ? '' : filters(all, filter)}
    ${shown.length === 0 ? empty(all) : html`<section class="monitors">${shown.map((m) => row(m, now))}</section>`}`;
}
