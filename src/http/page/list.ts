// The list page: a one-line summary of the counts, then monitors with their status, last ping,
// next deadline, time in their status, uptime and recent history, a page at a time, the most
// urgent first (down, late, running, then the rest in config order); filters by status and tag with
// counts over every monitor, and a link to the next page that keeps the filters.
import type { Status } from '../../core/types.js';
import type {
  MonitorCounts,
  MonitorPage,
  MonitorSummary,
  Uptime,
} from '../../engine/read-model.js';
import { timeAgo, formatDuration } from './format.js';
import { html, type Html } from './html.js';
import {
  STATUSES,
  maintenanceText,
  snoozeText,
  statusBadge,
  statusLabel,
  strip,
  tagList,
  uptimeLine,
} from './parts.js';

export interface ListFilter {
  readonly status: Status | null;
  readonly tag: string | null;
}

/** The list with `filter`, from its first page, or from after the monitor `after`. */
export function filterHref(filter: ListFilter, after: string | null = null): string {
  const q = new URLSearchParams();
  if (filter.status !== null) q.set('status', filter.status);
  if (filter.tag !== null) q.set('tag', filter.tag);
  if (after !== null) q.set('after', after);
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

function filters(counts: MonitorCounts, filter: ListFilter): Html {
  // Status counts follow the tag filter, so they add up to what the pages can show.
  const byStatus = STATUSES.filter((s) => (counts.byStatus[s] ?? 0) > 0).map((s) =>
    chip(
      statusLabel(s),
      filterHref({ ...filter, status: s }),
      filter.status === s,
      counts.byStatus[s],
    ),
  );
  const { tags } = counts;
  const byTag = tags.map((t) => chip(`#${t}`, filterHref({ ...filter, tag: t }), filter.tag === t));
  return html`<nav class="filters" aria-label="Filter by status">
      ${chip('All', filterHref({ ...filter, status: null }), filter.status === null, counts.tagged)}${byStatus}
    </nav>
    ${tags.length > 0 ? html`<nav class="filters" aria-label="Filter by tag">${chip('All tags', filterHref({ ...filter, tag: null }), filter.tag === null)}${byTag}</nav>` : ''}`;
}

/** Back to the first page, and on to the next one, with the same filters. */
function pager(filter: ListFilter, after: string | null, next: string | null): Html {
  const first = after === null ? '' : html`<a href="${filterHref(filter)}">First page</a>`;
  const more =
    next === null ? '' : html`<a href="${filterHref(filter, next)}" rel="next">Next monitors →</a>`;
  return first === '' && more === '' ? html`` : html`<nav class="pager">${first}${more}</nav>`;
}

/** `2 down · 1 late · 14 up`: every status with a monitor in it, the most urgent first. */
function summaryLine(counts: MonitorCounts): Html {
  const parts = STATUSES.filter((s) => (counts.byStatus[s] ?? 0) > 0).map(
    (s) =>
      html`<span class="st-${s}"
        ><b>${counts.byStatus[s]}</b> ${statusLabel(s).toLowerCase()}</span
      >`,
  );
  return html`<p class="summary" role="status">
    ${parts.map((p, i) => html`${i === 0 ? '' : html`<span class="sep"> · </span>`}${p}`)}
  </p>`;
}

function row(m: MonitorSummary, uptime: Uptime | undefined, now: number): Html {
  const next = m.nextDeadlineAt === null ? html`<span>—</span>` : timeAgo(m.nextDeadlineAt, now);
  const snoozed = snoozeText(m, now);
  const inMaintenance = (m.maintenanceUntilAt ?? 0) > now ? maintenanceText(m, now) : null;
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
      ${inMaintenance === null ? '' : html`<span class="maintenance">${inMaintenance}</span>`}
      ${uptime === undefined ? '' : html`<span>Uptime ${uptimeLine(uptime)}</span>`}
    </div>
    <div>${strip(m.recent)}</div>
  </article>`;
}

const NO_MONITORS = `monitors:
  nightly-backup:
    cron: "0 2 * * *"
    grace: 30m`;

function empty(total: number): Html {
  if (total === 0) {
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

export interface ListView {
  /** The monitors of this page, already filtered. */
  readonly page: MonitorPage;
  readonly counts: MonitorCounts;
  readonly filter: ListFilter;
  /** The cursor this page starts after; null on the first page. */
  readonly after: string | null;
  /** The uptime of the page's monitors (read for those only). */
  readonly uptimes: ReadonlyMap<string, Uptime>;
  readonly now: number;
}

/** While any monitor is in maintenance: its silence is expected, its alerts held until the end. */
function maintenanceBanner(n: number): Html | string {
  if (n === 0) return '';
  const which = n === 1 ? '1 monitor is' : `${n} monitors are`;
  return html`<div class="banner notice" role="status">
    <strong>${which} in maintenance.</strong> Their transitions are recorded and their alerts held;
    one still down when its window ends alerts then, once.
  </div>`;
}

export function listPage(view: ListView): Html {
  const { page, counts, filter, after, now, uptimes } = view;
  const shown = page.items;
  const rows = shown.map((m) => row(m, uptimes.get(m.slug), now));
  return html`<h1>Monitors</h1>
    ${maintenanceBanner(counts.maintenance ?? 0)} ${counts.tagged === 0 ? '' : summaryLine(counts)}
    ${counts.total === 0 ? '' : filters(counts, filter)}
    ${shown.length === 0 ? empty(counts.total) : html`<section class="monitors">${rows}</section>`}
    ${pager(filter, after, page.next)}`;
}
