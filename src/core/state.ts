// The status machine: pings and deadlines in, new state and transitions out. Pure: every time is
// an argument, nothing here reads a clock. Which transitions alert follows the monitor's policy.
import { brokenRule, countFromSuccess, type BrokenRule } from './run-rules.js';
import { nextExpectedAt } from './schedule.js';
import type {
  AlertEvent,
  MonitorSpec,
  MonitorState,
  OpenRun,
  PingInput,
  Reason,
  Status,
  Transition,
} from './types.js';

/** The next moment the monitor changes by itself, unless a ping comes first. */
export interface Deadline {
  readonly at: number;
  /** late: grace starts; down: grace or max-runtime ends; miss: one more expected ping missed
   *  while down and not yet alerted (alert-after); reminder: `repeat` while down. */
  readonly kind: 'late' | 'down' | 'miss' | 'reminder';
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

/**
 * Open runs kept per monitor. Jobs that overlap (a slow run still going when the next starts) are
 * timed run by run; a job that starts runs and never ends them must not grow a monitor's state
 * without bound, so past this many the oldest is forgotten (its end then records no duration).
 */
export const MAX_OPEN_RUNS = 50;
/** No open runs: one shared empty list, so an unchanged state keeps its identity. */
export const NO_RUNS: readonly OpenRun[] = Object.freeze([]);

export function initialState(firstSeenAt: number): MonitorState {
  return {
    status: 'new',
    firstSeenAt,
    changedAt: firstSeenAt,
    lastPingAt: null,
    lastSuccessAt: null,
    runs: NO_RUNS,
    failures: 0,
    alerted: false,
    countFrom: null,
    alertedAt: null,
    snoozedUntil: null,
    resumedAt: null,
    suppressedBy: null,
    releasedAt: null,
    heldUntil: null,
  };
}

/**
 * `state` with `changes` made (a field left out, or undefined, stays as it is): every state is
 * built here, as one literal with the fields in the order of initialState, so that all states
 * share one shape. A spread with overrides (`{ ...state, status }`) takes V8's generic path: with
 * the two a success ping made, its step took 1.42 µs, and 0.15 µs through this
 * (scripts/bench/ping-parts.mjs, applyPing).
 */
export function changed(state: MonitorState, changes: Partial<MonitorState>): MonitorState {
  const c = changes;
  return {
    status: c.status === undefined ? state.status : c.status,
    firstSeenAt: c.firstSeenAt === undefined ? state.firstSeenAt : c.firstSeenAt,
    changedAt: c.changedAt === undefined ? state.changedAt : c.changedAt,
    lastPingAt: c.lastPingAt === undefined ? state.lastPingAt : c.lastPingAt,
    lastSuccessAt: c.lastSuccessAt === undefined ? state.lastSuccessAt : c.lastSuccessAt,
    runs: c.runs === undefined ? state.runs : c.runs,
    failures: c.failures === undefined ? state.failures : c.failures,
    alerted: c.alerted === undefined ? state.alerted : c.alerted,
    countFrom: c.countFrom === undefined ? state.countFrom : c.countFrom,
    alertedAt: c.alertedAt === undefined ? state.alertedAt : c.alertedAt,
    snoozedUntil: c.snoozedUntil === undefined ? state.snoozedUntil : c.snoozedUntil,
    resumedAt: c.resumedAt === undefined ? state.resumedAt : c.resumedAt,
    suppressedBy: c.suppressedBy === undefined ? state.suppressedBy : c.suppressedBy,
    releasedAt: c.releasedAt === undefined ? state.releasedAt : c.releasedAt,
    heldUntil: c.heldUntil === undefined ? state.heldUntil : c.heldUntil,
  };
}

/**
 * When the monitor next changes by itself.
 *
 * `activeSince` is when this process began receiving this monitor's pings (start-up, or the reload
 * that added it). A ping due before then may have been sent while nobody listened, so the deadline
 * that would alert is pushed to at least one grace period after `activeSince`: a restart never
 * causes a false alert, and a monitor that stays silent still alerts.
 */
export function nextDeadline(
  spec: MonitorSpec,
  state: MonitorState,
  activeSince: number,
): Deadline | null {
  const floored = (dueAt: number, at: number, kind: 'down' | 'miss'): Deadline => {
    const floor = dueAt < activeSince ? activeSince + spec.graceMs : at;
    return { at: Math.max(at, floor), kind, dueAt };
  };
  switch (state.status) {
    case 'paused':
      return null;
    case 'down':
      return whileDown(spec, state, floored);
    case 'running': {
      // The oldest run still watched is the first to pass max-runtime.
      const watched = state.runs.find((run) => !run.overdue);
      const dueAt = (watched?.startedAt ?? state.changedAt) + spec.maxRuntimeMs;
      return floored(dueAt, dueAt, 'down');
    }
    case 'new':
    case 'up':
    case 'late': {
      if (state.status === 'new' && spec.waitForFirstPing) return null;
      const last = state.lastSuccessAt;
      const counted = last === null ? state.firstSeenAt : countFromSuccess(spec, last);
      const from = Math.max(counted, state.resumedAt ?? 0);
      const dueAt = nextExpectedAt(spec.schedule, from);
      if (dueAt === null) return null;
      if (state.status !== 'late') return { at: dueAt, kind: 'late', dueAt };
      return floored(dueAt, dueAt + spec.graceMs, 'down');
    }
  }
}

function whileDown(
  spec: MonitorSpec,
  state: MonitorState,
  floored: (dueAt: number, at: number, kind: 'miss') => Deadline,
): Deadline | null {
  const { alertAfter, repeatMs } = spec.policy;
  if (!state.alerted && state.failures < alertAfter && state.countFrom !== null) {
    const dueAt = nextExpectedAt(spec.schedule, state.countFrom);
    return dueAt === null ? null : floored(dueAt, dueAt + spec.graceMs, 'miss');
  }
  if (state.alerted && repeatMs !== null && state.alertedAt !== null) {
    const at = state.alertedAt + repeatMs;
    return { at, kind: 'reminder', dueAt: at };
  }
  return null;
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
    const step = applyDeadline(spec, current, d, now);
    transitions.push(...step.transitions);
    current = step.state;
    d = nextDeadline(spec, current, activeSince);
  }
  return { state: current, transitions };
}

