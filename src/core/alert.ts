// The alert a hook receives for a transition: a snapshot taken when the transition happens, so a
// delivery retried after a restart or a config edit still says what was true then.
import type { AlertEvent, MonitorState, Reason, Status, Transition } from './types.js';

export interface AlertPing {
  readonly at: string;
  readonly kind: string;
  readonly exit_status: number | null;
  readonly output: string | null;
  /** Run time when this ping ended a run begun with a start ping. */
  readonly duration_ms: number | null;
  /** The number sent with the ping (`value=` / `ping=`), when there was one. */
  readonly value: number | null;
}

export interface Alert {
  readonly event: AlertEvent;
  readonly monitor: { readonly slug: string; readonly name: string };
  readonly status: Status;
  readonly previous_status: Status;
  readonly reason: Reason;
  /** ISO 8601 time of the transition. */
  readonly at: string;
  /** The expected time that was missed, for a timeout. */
  readonly deadline: string | null;
  readonly transition_id: number;
  /** The ping that caused the transition; null for a timeout. */
  readonly ping: AlertPing | null;
  readonly last_ping_at: string | null;
  /** True on the sample alerts of `overdue test-alert`; absent on real ones. */
  readonly test?: boolean;
}

/** What a step of the status machine tells the alert: a ping step also knows the run's duration. */
export interface AlertStep {
  readonly state: Pick<MonitorState, 'lastPingAt'>;
  readonly durationMs?: number | null;
}

export function buildAlert(
  t: Transition & { readonly alert: AlertEvent },
  transitionId: number,
  monitorName: string,
  step: AlertStep,
  ping: AlertPing | null,
): Alert {
  return {
    event: t.alert,
    monitor: { slug: t.slug, name: monitorName },
    status: t.to,
    previous_status: t.from,
    reason: t.reason,
    at: iso(t.at),
    deadline: t.deadlineAt === null ? null : iso(t.deadlineAt),
    transition_id: transitionId,
    ping: ping === null ? null : { ...ping, duration_ms: step.durationMs ?? ping.duration_ms },
    last_ping_at: step.state.lastPingAt === null ? null : iso(step.state.lastPingAt),
  };
}

function iso(at: number): string {
  return new Date(at).toISOString();
}
