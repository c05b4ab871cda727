// A step of the wall clock, taken out of a monitor's state. Every time in the state is an instant
// on the wall clock; after the wall clock stepped by `stepMs` (NTP, a person, a VM's clock set on
// restore), the same instants read `stepMs` later on it. Moving them all keeps the elapsed time
// since each (the last success, a run's start, a snooze, the last alert): `every`, grace,
// max-runtime and reminders count from them, so a step neither brings a deadline closer nor pushes
// it away. Cron times are then read on the new wall clock from the moved last success.
import { NO_RUNS } from './state.js';
import type { MonitorState } from './types.js';

export function rebaseState(state: MonitorState, stepMs: number): MonitorState {
  const moved = (at: number | null) => (at === null ? null : at + stepMs);
  // Every field named, none spread: a time added to MonitorState must be decided on here.
  return {
    status: state.status,
    firstSeenAt: state.firstSeenAt + stepMs,
    changedAt: state.changedAt + stepMs,
    lastPingAt: moved(state.lastPingAt),
    lastSuccessAt: moved(state.lastSuccessAt),
    runs:
      state.runs.length === 0
        ? NO_RUNS
        : state.runs.map((run) => ({ ...run, startedAt: run.startedAt + stepMs })),
    failures: state.failures,
    alerted: state.alerted,
    countFrom: moved(state.countFrom),
    alertedAt: moved(state.alertedAt),
    snoozedUntil: moved(state.snoozedUntil),
    resumedAt: moved(state.resumedAt),
    suppressedBy: state.suppressedBy,
    releasedAt: moved(state.releasedAt),
    heldUntil: moved(state.heldUntil),
  };
}
