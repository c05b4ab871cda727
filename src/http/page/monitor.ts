// A monitor's own page: its status and schedule, the actions a writer may take, its ping URLs, a
// chart of recent durations and values, then its pings, transitions and deliveries.
import type {
  DeliveryRow,
  MonitorSummary,
  Page,
  PingRow,
  TransitionRow,
  Uptime,
} from '../../engine/read-model.js';
import type { PingUrl } from '../ping-url-list.js';
import { chart } from './chart.js';
import { formatDuration, formatExact, timeAgo } from './format.js';
import { html, type Html } from './html.js';
import {
  maintenanceText,
  snoozeText,
  statusBadge,
  statusLabel,
  strip,
  tagList,
  uptimeLine,
} from './parts.js';
import { deliveryTable, pingTable, transitionTable, type Cursors } from './tables.js';

export interface MonitorView {
  readonly monitor: MonitorSummary;
  readonly pings: Page<PingRow>;
  /** The newest pings, for the chart, whichever page of the table is shown. */
  readonly recentPings: readonly PingRow[];
  readonly transitions: Page<TransitionRow>;
  readonly deliveries: Page<DeliveryRow>;
  /** Every URL the monitor answers on (empty for a reader without the api-token). */
  readonly pingUrls: readonly PingUrl[];
  readonly uptime: Uptime | null;
  readonly badgeUrls: { readonly svg: string; readonly json: string } | null;
  readonly cursors: Cursors;
  /** Whether pause, resume and snooze are offered (write access). */
  readonly canWrite: boolean;
  readonly now: number;
}

export const SNOOZE_CHOICES: readonly (readonly [string, number])[] = [
  ['1 hour', 3_600_000],
  ['4 hours', 4 * 3_600_000],
  ['1 day', 86_400_000],
  ['7 days', 7 * 86_400_000],
];

function actions(m: MonitorSummary, now: number): Html {
  const base = `/monitors/${encodeURIComponent(m.slug)}`;
  const button = (action: string, label: string, primary = false) =>
    html`<form method="post" action="${base}/${action}">
      <button type="submit" ${primary ? html` class="primary"` : ''}>${label}</button>
    </form>`;
  if (m.status === 'paused')
    return html`<div class="actions">${button('resume', 'Resume', true)}</div>`;
  const snoozed = snoozeText(m, now) !== null;
  const snooze = html`<form method="post" action="${base}/snooze">
    <label class="small muted" for="snooze-for">Snooze alerts for</label>
    <select id="snooze-for" name="for">
      ${SNOOZE_CHOICES.map(([label, ms]) => html`<option value="${ms}">${label}</option>`)}
    </select>
    <button type="submit">Snooze</button>
  </form>`;
  return html`<div class="actions">
    ${button('pause', 'Pause')}${snoozed ? button('resume', 'End snooze') : snooze}
  </div>`;
}

/** min-runtime, early and depends-on, when the monitor sets them. */
function runRules(m: MonitorSummary): Html {
  const rules = [
    ...(m.minRuntimeMs == null ? [] : [`min-runtime ${formatDuration(m.minRuntimeMs)}`]),
    ...(m.earlyMs == null ? [] : [`early ${formatDuration(m.earlyMs)}`]),
  ];
  const held = m.suppressedBy == null ? '' : ` (its down is suppressed: ${m.suppressedBy} is down)`;
  const parents = m.dependsOn ?? [];
  return html`${
    rules.length === 0
      ? ''
      : html`<dt>Run rules</dt>
          <dd>${rules.join(', ')}</dd>`
  }${
    parents.length === 0
      ? ''
      : html`<dt>Depends on</dt>
          <dd>${parents.join(', ')}${held}</dd>`
  }`;
}