function applyDeadline(spec: MonitorSpec, state: MonitorState, d: Deadline, now: number): Step {
  switch (d.kind) {
    case 'late': {
      const alert = spec.policy.events.has('late') ? 'late' : null;
      const t = transition(spec, state.status, 'late', 'timeout', now, d.dueAt, alert);
      return { state: changed(state, { status: 'late', changedAt: now }), transitions: [t] };
    }
    case 'down':
    case 'miss': {
      // Runs past max-runtime are reported once (this down) and no longer watched.
      const runs =
        state.status === 'running' ? markOverdue(state.runs, now - spec.maxRuntimeMs) : state.runs;
      return failure(spec, changed(state, { runs }), 'timeout', now, d.dueAt, d.dueAt);
    }
    case 'reminder': {
      const t = transition(spec, 'down', 'down', 'reminder', now, null, 'reminder');
      return { state: changed(state, { alertedAt: now }), transitions: [t] };
    }
  }
}

/**
 * One more failure or miss: the monitor is (or stays) down, and alerts once `alert-after` is
 * reached; while already alerted, a failure ping alerts only as `fail`.
 */
function failure(
  spec: MonitorSpec,
  state: MonitorState,
  reason: 'timeout' | 'fail' | BrokenRule,
  now: number,
  deadlineAt: number | null,
  countFrom: number,
): Step {
  const { events, alertAfter } = spec.policy;
  const failures = state.failures + 1;
  const wasDown = state.status === 'down';
  const overdueRun = state.status === 'running' && reason === 'timeout';
  let alert: AlertEvent | null = null;
  if (wasDown && state.alerted) alert = reason !== 'timeout' && events.has('fail') ? 'fail' : null;
  else if (failures >= alertAfter && events.has('down'))
    alert = overdueRun ? 'start-overdue' : 'down';
  else if (failures >= alertAfter && overdueRun && events.has('start-overdue'))
    alert = 'start-overdue';
  const alerted = state.alerted || (alert !== null && alert !== 'fail');
  const next = changed(state, {
    status: 'down',
    changedAt: wasDown ? state.changedAt : now,
    failures,
    alerted,
    countFrom,
    alertedAt: alert === 'down' || alert === 'start-overdue' ? now : state.alertedAt,
  });
  // A down that stays down without an alert is a state change, not a transition.
  const quiet = wasDown && alert === null;
  const ts = quiet ? [] : [transition(spec, state.status, 'down', reason, now, deadlineAt, alert)];
  return { state: next, transitions: ts };
}

