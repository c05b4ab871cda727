// The words of an alert for people: a one-line title and a few lines saying why, when, and what
// the job printed. Presets send these unless a hook gives its own `title` or `message` template.
import type { Alert } from '../../core/alert.js';
import type { AlertEvent } from '../../core/types.js';

// The end of a job's output says most about why it failed; a notification has little room.
const OUTPUT_TAIL_CHARS = 1_000;

const titles: Readonly<Record<AlertEvent, string>> = {
  down: 'is down',
  'start-overdue': 'is down: the run is overdue',
  fail: 'failed again',
  reminder: 'is still down',
  late: 'is late',
  up: 'is up again',
};

export function alertTitle(alert: Alert): string {
  // `?? event`: an alert stored by a newer version may have an event this one does not know.
  return `${alert.monitor.name} ${titles[alert.event] ?? alert.event}`;
}

/** The first line of a test alert's message: a test must never read as an outage. */
export const TEST_LINE = 'This is a test, sent by overdue test-alert: not a real alert.';

export function alertMessage(alert: Alert): string {
  const lines = [...(alert.test === true ? [TEST_LINE] : []), why(alert)];
  const ping = alert.ping;
  // `!= null`: alerts queued by an older version lack these fields.
  if (ping?.duration_ms != null) lines.push(`Run time: ${formatMs(ping.duration_ms)}.`);
  if (ping?.value != null) lines.push(`Value: ${ping.value}.`);
  const output = ping?.output?.trim() ?? '';
  if (output !== '') lines.push('', 'Output:', tail(output, OUTPUT_TAIL_CHARS));
  return lines.join('\n');
}

function why(alert: Alert): string {
  const deadline = alert.deadline === null ? 'its deadline' : when(alert.deadline);
  const last = `Last ping: ${alert.last_ping_at === null ? 'never' : when(alert.last_ping_at)}.`;
  if (alert.reason === 'fail') return failure(alert);
  switch (alert.event) {
    case 'up':
      return `Recovered at ${when(alert.at)}.`;
    case 'late':
      return `No ping yet: it was expected at ${deadline}, and the grace period is running.`;
    case 'reminder':
      return `Still down at ${when(alert.at)}. ${last}`;
    case 'start-overdue':
      return `The run did not finish by ${deadline} (max-runtime).`;
    default:
      if (alert.reason === 'timeout') return `No ping by ${deadline}. ${last}`;
      return `It went from ${alert.previous_status} to ${alert.status} (${alert.reason}) at ${when(alert.at)}.`;
  }
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

function formatMs(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  const s = Math.round(ms / 1_000);
  const parts = [
    [Math.floor(s / 3_600), 'h'],
    [Math.floor(s / 60) % 60, 'm'],
    [s % 60, 's'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
}

function tail(s: string, max: number): string {
  return s.length <= max ? s : `…${s.slice(s.length - max + 1)}`;
}
