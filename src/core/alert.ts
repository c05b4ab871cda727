// The alert a hook receives for a transition: a snapshot taken when the transition happens, so a
// delivery retried after a restart or a config edit still says what was true then.
import type { AlertEvent, Reason, Status, Transition } from './types.js';

export interface AlertPing {
  readonly at: string;
  readonly kind: string;
  readonly exit_status: number | null;
  readonly output: string | null;
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
  /** The ping that caused the transition, or the last one before a timeout. */
  readonly ping: AlertPing | null;
  readonly last_ping_at: string | null;
}

export function buildAlert(
  t: Transition & { readonly alert: AlertEvent },
  transitionId: number,
  monitorName: string,
  lastPingAt: number | null,
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
    ping,
    last_ping_at: lastPingAt === null ? null : iso(lastPingAt),
  };
}

function iso(at: number): string {
  return new Date(at).toISOString();
}
