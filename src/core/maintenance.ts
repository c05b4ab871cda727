// Maintenance windows: while one is open, transitions are recorded but not alerted; a down held
// back that is still down when the maintenance ends alerts then, once. Wraps dependencies.ts as
// that wraps control.ts: the status machine runs as usual and only alerts are decided here. The
// end is kept in the state (heldUntil), so a restart or a reload after it still sends the alert.
import { earliest } from './clock.js';
import * as linked from './dependencies.js';
import { changed, type PingStep, type Step } from './state.js';
import type { MonitorSpec, MonitorState, PingInput, Transition } from './types.js';
import { maintenanceEndAt } from './windows.js';

/** When the monitor next changes by itself: the wrapped deadline, or the end of a hold. */
export function deadlineAt(
  spec: MonitorSpec,
  state: MonitorState,
  activeSince: number,
): number | null {
  return earliest(linked.deadlineAt(spec, state, activeSince), state.heldUntil);
}

/** One ping; inside a maintenance window its transitions queue no alert but a recovery's. */
export function applyPing(
  spec: MonitorSpec,
  state: MonitorState,
  ping: PingInput,
  parentDown: string | null,
): PingStep {
  return held(spec, linked.applyPing(spec, state, ping, parentDown), state, ping.at);
}

/** Everything due at `now`: the end of a hold first, then the wrapped deadlines. */
export function applyDeadlines(
  spec: MonitorSpec,
  state: MonitorState,
  activeSince: number,
  now: number,
  parentDown: string | null,
): Step {
  const ended =
    state.heldUntil !== null && state.heldUntil <= now ? endHold(spec, state, now) : null;
  const from = ended?.state ?? state;
  const step = held(
    spec,
    linked.applyDeadlines(spec, from, activeSince, now, parentDown),
    from,
    now,
  );
  if (ended === null) return step;
  return { state: step.state, transitions: [...ended.transitions, ...step.transitions] };
}

/**
 * The config changed at `now` (a reload): a hold ends when the maintenance now configured ends, at
 * once when none is open any more. Null when nothing changes.
 */
export function rehold(spec: MonitorSpec, state: MonitorState, now: number): MonitorState | null {
  if (state.heldUntil === null || state.heldUntil <= now) return null;
  const until = maintenanceEndAt(spec.maintenance ?? [], now) ?? now;
  return until === state.heldUntil ? null : changed(state, { heldUntil: until });
}

/**
 * The hold ends at `now`: held again when another window is open now (a reload added one), else a
 * down the maintenance held back, that nothing else holds, alerts now, once.
 */
function endHold(spec: MonitorSpec, state: MonitorState, now: number): Step {
  const again = maintenanceEndAt(spec.maintenance ?? [], now);
  if (again !== null) return { state: changed(state, { heldUntil: again }), transitions: [] };
  const base = changed(state, { heldUntil: null });
  const { alertAfter, events } = spec.policy;
  // A parent's suppression, its release and a snooze each end with an alert of their own.
  const due =
    state.status === 'down' &&
    !state.alerted &&
    state.suppressedBy === null &&
    state.releasedAt === null &&
    (state.snoozedUntil === null || state.snoozedUntil <= now) &&
    state.failures >= alertAfter &&
    events.has('down');
  if (!due) return { state: base, transitions: [] };
  const t: Transition = {
    slug: spec.slug,
    at: now,
    from: 'down',
    to: 'down',
    reason: 'maintenance',
    deadlineAt: now,
    alert: 'down',
  };
  return { state: changed(base, { alerted: true, alertedAt: now }), transitions: [t] };
}

/**
 * A step taken at `at` inside a maintenance window queues no alert, except the recovery of a down
 * alerted before it (nobody is left believing it is still down). A down it keeps quiet stays
 * unalerted and is held until the maintenance ends. A step that leaves down ends any hold.
 */
function held<S extends Step>(spec: MonitorSpec, step: S, before: MonitorState, at: number): S {
  if (step.state.status !== 'down' && step.state.heldUntil !== null)
    step = { ...step, state: changed(step.state, { heldUntil: null }) };
  const muted = (t: Transition) => t.alert !== null && t.alert !== 'up';
  const windows = spec.maintenance;
  if (windows === undefined || windows.length === 0 || !step.transitions.some(muted)) return step;
  const until = maintenanceEndAt(windows, at);
  if (until === null) return step;
  const isDown = (t: Transition) => t.alert === 'down' || t.alert === 'start-overdue';
  const state: MonitorState = step.transitions.some(isDown)
    ? changed(step.state, { alerted: false, alertedAt: before.alertedAt, heldUntil: until })
    : step.state;
  const transitions = step.transitions.map((t) => (muted(t) ? { ...t, alert: null } : t));
  return { ...step, state, transitions };
}