function facts(m: MonitorSummary, uptime: Uptime | null, now: number): Html {
  const snoozed = snoozeText(m, now);
  return html`<dl class="facts">
    <dt>Schedule</dt>
    <dd>${m.schedule}</dd>
    <dt>Grace</dt>
    <dd>${formatDuration(m.graceMs)}</dd>
    ${runRules(m)}
    <dt>Last ping</dt>
    <dd>
      ${m.lastPingAt === null ? 'never' : html`${timeAgo(m.lastPingAt, now)} <span class="muted small">${formatExact(m.lastPingAt)}</span>`}
    </dd>
    <dt>Next deadline</dt>
    <dd>
      ${m.nextDeadlineAt === null ? 'none' : html`${timeAgo(m.nextDeadlineAt, now)} <span class="muted small">${formatExact(m.nextDeadlineAt)}</span>`}
    </dd>
    <dt>${statusLabel(m.status)} for</dt>
    <dd>
      ${formatDuration(Math.max(0, now - m.changedAt))}
      <span class="muted small">since ${formatExact(m.changedAt)}</span>
    </dd>
    <dt>Snooze</dt>
    <dd>${snoozed ?? 'not snoozed'}</dd>
    <dt>Maintenance</dt>
    <dd>${maintenanceText(m, now) ?? 'no window'}</dd>
    <dt>Uptime</dt>
    <dd>${uptime === null ? '—' : uptimeLine(uptime)}</dd>
    <dt>Recent</dt>
    <dd>${strip(m.recent)}</dd>
  </dl>`;
}

function urls(v: MonitorView): Html {
  const pingUrls = !v.canWrite
    ? html`<p class="muted small">
        Ping URLs carry secrets: they are shown only to the <code>server.api-token</code>.
      </p>`
    : v.pingUrls.length === 0
      ? html`<p class="muted small">
          No ping URL: set <code>server.ping-key</code> or give the monitor a <code>token</code>.
        </p>`
      : html`<ul class="ping-urls">
          ${v.pingUrls.map(
            (u) =>
              html`<li data-dialect="${u.dialect}">
                <span class="small"
                  ><b>${u.dialect}</b> <span class="muted">${u.method} · ${u.note}</span></span
                >
                <code class="url">${u.url}</code>
              </li>`,
          )}
        </ul>`;
  return html`<h2>Ping URLs</h2>
    <div class="card urls">${pingUrls}</div>
    ${v.badgeUrls === null ? '' : badges(v.badgeUrls)}`;
}

function badges(urls: { readonly svg: string; readonly json: string }): Html {
  // Shown from this server by path, so the preview loads whatever host public-url names.
  const preview = new URL(urls.svg).pathname;
  return html`<h2>Badges</h2>
    <div class="card urls">
      <p><img src="${preview}" alt="status badge" height="20" /></p>
      <code class="url">${`![status](${urls.svg})`}</code>
      <code class="url">${urls.json}</code>
      <p class="muted small">
        An SVG badge for a README, and shields.io JSON; the key in the URL is the only secret.
      </p>
    </div>`;
}

export function monitorPage(v: MonitorView): Html {
  const m = v.monitor;
  const base = `/monitors/${encodeURIComponent(m.slug)}`;
  return html`<p class="small"><a href="/">← All monitors</a></p>
    <div class="card st-${m.status}">
      <div>${statusBadge(m.status)}</div>
      <h1>${m.name}</h1>
      <div class="muted small"><span class="mono">${m.slug}</span> ${tagList(m.tags)}</div>
      ${v.canWrite ? actions(m, v.now) : ''} ${facts(m, v.uptime, v.now)}
    </div>
    ${urls(v)}
    <h2>Recent runs</h2>
    ${chart(v.recentPings)}
    <h2 id="pings">Pings</h2>
    ${pingTable(v.pings, base, v.cursors, v.now)}
    <h2 id="transitions">Transitions</h2>
    ${transitionTable(v.transitions, base, v.cursors, v.now)}
    <h2 id="deliveries">Deliveries</h2>
    ${deliveryTable(v.deliveries, base, v.cursors, v.now)}`;
}
