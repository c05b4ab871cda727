// How times and durations read on the status page. Pure: `now` is always passed in.
import { readableDuration } from '../../core/readable-duration.js';
import { html, type Html } from './html.js';

/** `1h 30m`, `1.5s`, `250 ms`: the two largest units, enough to read at a glance. */
export function formatDuration(ms: number): string {
  return readableDuration(ms);
}

/** `2026-05-01 02:00:05 UTC`: exact, for titles and tables. */
export function formatExact(at: number): string {
  return `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `5m ago`, `in 2h 10m`, `just now`. */
export function formatRelative(at: number, now: number): string {
  const delta = at - now;
  if (Math.abs(delta) < 1_000) return 'just now';
  return delta < 0 ? `${formatDuration(-delta)} ago` : `in ${formatDuration(delta)}`;
}

/** A relative time that shows the exact time on hover and carries it in machine-readable form. */
export function timeAgo(at: number, now: number): Html {
  const iso = new Date(at).toISOString();
  return html`<time datetime="${iso}" title="${formatExact(at)}">${formatRelative(at, now)}</time>`;
}

/** An exact time, with the relative one on hover (for tables, where rows are compared). */
export function timeExact(at: number, now: number): Html {
  const iso = new Date(at).toISOString();
  return html`<time datetime="${iso}" title="${formatRelative(at, now)}">${formatExact(at)}</time>`;
}

/** A number as short as it can be read: no float noise. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}
