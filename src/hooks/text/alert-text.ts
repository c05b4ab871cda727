// The words of an alert for people: a one-line title and a few lines saying why, when, what was
// expected, and what the job printed. Presets send these unless a hook gives its own `title` or
// `message` template. Alerts queued by an older version lack some fields: each is optional here.
import type { Alert, AlertSchedule } from '../../core/alert.js';
import { formatDuration } from '../../core/duration.js';
import { readableDuration } from '../../core/readable-duration.js';
import type { AlertEvent } from '../../core/types.js';

// The end of a job's output says most about why it failed; a notification has little room.
const OUTPUT_TAIL_CHARS = 1_000;

/** The first line of a test alert's message: a test must never read as an outage. */
export const TEST_LINE = 'This is a test, sent by overdue test-alert: not a real alert.';

/** The first line of a down sent while the database could not be written. */
export const UNRECORDED_LINE =
  'Not yet recorded: overdue cannot write its database (see its log); this down is recorded once it can.';

const titles: Readonly<Record<AlertEvent, string>> = {
  down: 'is down',
  'start-overdue': 'is down: the run is overdue',
  fail: 'failed again',
  reminder: 'is still down',
  late: 'is late',
  up: 'is up again',
};

/** Titles of a down whose reason says more than the event. */
const ruleTitles: Readonly<Partial<Record<string, string>>> = {
  'too-short': 'is down: the run was too short',
  'too-early': 'is down: the success came too early',
};

export function alertTitle(alert: Alert): string {
  const byRule = alert.event === 'down' ? ruleTitles[alert.reason] : undefined;
  // `?? event`: an alert stored by a newer version may have an event this one does not know.
  const title = `${alert.monitor.name} ${byRule ?? titles[alert.event] ?? alert.event}`;
  const downFor = alert.event === 'up' ? downForMs(alert) : null;
  return downFor === null ? title : `${title} after ${span(downFor)} down`;
}

export function alertMessage(alert: Alert): string {
  const lines = [
    ...(alert.test === true ? [TEST_LINE] : []),
    ...(alert.unrecorded === true ? [UNRECORDED_LINE] : []),
    why(alert),
  ];
  const ping = alert.ping;
  // `!= null`: alerts queued by an older version lack these fields.
  if (ping?.duration_ms != null) lines.push(`Run time: ${span(ping.duration_ms)}.`);
  if (ping?.value != null) lines.push(`Value: ${ping.value}.`);
  const output = ping?.output?.trim() ?? '';
  if (output !== '') lines.push('', 'Output:', tail(output, OUTPUT_TAIL_CHARS));
  return lines.join('\n');
}

function why(alert: Alert): string {
  const deadline = alert.deadline === null ? 'its deadline' : when(alert.deadline);
  const last = `Last ping: ${alert.last_ping_at === null ? 'never' : when(alert.last_ping_at)}.`;
  const expected = alert.schedule === undefined ? '' : ` (${expectation(alert.schedule)})`;
  if (alert.reason === 'fail') return failure(alert);
  if (alert.reason === 'too-short' || alert.reason === 'too-early') return brokenRule(alert);
  if (alert.reason === 'released') return released(alert);
  if (alert.reason === 'maintenance')
    return `Still down at ${when(alert.at)}${downFor(alert)}, when its maintenance window ended; its down was held back during the window.`;
  switch (alert.event) {
    case 'up':
      return recovery(alert);
    case 'late':
      return `No ping yet: it was expected at ${deadline}${expected}, and the grace period is running.`;
    case 'reminder':
      return `Still down at ${when(alert.at)}${downFor(alert)}. ${last}`;
    case 'start-overdue': {
      const max =
        alert.schedule === undefined ? '' : ` ${formatDuration(alert.schedule.max_runtime_ms)}`;
      return `The run did not finish by ${deadline} (max-runtime${max}).`;
    }
    default:
      if (alert.reason === 'timeout') return `No ping by ${deadline}${expected}. ${last}`;
      return `It went from ${alert.previous_status} to ${alert.status} (${alert.reason}) at ${when(alert.at)}.`;
  }
}

/** `every 5m, grace 2m` or `at cron 0 2 * * * in Europe/Berlin, grace 30m`. */
function expectation(s: AlertSchedule): string {
  const grace = `grace ${formatDuration(s.grace_ms)}`;
  if (s.every_ms !== null) return `expected every ${formatDuration(s.every_ms)}, ${grace}`;
  return `expected at cron ${s.cron ?? '?'} in ${s.timezone ?? 'UTC'}, ${grace}`;
}

function recovery(alert: Alert): string {
  const ms = downForMs(alert);
  if (ms === null || alert.down_since == null) return `Recovered at ${when(alert.at)}.`;
  return `Up again at ${when(alert.at)}, after ${span(ms)} down (since ${when(alert.down_since)}).`;
}

/** `, for 6h (since 2026-05-01 02:30:00 UTC)`, or nothing when the alert does not say. */
function downFor(alert: Alert): string {
  const ms = downForMs(alert);
  if (ms === null || alert.down_since == null) return '';
  return `, for ${span(ms)} (since ${when(alert.down_since)})`;
}

function downForMs(alert: Alert): number | null {
  if (alert.down_since == null) return null;
  return Date.parse(alert.at) - Date.parse(alert.down_since);
}

/** A down held back while a parent was down, still down a grace after the parent recovered. */
function released(alert: Alert): string {
  const parent = alert.parent ?? 'a monitor it depends on';
  const grace = alert.schedule === undefined ? '' : ` ${formatDuration(alert.schedule.grace_ms)}`;
  return `Still down at ${when(alert.at)}${downFor(alert)}, a grace${grace} after ${parent} recovered; its down was held back while ${parent} was down.`;
}

/** Why a success counted as a failure: min-runtime or early. */
function brokenRule(alert: Alert): string {
  const at = when(alert.ping?.at ?? alert.at);
  if (alert.reason === 'too-short') {
    const ran = alert.ping?.duration_ms;
    const min = alert.schedule?.min_runtime_ms;
    const took = ran == null ? '' : ` after ${span(ran)}`;
    const limit = min == null ? 'its min-runtime' : `its min-runtime of ${formatDuration(min)}`;
    return `The run reported success at ${at}${took}, shorter than ${limit}: it counts as a failure.`;
  }
  const early = alert.schedule?.early_ms;
  const by = early == null ? 'its early setting' : formatDuration(early);
  const expected = alert.deadline === null ? '' : ` (${when(alert.deadline)})`;
  return `The success at ${at} came more than ${by} before the expected time${expected}: a job running twice or on a wrong timer counts as a failure.`;
}

function failure(alert: Alert): string {
  const exit = alert.ping?.exit_status;
  const status = exit == null || exit === 0 ? '' : ` with exit status ${exit}`;
  return `The job reported a failure${status} at ${when(alert.ping?.at ?? alert.at)}.`;
}

/** `2026-05-02 00:30:00 UTC`: an ISO time as people read it. */
export function when(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

/** A length of time as people say it: `12m`, `3h 4m`, `2d 2h`, `2.5s`. */
function span(ms: number): string {
  return readableDuration(Math.max(0, ms));
}

function tail(s: string, max: number): string {
  return s.length <= max ? s : `…${s.slice(s.length - max + 1)}`;
}
