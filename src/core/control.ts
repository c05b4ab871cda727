// Pause, resume and snooze: what an operator does to a monitor, and the snooze that holds alerts
// back. Pure, like state.ts, whose pings and deadlines it wraps so that a snoozed monitor changes
// status as usual but queues no alert until the snooze ends.
import { earliest } from './clock.js';
import { changed, nextDeadline, onDeadline, onPing, type PingStep, type Step } from './state.js';
import type { MonitorSpec, MonitorState, PingInput, Reason, Status, Transition } from './types.js';

/** An action's result: the step to write, or why it does not apply (answered 409). */
export type ActionStep = Step | { readonly conflict: string };

/** Stops alerts and deadlines until resumed; pings are still recorded. Ends any snooze. */
export function pause(spec: MonitorSpec, state: MonitorState, now: number): ActionStep {
  if (state.status === 'paused') return { conflict: 'the monitor is already paused' };
  const t = mark(spec, state.status, 'paused', 'pause', now);
  const next = changed(state, { status: 'paused', changedAt: now, snoozedUntil: null });
  return { state: next, transitions: [t] };
}

/**
 * Resumes a paused monitor, armed from now: the next ping is expected one period after the later
 * of the last success and now, so nothing that passed while paused alerts. Of a snoozed monitor,
 * ends the snooze early.
 */
export function resume(spec: MonitorSpec, state: MonitorState, now: number): ActionStep {
  if (state.status === 'paused') {
    const to: Status = state.lastSuccessAt === null ? 'new' : 'up';
    const next = changed(state, {
      status: to,
      changedAt: now,
      resumedAt: now,
      failures: 0,
      alerted: false,
      countFrom: null,
      alertedAt: null,
    });
    return { state: next, transitions: [mark(spec, 'paused', to, 'resume', now)] };
  }
  if (state.snoozedUntil !== null) return endSnooze(spec, state, now, 'resume');
  return { conflict: 'the monitor is neither paused nor snoozed' };
}

/** Holds alerts back for `durationMs` from now (a new snooze replaces the current one). */
export function snooze(
  spec: MonitorSpec,
  state: MonitorState,
  now: number,
  durationMs: number,
): ActionStep {
  if (state.status === 'paused') return { conflict: 'the monitor is paused; resume it instead' };
  const t = mark(spec, state.status, state.status, 'snooze', now);
  return { state: changed(state, { snoozedUntil: now + durationMs }), transitions: [t] };
}

/** When the monitor next changes by itself: a deadline of the status machine, or a snooze end. */
export function deadlineAt(
  spec: MonitorSpec,
  state: MonitorState,
  activeSince: number,
): number | null {
  return earliest(nextDeadline(spec, state, activeSince)?.at ?? null, state.snoozedUntil);
}

/** Applies one ping; while snoozed, its transitions queue no alert. */
export function applyPing(spec: MonitorSpec, state: MonitorState, ping: PingInput): PingStep {
  return muted(onPing(spec, state, ping), state, ping.at);
}

/** Applies everything due at `now`: the end of a snooze first, then the status machine's deadlines. */
export function applyDeadlines(
  spec: MonitorSpec,
  state: MonitorState,
  activeSince: number,
  now: number,
): Step {
  const ended =
    state.snoozedUntil !== null && state.snoozedUntil <= now
      ? endSnooze(spec, state, now, 'snooze')
      : { state, transitions: [] };
  const step = muted(onDeadline(spec, ended.state, activeSince, now), ended.state, now);
  return { state: step.state, transitions: [...ended.transitions, ...step.transitions] };
}

/**
 * Ends a snooze. Silence is never lost: a down the snooze kept quiet, that would have alerted, is
 * alerted now. Ended by resume, it is recorded as a transition even when nothing was held back.
 */
function endSnooze(spec: MonitorSpec, state: MonitorState, now: number, reason: Reason): Step {
  const { alertAfter, events } = spec.policy;
  // A down a parent suppresses (depends-on), or one released a grace ago, is not the snooze's to
  // alert: the end of its release does that.
  const held =
    state.status === 'down' &&
    !state.alerted &&
    state.suppressedBy === null &&
    state.releasedAt === null &&
    state.failures >= alertAfter &&
    events.has('down');
  const next = held
    ? changed(state, { snoozedUntil: null, alerted: true, alertedAt: now })
    : changed(state, { snoozedUntil: null });
  if (!held && reason !== 'resume') return { state: next, transitions: [] };
  const t = mark(spec, state.status, state.status, reason, now);
  return { state: next, transitions: [held ? { ...t, alert: 'down' } : t] };
}

/**
 * A step taken at `at` while `before` was snoozed queues no alert; a down it keeps quiet stays
 * unalerted, so the end of the snooze alerts it.
 */
function muted<S extends Step>(step: S, before: MonitorState, at: number): S {
  const until = before.snoozedUntil;
  if (until === null || at >= until || step.transitions.every((t) => t.alert === null)) return step;
  const heldDown = step.transitions.some((t) => t.alert === 'down' || t.alert === 'start-overdue');
  const state = heldDown
    ? changed(step.state, { alerted: false, alertedAt: before.alertedAt })
    : step.state;
  const transitions = step.transitions.map((t) => ({ ...t, alert: null }));
  return { ...step, state, transitions };
}

function mark(spec: MonitorSpec, from: Status, to: Status, reason: Reason, at: number): Transition {
  return { slug: spec.slug, at, from, to, reason, deadlineAt: null, alert: null };
}
