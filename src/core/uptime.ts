// Uptime over a window: the share of the watched time a monitor was not down, from its
// transitions. Pure: the store reads the transitions, `now` is an argument.
import type { Status } from './types.js';

/** A change of status, as the uptime needs it. */
export interface StatusChange {
  readonly at: number;
  readonly from: Status;
  readonly to: Status;
}

// Time not watched: before the first ping a monitor has no record to keep, and a paused one is
// switched off on purpose. Neither counts for or against it.
const UNWATCHED: ReadonlySet<Status> = new Set<Status>(['new', 'paused']);

/**
 * The uptime (0..1) over each window ending at `now`, or null for a window with no watched time.
 * `changes` are newest first, reaching back to the first change at or before the longest window's
 * start when there is one. When `complete` is false the history was cut short: the time before the
 * oldest change is not counted, rather than guessed.
 */
export function uptimeRatios(
  changes: readonly StatusChange[],
  current: Status,
  now: number,
  windowsMs: readonly number[],
  complete: boolean,
): (number | null)[] {
  return windowsMs.map((windowMs) => ratio(changes, current, now, now - windowMs, complete));
}

function ratio(
  changes: readonly StatusChange[],
  current: Status,
  now: number,
  sinceAt: number,
  complete: boolean,
): number | null {
  let watchedMs = 0;
  let downMs = 0;
  const count = (status: Status, fromAt: number, toAt: number) => {
    if (UNWATCHED.has(status) || toAt <= fromAt) return;
    watchedMs += toAt - fromAt;
    if (status === 'down') downMs += toAt - fromAt;
  };
  // Walk back from now: each change ends the span of its `from` status and starts its `to`.
  let status = current;
  let endAt = now;
  let reachedStart = false;
  for (const change of changes) {
    if (change.at <= sinceAt) {
      count(status, sinceAt, endAt);
      reachedStart = true;
      break;
    }
    count(status, change.at, endAt);
    status = change.from;
    endAt = change.at;
  }
  if (!reachedStart && complete) count(status, sinceAt, endAt);
  return watchedMs === 0 ? null : 1 - downMs / watchedMs;
}
