// A monitor's uptime over 24 h, 7 d and 30 d, from its transitions in the store.
import type { Status } from '../core/types.js';
import { uptimeRatios } from '../core/uptime.js';
import type { HistoryStore } from './ports.js';
import type { Uptime } from './read-model.js';

const DAY_MS = 86_400_000;
const WINDOWS_MS = [DAY_MS, 7 * DAY_MS, 30 * DAY_MS] as const;
// A monitor that flapped more than this in 30 days has its uptime counted over these changes only:
// the list reads the uptime of a page of 100 monitors at each refresh, and this bounds its cost.
const MAX_CHANGES = 2_000;

export function uptimeOf(
  history: HistoryStore,
  monitorId: number,
  status: Status,
  now: number,
): Uptime {
  const sinceAt = now - WINDOWS_MS[2];
  const changes = history.changesSince(monitorId, sinceAt, MAX_CHANGES);
  // Cut short when the limit was reached before the longest window's start.
  const complete = changes.length < MAX_CHANGES || (changes.at(-1)?.at ?? now) <= sinceAt;
  const [day = null, week = null, month = null] = uptimeRatios(
    changes,
    status,
    now,
    WINDOWS_MS,
    complete,
  );
  return { day, week, month };
}
