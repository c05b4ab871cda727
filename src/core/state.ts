// The status machine: pings and deadlines in, new state and transitions out. Pure: every time is
// an argument, nothing here reads a clock.
import { nextExpectedAt } from './schedule.js';
import type {
  AlertEvent,
  MonitorSpec,
  MonitorState,
  PingInput,
  Reason,
  Status,
  Transition,
} from './types.js';

/** The next moment the monitor changes status on its own, unless a ping comes first. */
export interface Deadline {
  readonly at: number;
  readonly to: 'late' | 'down';
  /** The expected time that was (or will have been) missed. */
  readonly dueAt: number;
}

export interface Step {
  readonly state: MonitorState;
  readonly transitions: readonly Transition[];
}

export interface PingStep extends Step {
  /** Run time, when the ping ends the run its `start` began. */
  readonly durationMs: number | null;
}

export function initialState(firstSeenAt: number): MonitorState {
  return {
    status: 'new',
    firstSeenAt,
    changedAt: firstSeenAt,
    lastPingAt: null,
    lastSuccessAt: null,
    startedAt: null,
    runId: null,
  };
}

/**
 * When the monitor next goes late or down by itself.
 *
 * `activeSince` is when this process began receiving pings for the monitor (start-up, or the reload
 * that added it). A ping due before then may have been sent while nobody listened, so its down
 * deadline is pushed to at least one grace period after `activeSince`: a restart never causes a
 * false alert, and a monitor that stays silent still alerts.
 */
export function nextDeadline(
  spec: MonitorSpec,
  state: MonitorState,
  activeSince: number,
): Deadline | null {
  const dueAt = dueAtOf(spec, state);
  if (dueAt === null) return null;
  if (state.status === 'new' || state.status === 'up') return { at: dueAt, to: 'late', dueAt };
  const downAt = state.status === 'running' ? dueAt : dueAt + spec.graceMs;
  const floorAt = dueAt < activeSince ? activeSince + spec.graceMs : downAt;
  return { at: Math.max(downAt, floorAt), to: 'down', dueAt };
}

function dueAtOf(spec: MonitorSpec, state: MonitorState): number | null {
  switch (state.status) {
    case 'down':
    case 'paused':
      return null;
    case 'running':
      return (state.startedAt ?? state.changedAt) + spec.maxRuntimeMs;
    case 'new':
      return spec.waitForFirstPing ? null : nextExpectedAt(spec.schedule, state.firstSeenAt);
    case 'up':
    case 'late':
      return nextExpectedAt(spec.schedule, state.lastSuccessAt ?? state.firstSeenAt);
  }
}

/** Applies every deadline that is due at `now` (a late and a down can fall due together). */
export function onDeadline(
  spec: MonitorSpec,
  state: MonitorState,
  activeSince: number,
  now: number,
): Step {
  const transitions: Transition[] = [];
  let current = state;
  for (let d = nextDeadline(spec, current, activeSince); d !== null && d.at <= now;) {
    const t = transition(spec.slug, current.status, d.to, 'timeout', now, d.dueAt);
    transitions.push(t);
    current = { ...current, status: d.to, changedAt: now };
    d = nextDeadline(spec, current, activeSince);
  }
  return { state: current, transitions };
}

/** Applies one ping. A `log` ping is recorded by the caller and changes nothing here. */
export function onPing(spec: MonitorSpec, state: MonitorState, ping: PingInput): PingStep {
  if (ping.kind === 'log') return { state, transitions: [], durationMs: null };
  // A run ends with a success or failure carrying its rid, or with no rid at all; an end with
  // another rid belongs to an overlapping run and leaves the current one open.
  const endsRun =
    ping.kind !== 'start' &&
    state.startedAt !== null &&
    (ping.runId === null || ping.runId === state.runId);
  const durationMs = endsRun && state.startedAt !== null ? ping.at - state.startedAt : null;
  const next: MonitorState = {
    ...state,
    lastPingAt: ping.at,
    lastSuccessAt: ping.kind === 'success' ? ping.at : state.lastSuccessAt,
    startedAt: ping.kind === 'start' ? ping.at : endsRun ? null : state.startedAt,
    runId: ping.kind === 'start' ? ping.runId : endsRun ? null : state.runId,
  };
  const to = statusAfterPing(state.status, ping.kind, endsRun);
  if (to === state.status) return { state: next, transitions: [], durationMs };
  const reason: Reason = ping.kind === 'fail' ? 'fail' : 'ping';
  const t = transition(spec.slug, state.status, to, reason, ping.at, null);
  return { state: { ...next, status: to, changedAt: ping.at }, transitions: [t], durationMs };
}

function statusAfterPing(from: Status, kind: 'success' | 'start' | 'fail', endsRun: boolean) {
  if (from === 'paused') return from;
  if (kind === 'fail') return 'down';
  if (kind === 'start') return from === 'down' ? 'down' : 'running';
  return from === 'running' && !endsRun ? 'running' : 'up';
}

/** Which alert, if any, a transition sends: down, and recovery from down. */
export function alertOf(from: Status, to: Status): AlertEvent | null {
  if (to === 'down' && from !== 'down') return 'down';
  if (to === 'up' && from === 'down') return 'up';
  return null;
}

function transition(
  slug: string,
  from: Status,
  to: Status,
  reason: Reason,
  at: number,
  deadlineAt: number | null,
): Transition {
  return { slug, at, from, to, reason, deadlineAt, alert: alertOf(from, to) };
}
