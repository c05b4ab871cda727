// The monitor page's history tables: pings, transitions and deliveries, newest first, each paged
// on its own with "older" links that keep the other tables where they are.
import type { DeliveryRow, Page, PingRow, TransitionRow } from '../../engine/read-model.js';
import { formatDuration, formatNumber, timeExact } from './format.js';
import { html, type Html } from './html.js';
import { statusBadge } from './parts.js';

export type Cursors = Readonly<Record<'pings' | 'transitions' | 'deliveries', number | undefined>>;

function pager(base: string, cursors: Cursors, table: keyof Cursors, next: number | null): Html {
  const href = (before: number | undefined) => {
    const q = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...cursors, [table]: before }))
      if (value !== undefined) q.set(`${name}_before`, String(value));
    const s = q.toString();
    return `${base}${s === '' ? '' : `?${s}`}#${table}`;
  };
  const newest = cursors[table] === undefined ? '' : html`<a href="${href(undefined)}">Newest</a>`;
  const older = next === null ? '' : html`<a href="${href(next)}" rel="next">Older ${table} →</a>`;
  return newest === '' && older === '' ? html`` : html`<nav class="pager">${newest}${older}</nav>`;
}

/** A history table; on a narrow screen each row reflows into a card of label and value lines. */
function table(head: readonly string[], rows: readonly Html[]): Html {
  return html`<div class="scroll reflow">
    <table>
      <thead>
        <tr>
          ${head.map((h) => html`<th scope="col">${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}

function emptyRow(text: string, paged: boolean, back: Html): Html {
  return html`<p class="card empty small">${paged ? 'Nothing older.' : text}</p>
    ${back}`;
}

function output(text: string | null): Html {
  if (text === null || text === '') return html`<span class="muted">—</span>`;
  const firstLine = text.split('\n', 1)[0] ?? '';
  const summary = firstLine.length > 60 ? `${firstLine.slice(0, 60)}…` : firstLine;
  return html`<details>
    <summary class="mono">${summary || '(output)'}</summary>
    <pre>${text}</pre>
  </details>`;
}

const dash = html`<span class="muted">—</span>`;

export function pingTable(page: Page<PingRow>, base: string, cursors: Cursors, now: number): Html {
  if (page.items.length === 0)
    return emptyRow(
      'No pings yet: they appear here as soon as the job pings one of the URLs above.',
      cursors.pings !== undefined,
      pager(base, cursors, 'pings', null),
    );
  const rows = page.items.map(
    (p) =>
      html`<tr class="ping-${p.kind}">
        <td data-label="Time">${timeExact(p.at, now)}</td>
        <td data-label="Kind"><span class="mark ${p.kind}"></span> ${p.kind}</td>
        <td data-label="Exit status">${p.exitStatus ?? dash}</td>
        <td data-label="Duration">
          ${p.durationMs === null ? dash : formatDuration(p.durationMs)}
        </td>
        <td data-label="Value">${p.value === null ? dash : formatNumber(p.value)}</td>
        <td data-label="Output" class="wrap">${output(p.output)}</td>
        <td data-label="Remote address" class="mono">${p.remoteAddr ?? dash}</td>
      </tr>`,
  );
  return html`${table(['Time', 'Kind', 'Exit status', 'Duration', 'Value', 'Output', 'Remote address'], rows)}${pager(base, cursors, 'pings', page.next)}`;
}

export function transitionTable(
  page: Page<TransitionRow>,
  base: string,
  cursors: Cursors,
  now: number,
): Html {
  if (page.items.length === 0)
    return emptyRow(
      'No transitions yet: every change of status will be listed here.',
      cursors.transitions !== undefined,
      pager(base, cursors, 'transitions', null),
    );
  const rows = page.items.map(
    (t) =>
      html`<tr>
        <td data-label="Time">${timeExact(t.at, now)}</td>
        <td data-label="Change">${statusBadge(t.from)} → ${statusBadge(t.to)}</td>
        <td data-label="Reason">${t.reason}</td>
        <td data-label="Missed deadline">
          ${t.deadlineAt === null ? dash : timeExact(t.deadlineAt, now)}
        </td>
        <td data-label="Alert">
          ${t.alert ?? (t.parent == null ? dash : `suppressed by ${t.parent}`)}
        </td>
      </tr>`,
  );
  return html`${table(['Time', 'Change', 'Reason', 'Missed deadline', 'Alert'], rows)}${pager(base, cursors, 'transitions', page.next)}`;
}

/** A delivery that carried other alerts with this one (the hook's `group:`). */
function grouped(d: DeliveryRow): Html | string {
  if (d.groupSize === null) return '';
  return html` <span class="muted">(group of ${String(d.groupSize)})</span>`;
}

function result(d: DeliveryRow): Html {
  if (d.ok) return html`<span class="status st-up">Delivered</span>`;
  return html`<span class="status st-down">${d.permanent ? 'Failed' : 'Failed, will retry'}</span>`;
}

export function deliveryTable(
  page: Page<DeliveryRow>,
  base: string,
  cursors: Cursors,
  now: number,
): Html {
  if (page.items.length === 0)
    return emptyRow(
      'No deliveries yet: alerts sent to hooks for this monitor will be listed here.',
      cursors.deliveries !== undefined,
      pager(base, cursors, 'deliveries', null),
    );
  const rows = page.items.map(
    (d) =>
      html`<tr>
        <td data-label="Time">${timeExact(d.at, now)}</td>
        <td data-label="Hook">${d.hook}${grouped(d)}</td>
        <td data-label="Result">${result(d)}</td>
        <td data-label="HTTP status">${d.statusCode ?? dash}</td>
        <td data-label="Took">${formatDuration(d.durationMs)}</td>
        <td data-label="Error" class="wrap">${d.error ?? dash}</td>
        <td data-label="Transition" class="muted">#${d.transitionId}</td>
      </tr>`,
  );
  return html`${table(['Time', 'Hook', 'Result', 'HTTP status', 'Took', 'Error', 'Transition'], rows)}${pager(base, cursors, 'deliveries', page.next)}`;
}