/** Applies one ping. A `log` ping is recorded by the caller and changes nothing here. */
export function onPing(spec: MonitorSpec, state: MonitorState, ping: PingInput): PingStep {
  if (ping.kind === 'log') return { state, transitions: [], durationMs: null };
  const ended = ping.kind === 'start' ? null : endRun(state.runs, ping);
  const durationMs = ping.durationMs ?? (ended === null ? null : ping.at - ended.run.startedAt);
  const pinged = changed(state, {
    lastPingAt: ping.at,
    runs: ping.kind === 'start' ? startRun(state.runs, ping) : (ended?.runs ?? state.runs),
  });
  if (state.status === 'paused') {
    if (ping.kind !== 'success') return { state: pinged, transitions: [], durationMs };
    return { state: changed(pinged, { lastSuccessAt: ping.at }), transitions: [], durationMs };
  }
  // A success that breaks min-runtime or early is a failure, with the rule as its reason.
  const broken = ping.kind === 'success' ? brokenRule(spec, state, ping.at, durationMs) : null;
  const step =
    ping.kind === 'fail' || broken !== null
      ? failure(spec, pinged, broken?.rule ?? 'fail', ping.at, broken?.expectedAt ?? null, ping.at)
      : ping.kind === 'start'
        ? started(spec, pinged, ping.at)
        : succeeded(spec, pinged, ping.at);
  // Named, not spread: this runs for every ping.
  return { state: step.state, transitions: step.transitions, durationMs };
}

function started(spec: MonitorSpec, state: MonitorState, at: number): Step {
  if (state.status === 'down' || state.status === 'running') return { state, transitions: [] };
  const t = transition(spec, state.status, 'running', 'ping', at, null, null);
  return { state: changed(state, { status: 'running', changedAt: at }), transitions: [t] };
}

/** A run begins: kept beside the open ones (a start with the rid of an open run restarts it). */
function startRun(runs: readonly OpenRun[], ping: PingInput): readonly OpenRun[] {
  const others = ping.runId === null ? runs : runs.filter((run) => run.runId !== ping.runId);
  const next = [...others, { startedAt: ping.at, runId: ping.runId, overdue: false }];
  return next.length > MAX_OPEN_RUNS ? next.slice(next.length - MAX_OPEN_RUNS) : next;
}

/**
 * The run an end closes: the open run with its rid, or without a rid the newest open run; null
 * when none matches (an end with an unknown rid leaves the open runs as they are).
 */
function endRun(
  runs: readonly OpenRun[],
  ping: PingInput,
): { run: OpenRun; runs: readonly OpenRun[] } | null {
  const i =
    ping.runId === null ? runs.length - 1 : runs.findIndex((run) => run.runId === ping.runId);
  const run = runs[i];
  if (run === undefined) return null;
  return { run, runs: runs.length === 1 ? NO_RUNS : runs.filter((_, j) => j !== i) };
}

/** The runs started at or before `before` are marked as reported overdue. */
function markOverdue(runs: readonly OpenRun[], before: number): readonly OpenRun[] {
  return runs.map((run) =>
    run.overdue || run.startedAt > before ? run : { ...run, overdue: true },
  );
}

function succeeded(spec: MonitorSpec, state: MonitorState, at: number): Step {
  // Running while a watched run is still open; a run already reported overdue does not hold it.
  const to: Status = state.runs.some((run) => !run.overdue) ? 'running' : 'up';
  const cleared = changed(state, {
    lastSuccessAt: at,
    failures: 0,
    alerted: false,
    countFrom: null,
    alertedAt: null,
  });
  if (to === state.status) return { state: cleared, transitions: [] };
  const recovery = state.status === 'down' && state.alerted && spec.policy.events.has('up');
  const t = transition(spec, state.status, to, 'ping', at, null, recovery ? 'up' : null);
  return { state: changed(cleared, { status: to, changedAt: at }), transitions: [t] };
}

function transition(
  spec: MonitorSpec,
  from: Status,
  to: Status,
  reason: Reason,
  at: number,
  deadlineAt: number | null,
  alert: AlertEvent | null,
): Transition {
  return { slug: spec.slug, at, from, to, reason, deadlineAt, alert };
}
