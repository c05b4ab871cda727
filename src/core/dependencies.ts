// depends-on: a child's down while a parent is down is recorded as suppressed, not alerted; when
// the parent recovers, a child still down alerts once, one grace (its own) later. Wraps control.ts
// as control.ts wraps state.ts: the status machine runs as usual and only alerts are decided here.
// Pure: which parent is down is an argument, found by the engine in the state it is writing.
import { earliest } from './clock.js';
import * as control from './control.js';
import { changed, type PingStep, type Step } from './state.js';
import type { MonitorSpec, MonitorState, PingInput, Transition } from './types.js';

/** When the monitor next changes by itself: control's deadline, or the end of a release. */
export function deadlineAt(
  spec: MonitorSpec,
  state: MonitorState,
  activeSince: number,
): number | null {
  return earliest(control.deadlineAt(spec, state, activeSince), releaseAt(spec, state));
}

/** One ping; `parentDown` is the first of the monitor's parents that is down, or null. */
export function applyPing(
  spec: MonitorSpec,
  state: MonitorState,
  ping: PingInput,
  parentDown: string | null,
): PingStep {
  return suppressed(control.applyPing(spec, state, ping), state, parentDown);
}

/** Everything due at `now`: the end of a release first, then control's deadlines. */
export function applyDeadlines(
  spec: MonitorSpec,
  state: MonitorState,
  activeSince: number,
  now: number,
  parentDown: string | null,
): Step {
  const at = releaseAt(spec, state);
  const ended = at !== null && at <= now ? endRelease(spec, state, now, parentDown) : null;
  const from = ended?.state ?? state;
  const step = suppressed(control.applyDeadlines(spec, from, activeSince, now), from, parentDown);
  if (ended === null) return step;
  return { state: step.state, transitions: [...ended.transitions, ...step.transitions] };
}

/**
 * Parent `parent` left down at `now`: a child whose down it suppressed is released, and alerts one
 * grace later if still down (a child's pings may have stopped because the parent was down, and
 * need one period of grace to come back). Null when the child is not held by this parent.
 */
export function release(state: MonitorState, parent: string, now: number): MonitorState | null {
  if (state.suppressedBy !== parent || state.releasedAt !== null || state.status !== 'down')
    return null;
  // suppressedBy stays until the release ends: the alert then names the parent.
  return changed(state, { releasedAt: now });
}

function releaseAt(spec: MonitorSpec, state: MonitorState): number | null {
  return state.releasedAt === null ? null : state.releasedAt + spec.graceMs;
}

/**
 * The release ends, the child still down: suppressed again by a parent that is down now, held by a
 * snooze (whose end alerts it), or else alerted now, once.
 */
function endRelease(
  spec: MonitorSpec,
  state: MonitorState,
  now: number,
  parentDown: string | null,
): Step {
  const base = changed(state, { suppressedBy: null, releasedAt: null });
  if (parentDown !== null)
    return { state: changed(base, { suppressedBy: parentDown }), transitions: [] };
  if (state.alerted || (state.snoozedUntil !== null && now < state.snoozedUntil))
    return { state: base, transitions: [] };
  const t: Transition = {
    slug: spec.slug,
    at: now,
    from: 'down',
    to: 'down',
    reason: 'released',
    deadlineAt: now,
    alert: 'down',
    parent: state.suppressedBy,
  };
  return { state: changed(base, { alerted: true, alertedAt: now }), transitions: [t] };
}

/**
 * A step taken while a parent is down queues no down alert: the down is recorded with the parent
 * that suppressed it, and stays unalerted (so no recovery alert either). A step that leaves down
 * ends any suppression or release.
 */
function suppressed<S extends Step>(step: S, before: MonitorState, parentDown: string | null): S {
  if (step.state.status !== 'down') {
    const { suppressedBy, releasedAt } = step.state;
    if (suppressedBy === null && releasedAt === null) return step;
    return { ...step, state: changed(step.state, { suppressedBy: null, releasedAt: null }) };
  }
  const isDown = (t: Transition) => t.alert === 'down' || t.alert === 'start-overdue';
  if (parentDown === null || !step.transitions.some(isDown)) return step;
  const state = changed(step.state, {
    alerted: false,
    alertedAt: before.alertedAt,
    suppressedBy: parentDown,
    releasedAt: null,
  });
  const transitions = step.transitions.map((t) =>
    isDown(t) ? { ...t, alert: null, parent: parentDown } : t,
  );
  return { ...step, state, transitions };
}
