// Maintenance windows: when one is open, and when the open run of them ends. Pure: `at` is an
// argument. A window opens at its start (inclusive) and is over at its end (exclusive), so the
// alert a window held back goes out at the very ms it ends.
import { nextExpectedAt } from './schedule.js';
import type { MaintenanceWindow } from './types.js';
import { instantOf, wallOf } from './zoned-time.js';

type CronWindow = Extract<MaintenanceWindow, { kind: 'cron' }>;

// A window's length on the wall clock differs from `for` by at most the offset change of a DST
// day (1 h in most zones; 30 min on Lord Howe): this much more is searched for a start.
const DST_SLACK_MS = 3 * 3_600_000;
// Back-to-back windows are merged; this many at most, so a config can never loop here.
const CHAIN_MAX = 100;

/**
 * The end of a cron window that starts at `startAt`: `for` later on the zone's wall clock, so a
 * window "from 01:00 for 2h" ends at 03:00 on the day the clock jumps too (1 h or 3 h of real time).
 */
function cronWindowEndAt(w: CronWindow, startAt: number): number {
  return instantOf(w.timezone, wallOf(w.timezone, startAt) + w.forMs);
}

/** The latest start of a cron window at or before `at`, no earlier than `notBefore`; or null. */
function latestStartAt(w: CronWindow, at: number, notBefore: number): number | null {
  const schedule = { kind: 'cron', expr: w.expr, timezone: w.timezone } as const;
  // Look back 1 s, 2 s, 4 s...: the first span holding a start holds few, whatever the pattern.
  for (let backMs = 1_000; ; backMs *= 2) {
    const from = Math.max(at - backMs, notBefore);
    let start = nextExpectedAt(schedule, from - 1);
    if (start !== null && start <= at) {
      for (let next = nextExpectedAt(schedule, start); next !== null && next <= at;) {
        start = next;
        next = nextExpectedAt(schedule, start);
      }
      return start;
    }
    if (from === notBefore) return null;
  }
}

// A top-level window is one object shared by every monitor it applies to, and the read side asks
// about all of them at one `now` (a /metrics scrape, the status page's counts), as does a storm of
// downs at one deadline: each cron window keeps its last answer, so 100 000 monitors cost one
// cron search, not 100 000.
const lastAnswer = new WeakMap<
  CronWindow,
  { readonly at: number; readonly until: number | null }
>();

/** The end of the one window `w` open at `at`, or null when it is not open then. */
function openUntil(w: MaintenanceWindow, at: number): number | null {
  if (w.kind === 'once') return w.fromAt <= at && at < w.untilAt ? w.untilAt : null;
  const last = lastAnswer.get(w);
  if (last !== undefined && last.at === at) return last.until;
  const until = cronOpenUntil(w, at);
  lastAnswer.set(w, { at, until });
  return until;
}

function cronOpenUntil(w: CronWindow, at: number): number | null {
  const startAt = latestStartAt(w, at, at - w.forMs - DST_SLACK_MS);
  if (startAt === null) return null;
  const endAt = cronWindowEndAt(w, startAt);
  return at < endAt ? endAt : null;
}

/**
 * When the maintenance open at `at` ends: the latest end of the windows open then, carried on
 * through windows that open before it (back to back or overlapping). Null when none is open.
 */
export function maintenanceEndAt(windows: readonly MaintenanceWindow[], at: number): number | null {
  let endAt: number | null = null;
  let from = at;
  for (let i = 0; i < CHAIN_MAX; i++) {
    let latest: number | null = null;
    for (const w of windows) {
      const until = openUntil(w, from);
      if (until !== null && (latest === null || until > latest)) latest = until;
    }
    if (latest === null || (endAt !== null && latest <= endAt)) return endAt;
    endAt = latest;
    from = latest;
  }
  return endAt;
}

/** When the next window opens strictly after `at`; null when none will. */
export function nextMaintenanceAt(
  windows: readonly MaintenanceWindow[],
  at: number,
): number | null {
  let next: number | null = null;
  for (const w of windows) {
    const startAt =
      w.kind === 'once'
        ? w.fromAt > at
          ? w.fromAt
          : null
        : nextExpectedAt({ kind: 'cron', expr: w.expr, timezone: w.timezone }, at);
    if (startAt !== null && (next === null || startAt < next)) next = startAt;
  }
  return next;
}
