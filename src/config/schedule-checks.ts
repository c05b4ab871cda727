// Cached checks of time zones and cron expressions (the cron check itself lives with the rest of
// the croner use, in core/schedule.ts). Each distinct value is checked once per process:
// a file with 100 000 monitors uses a handful of zones and expressions.
import { cronProblem as checkCron } from '../core/schedule.js';

const zones = new Map<string, boolean>();
const crons = new Map<string, string | null>();
// Caches are keyed by what users write; the cap keeps a long-running daemon's reloads bounded.
const cacheLimit = 10_000;

/** Null when `tz` is an IANA time zone Intl knows, else the problem. */
export function timeZoneProblem(tz: string): string | null {
  let valid = zones.get(tz);
  if (valid === undefined) {
    valid = isTimeZone(tz);
    remember(zones, tz, valid);
  }
  return valid ? null : `unknown time zone '${tz}' (use an IANA name like Europe/Berlin or UTC)`;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Null when croner accepts `expr` in `timezone` and it matches some time, else the problem. */
export function cronProblem(expr: string, timezone: string): string | null {
  const key = `${expr}\u0000${timezone}`;
  let problem = crons.get(key);
  if (problem === undefined) {
    problem = checkCron(expr, timezone);
    remember(crons, key, problem);
  }
  return problem;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= cacheLimit) cache.clear();
  cache.set(key, value);
}
