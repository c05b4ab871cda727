// Expected times for `every` and `cron` schedules. The only importer of croner.
//
// croner is used as a pure function: a paused job with no callback, always asked with a reference
// date, so it never registers a global timer. Its DST rules follow Vixie cron: a fixed time that a
// spring-forward skips is expected at the first valid time after the gap, the same day; a time that
// a fall-back repeats is expected once, at its first occurrence; interval patterns (`0 * * * *`)
// run on both passes through the repeated hour.
import { Cron } from 'croner';
import type { Schedule } from './types.js';

// Parsing a pattern costs more than asking it; schedules are immutable config objects, so each is
// compiled once and forgotten with its config.
const compiled = new WeakMap<Schedule, Cron>();

function cronOf(schedule: Extract<Schedule, { kind: 'cron' }>): Cron {
  let cron = compiled.get(schedule);
  if (cron === undefined) {
    cron = new Cron(schedule.expr, { timezone: schedule.timezone, paused: true });
    compiled.set(schedule, cron);
  }
  return cron;
}

/**
 * When the next ping is expected, given the time `afterAt` the schedule counts from (the last
 * success, or when the monitor was armed). Strictly after `afterAt`; null when a cron pattern has no
 * future time.
 */
export function nextExpectedAt(schedule: Schedule, afterAt: number): number | null {
  if (schedule.kind === 'every') return afterAt + schedule.periodMs;
  const next = cronOf(schedule).nextRun(new Date(afterAt));
  return next === null ? null : next.getTime();
}
