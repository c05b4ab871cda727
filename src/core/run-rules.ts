// min-runtime and early: rules a success must keep to count as one. A backup that "completed" in
// 2 s wrote nothing; a job that pings twice per period runs twice, or on a misconfigured timer.
// Pure: times are arguments.
import { nextExpectedAt } from './schedule.js';
import type { MonitorSpec, MonitorState } from './types.js';

/** Why a success is a failure: its run was too short, or it came too early. */
export type BrokenRule = 'too-short' | 'too-early';

/**
 * The time the schedule counts the next expected ping from, after a success at `successAt`.
 *
 * For cron with `early`, a success may come before the cron time it stands in for (01:55 for a
 * 02:00 job); the next cron time after the success would be that same 02:00, minutes later. So the
 * schedule counts from `early` after the success: the next cron time is then the following run.
 * `every` counts from the success itself (a period since the last success).
 */
export function countFromSuccess(spec: MonitorSpec, successAt: number): number {
  return spec.schedule.kind === 'cron' && spec.earlyMs !== null
    ? successAt + spec.earlyMs
    : successAt;
}

/**
 * The expected time a success at this state is measured against for `early`, or null when there
 * is none to judge by: a new monitor (the first ping may come at any time) or one resumed since its
 * last success (the schedule restarted from the resume).
 */
function expectedForEarly(spec: MonitorSpec, state: MonitorState): number | null {
  const last = state.lastSuccessAt;
  if (spec.earlyMs === null || last === null || (state.resumedAt ?? 0) > last) return null;
  return nextExpectedAt(spec.schedule, countFromSuccess(spec, last));
}

/**
 * The rule a success at `at` breaks, or null. `durationMs` is the run it ends (null without one):
 * shorter than min-runtime is too short; exactly min-runtime is enough. More than `early` before
 * the expected time is too early; exactly `early` before is within the window.
 */
export function brokenRule(
  spec: MonitorSpec,
  state: MonitorState,
  at: number,
  durationMs: number | null,
): { rule: BrokenRule; expectedAt: number | null } | null {
  if (spec.minRuntimeMs !== null && durationMs !== null && durationMs < spec.minRuntimeMs) {
    return { rule: 'too-short', expectedAt: null };
  }
  const expectedAt = expectedForEarly(spec, state);
  if (expectedAt !== null && spec.earlyMs !== null && at < expectedAt - spec.earlyMs) {
    return { rule: 'too-early', expectedAt };
  }
  return null;
}
