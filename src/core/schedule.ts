// Expected times for `every` and `cron` schedules. The only importer of croner.
//
// croner is used as a pure function: a paused job with no callback, always asked with a reference
// date, so it never registers a global timer. Its DST rules follow Vixie cron: a fixed time that a
// spring-forward skips is expected at the first valid time after the gap, the same day; a time that
// a fall-back repeats is expected once, at its first occurrence; interval patterns (`0 * * * *`)
// run on both passes through the repeated hour.
import { Cron } from 'croner';
import type { Schedule } from './types.js';

// Parsing a pattern costs more than asking it, and a config with 100 000 monitors typically has a
// handful of distinct expressions: each (expression, zone) is compiled once. The cap keeps a daemon
// whose config is edited for months from growing the cache without bound.
const compiled = new Map<string, Compiled>();
const COMPILED_MAX = 10_000;

// Asking a pattern is costly too (~130 µs in a DST zone), and many monitors ask the same pattern
// about nearby times: all armed at start-up, or all last pinged within the same cron slot. The
// answer for `afterAt` is the first run strictly after it, so it is the same for every reference
// time from `afterAt` up to that run: each answer is kept as such an interval, widened when an
// earlier reference time gets the same answer. A few intervals per pattern suffice.
interface Interval {
  fromAt: number;
  readonly nextAt: number;
}
interface Compiled {
  readonly cron: Cron;
  readonly intervals: Interval[];
}
const INTERVALS_MAX = 16;

function compiledOf(schedule: Extract<Schedule, { kind: 'cron' }>): Compiled {
  const key = `${schedule.timezone}\u0000${schedule.expr}`;
  let entry = compiled.get(key);
  if (entry === undefined) {
    if (compiled.size >= COMPILED_MAX) compiled.clear();
    const cron = new Cron(schedule.expr, { timezone: schedule.timezone, paused: true });
    entry = { cron, intervals: [] };
    compiled.set(key, entry);
  }
  return entry;
}

function nextCronAt(schedule: Extract<Schedule, { kind: 'cron' }>, afterAt: number): number | null {
  const { cron, intervals } = compiledOf(schedule);
  for (const i of intervals) if (i.fromAt <= afterAt && afterAt < i.nextAt) return i.nextAt;
  const nextAt = cron.nextRun(new Date(afterAt))?.getTime() ?? null;
  if (nextAt === null) return null;
  const same = intervals.find((i) => i.nextAt === nextAt);
  if (same !== undefined) same.fromAt = Math.min(same.fromAt, afterAt);
  else {
    if (intervals.length >= INTERVALS_MAX) intervals.shift();
    intervals.push({ fromAt: afterAt, nextAt });
  }
  return nextAt;
}

/**
 * When the next ping is expected, given the time `afterAt` the schedule counts from (the last
 * success, or when the monitor was armed). Strictly after `afterAt`; null when a cron pattern has no
 * future time.
 */
export function nextExpectedAt(schedule: Schedule, afterAt: number): number | null {
  if (schedule.kind === 'every') return afterAt + schedule.periodMs;
  return nextCronAt(schedule, afterAt);
}

// A fixed reference date keeps validation deterministic; every pattern without a year field that
// can match at all matches within a few years of any date.
const REFERENCE_AT = Date.UTC(2000, 0, 1);

/** Null when `expr` is a cron schedule that matches some time in `timezone`, else the problem. */
export function cronProblem(expr: string, timezone: string): string | null {
  const trimmed = expr.trim();
  const fields = trimmed.split(/\s+/).length;
  // croner also takes 7 fields (with a year) and ISO dates (a one-off job); neither is a schedule.
  if (!trimmed.startsWith('@') && fields !== 5 && fields !== 6) {
    return `invalid cron expression '${expr}': write 5 fields (minute hour day month weekday), 6 with seconds first, or a nickname like @daily`;
  }
  try {
    const next = new Cron(expr, { timezone, paused: true }).nextRun(new Date(REFERENCE_AT));
    return next === null ? `cron expression '${expr}' never matches` : null;
  } catch (error) {
    const reason =
      error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    return `invalid cron expression '${expr}': ${reason}`;
  }
}
