// From `maintenance:` values to the core's MaintenanceWindow: the cron expression checked in its
// zone, one-off times read (in their zone when they carry no offset), until after from. Each
// problem is reported where it was written.
import type { MaintenanceWindow } from '../core/types.js';
import { instantOf } from '../core/zoned-time.js';
import type { Located } from '../schema-kit/schema.js';
import type { Ctx } from '../schema-kit/walk-context.js';
import { WALL_TIME } from './maintenance-schema.js';
import { cronProblem } from './schedule-checks.js';

export interface WindowValue {
  readonly cron?: Located<string> | undefined;
  readonly for?: number | undefined;
  readonly from?: Located<string> | undefined;
  readonly until?: Located<string> | undefined;
  readonly timezone?: string | undefined;
}

interface TopWindowValue extends WindowValue {
  readonly tags?: readonly string[] | undefined;
}

/** A top-level window and the tags it applies to (null: every monitor). */
export interface TopWindow {
  readonly window: MaintenanceWindow;
  readonly tags: readonly string[] | null;
}

/** The windows of `values`; a window with a problem is reported to ctx and left out. */
export function toWindows(values: readonly WindowValue[], ctx: Ctx): MaintenanceWindow[] {
  return values.flatMap((v) => toWindow(v, ctx) ?? []);
}

export function toTopWindows(values: readonly TopWindowValue[], ctx: Ctx): TopWindow[] {
  return values.flatMap((v) => {
    const window = toWindow(v, ctx);
    return window === undefined ? [] : [{ window, tags: v.tags ?? null }];
  });
}

/** A monitor's windows: its own, then the top level's that apply to one of its tags. */
export function windowsOf(
  own: readonly MaintenanceWindow[],
  top: readonly TopWindow[],
  tags: readonly string[],
): readonly MaintenanceWindow[] {
  const shared = top.filter((t) => t.tags === null || t.tags.some((tag) => tags.includes(tag)));
  return shared.length === 0 ? own : [...own, ...shared.map((t) => t.window)];
}

function toWindow(v: WindowValue, ctx: Ctx): MaintenanceWindow | undefined {
  const timezone = v.timezone ?? 'UTC';
  if (v.cron !== undefined && v.for !== undefined) {
    const problem = cronProblem(v.cron.value, timezone);
    if (problem === null) return { kind: 'cron', expr: v.cron.value, timezone, forMs: v.for };
    ctx.problem(v.cron.node, v.cron.path, problem);
    return undefined;
  }
  if (v.from === undefined || v.until === undefined) return undefined;
  const fromAt = instantIn(v.from.value, timezone);
  const untilAt = instantIn(v.until.value, timezone);
  if (fromAt === null) return badTime(v.from, ctx);
  if (untilAt === null) return badTime(v.until, ctx);
  if (untilAt > fromAt) return { kind: 'once', fromAt, untilAt };
  ctx.problem(v.until.node, v.until.path, `until must be after from (${v.from.value})`);
  return undefined;
}

function badTime(v: Located<string>, ctx: Ctx): undefined {
  ctx.problem(v.node, v.path, `'${v.value}' is not a date and time that exists`);
  return undefined;
}

/** The instant `text` names: with its offset, or else on the wall clock of `zone`. */
function instantIn(text: string, zone: string): number | null {
  const m = WALL_TIME.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, offset] = m.map((part) => part ?? '');
  const wall = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +(s || '0'));
  // Date.UTC rolls 2026-02-30 over into March: such a date does not exist.
  if (new Date(wall).getUTCDate() !== +d! || +h! > 23 || +mi! > 59) return null;
  if (offset === '') return instantOf(zone, wall);
  if (offset === 'Z') return wall;
  const sign = offset!.startsWith('-') ? -1 : 1;
  const [oh, om] = offset!.slice(1).split(':').map(Number);
  return wall - sign * ((oh ?? 0) * 60 + (om ?? 0)) * 60_000;
}
