// `group: { wait, max }` on any hook: its alerts due within `wait` of the first go out as one
// delivery of at most `max` (see alert/grouping.ts). Declared once here, beside `timeout`.
import type { HookGroup } from '../core/hook.js';
import { object } from '../schema-kit/object.js';
import { convert, located, optional, withDefault, type Located } from '../schema-kit/schema.js';
import { duration, integer } from '../schema-kit/scalars.js';
import type { Ctx } from '../schema-kit/walk-context.js';

/**
 * The longest wait: an alert held longer is no longer news, and a grouped alert must stay well
 * within the health check's default max-alert-age (10m), which counts the wait.
 */
export const GROUP_WAIT_MAX_MS = 5 * 60_000;
export const GROUP_MAX_ALERTS = 10_000;

const groupFields = object({
  wait: withDefault(
    duration({ above: 0, max: GROUP_WAIT_MAX_MS }),
    '10s',
    'How long after the first alert the others are collected before the group is sent, at most 5m. Default: 10s.',
  ),
  max: withDefault(
    integer({ min: 2, max: GROUP_MAX_ALERTS }),
    100,
    'The most alerts in one delivery (2 to 10000): with this many in hand the group is sent at once. Default: 100.',
  ),
});

const groupSchema = convert(groupFields, ({ wait, max }): HookGroup | undefined =>
  wait === undefined || max === undefined ? undefined : { waitMs: wait, max },
);

export const groupField = optional(
  located(groupSchema),
  'Group alerts: those due within `wait` of the first go out as one delivery (one webhook request with a JSON array, one command run with the array on stdin, one chat message listing them), at most `max` per delivery. Absent: one delivery per alert.',
);

/**
 * The group of a hook entry, or undefined; `problem` is the kind's reason it cannot group (a
 * webhook whose request has no JSON body), reported at `group:`.
 */
export function groupOf(
  group: Located<HookGroup> | undefined,
  problem: string | null,
  ctx: Ctx,
): HookGroup | undefined | null {
  if (group === undefined) return undefined;
  if (problem === null) return group.value;
  ctx.problem(group.node, group.path, problem);
  return null;
}
