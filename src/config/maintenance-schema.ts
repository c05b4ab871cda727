// The `maintenance:` entries: a cron window (cron + timezone + for) or a one-off (from/until), at
// the top level (all monitors, or those with one of `tags`) and per monitor.
import { list } from '../schema-kit/collections.js';
import { object } from '../schema-kit/object.js';
import { located, optional } from '../schema-kit/schema.js';
import { duration, string } from '../schema-kit/scalars.js';
import { timeZoneProblem } from './schedule-checks.js';

const day = 86_400_000;

// 2026-03-29T02:00, with seconds, and an offset or Z or not (then a wall-clock time in `timezone`).
export const WALL_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?$/;

const wallTime = string({
  pattern: WALL_TIME,
  hint: 'write a date and time like 2026-03-29T02:00, optionally with an offset (Z, +01:00); without one it is read in timezone',
});

const tag = string({ pattern: /^[a-z0-9][a-z0-9_-]{0,99}$/, hint: 'a tag of some monitors' });

const windowFields = {
  cron: optional(
    located(string()),
    'A window opens at each time of this cron expression (in timezone), for the length given by for.',
  ),
  for: optional(
    duration({ above: 0, max: 31 * day }),
    "How long a cron window stays open, on the zone's wall clock (01:00 for 2h ends at 03:00 on a DST day too).",
  ),
  from: optional(located(wallTime), 'A one-off window opens at this time, e.g. 2026-03-29T01:00.'),
  until: optional(located(wallTime), 'A one-off window ends at this time.'),
  timezone: optional(
    string({ check: timeZoneProblem }),
    'IANA time zone of cron, and of from/until without an offset. Default: UTC.',
  ),
};

const windowOptions = {
  exactlyOne: ['cron', 'from'] as ('cron' | 'from')[],
  onlyWith: [
    ['cron', 'for', 'a cron window needs for: its length, e.g. for: 2h'],
    ['for', 'cron', 'for applies only to cron windows (a one-off one ends at until)'],
    ['from', 'until', 'a one-off window needs until: when it ends'],
    ['until', 'from', 'until applies only to one-off windows (with from)'],
  ] as const,
};

const windowDescription =
  'A maintenance window: transitions inside are recorded but not alerted; a monitor still down when it ends alerts then, once. Exactly one of cron (with for) and from (with until).';

export const monitorMaintenance = list(
  object(windowFields, { description: windowDescription, ...windowOptions }),
);

export const topMaintenance = list(
  object(
    {
      ...windowFields,
      tags: optional(
        list(tag, { uniqueItems: true }),
        'Only monitors with one of these tags. Default: every monitor.',
      ),
    },
    { description: windowDescription, ...windowOptions },
  ),
);
