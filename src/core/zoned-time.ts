// Wall-clock times in an IANA time zone, for maintenance windows that a person reads on a clock:
// "from 01:00 for 2h" ends at 03:00 on that clock, also on a day the clock jumps. Pure: Intl is
// part of the language, and every time is an argument.

// One formatter per zone: building one costs far more than using it.
const formatters = new Map<string, Intl.DateTimeFormat>();
const FORMATTERS_MAX = 1_000;
const HOUR_MS = 3_600_000;

function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    if (formatters.size >= FORMATTERS_MAX) formatters.clear();
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** How far `zone`'s wall clock is ahead of UTC at the instant `at` (ms; +3 600 000 for CET). */
function offsetAt(zone: string, at: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatterOf(zone).formatToParts(new Date(at))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(
    parts['year'] ?? 1970,
    (parts['month'] ?? 1) - 1,
    parts['day'] ?? 1,
    parts['hour'] ?? 0,
    parts['minute'] ?? 0,
    parts['second'] ?? 0,
  );
  // formatToParts has whole seconds: compare with the instant cut to its second.
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/** The wall-clock time of `at` in `zone`, as ms since 1970-01-01 00:00 on that clock. */
export function wallOf(zone: string, at: number): number {
  return at + offsetAt(zone, at);
}

/**
 * The instant a wall-clock time `wall` names in `zone`, as a person (and Temporal's `compatible`)
 * reads it: a time the clock repeats (fall-back) is its first occurrence; a time the clock skips
 * (spring-forward) is read with the offset before the jump, so 02:30 becomes 03:30 the same day.
 */
export function instantOf(zone: string, wall: number): number {
  // The offsets a few hours either side cover every change of offset there is (at most one a day).
  const before = offsetAt(zone, wall - 12 * HOUR_MS);
  const after = offsetAt(zone, wall + 12 * HOUR_MS);
  const first = wall - before;
  const second = wall - after;
  const valid = (at: number) => wallOf(zone, at) === wall;
  if (valid(first) && valid(second)) return Math.min(first, second);
  if (valid(first)) return first;
  if (valid(second)) return second;
  return first; // in the gap: the offset before the jump moves it forward by the jump's length
}
