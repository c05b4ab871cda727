// The alert a hook receives for a transition: a snapshot taken when the transition happens, so a
// delivery retried after a restart or a config edit still says what was true then.
import type {
  AlertEvent,
  MonitorSpec,
  MonitorState,
  Reason,
  Schedule,
  Status,
  Transition,
} from './types.js';

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

/** What the monitor expected when the transition happened: its schedule, grace and max-runtime. */
export interface AlertSchedule {
  /** The period of an `every` schedule; null for a cron schedule. */
  readonly every_ms: number | null;
  /** The expression and IANA zone of a cron schedule; null for an `every` schedule. */
  readonly cron: string | null;
  readonly timezone: string | null;
  readonly grace_ms: number;
  readonly max_runtime_ms: number;
  /** Present only when the monitor sets min-runtime or early. */
  readonly min_runtime_ms?: number;
  readonly early_ms?: number;
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
  /**
   * When the monitor went down, for an alert while it is down or one that ends a down (a
   * recovery); null otherwise. Absent in alerts queued by an older version, as is `schedule`.
   */
  readonly down_since?: string | null;
  readonly schedule?: AlertSchedule;
  /** True on the sample alerts of `overdue test-alert`; absent on real ones. */
  readonly test?: boolean;
  /**
   * True on a down sent from memory while the database could not be written: not yet in the
   * history, so its `transition_id` is 0. Absent on every other alert.
   */
  readonly unrecorded?: boolean;
  /** The parent (depends-on) whose recovery released this down (reason `released`). */
  readonly parent?: string;
}

/** The monitor as the alert names and describes it. */
export type AlertMonitor = Pick<MonitorSpec, 'slug' | 'schedule' | 'graceMs' | 'maxRuntimeMs'> &
  Partial<Pick<MonitorSpec, 'minRuntimeMs' | 'earlyMs'>> & {
    readonly name: string;
  };

/**
 * What a step of the status machine tells the alert: the state after it, the state before it (a
 * recovery's down began then), and for a ping step the run's duration.
 */
export interface AlertStep {
  readonly before: Pick<MonitorState, 'status' | 'changedAt'>;
  readonly state: Pick<MonitorState, 'status' | 'changedAt' | 'lastPingAt'>;
  readonly durationMs?: number | null;
}

export function buildAlert(
  t: Transition & { readonly alert: AlertEvent },
  transitionId: number,
  monitor: AlertMonitor,
  step: AlertStep,
  ping: AlertPing | null,
): Alert {
  const downSince = downSinceOf(t, step);
  return {
    event: t.alert,
    monitor: { slug: t.slug, name: monitor.name },
    status: t.to,
    previous_status: t.from,
    reason: t.reason,
    at: iso(t.at),
    deadline: t.deadlineAt === null ? null : iso(t.deadlineAt),
    transition_id: transitionId,
    ping: ping === null ? null : { ...ping, duration_ms: step.durationMs ?? ping.duration_ms },
    last_ping_at: step.state.lastPingAt === null ? null : iso(step.state.lastPingAt),
    down_since: downSince === null ? null : iso(downSince),
    ...(t.parent == null ? {} : { parent: t.parent }),
    schedule: {
      ...alertSchedule(monitor.schedule, monitor.graceMs, monitor.maxRuntimeMs),
      ...(monitor.minRuntimeMs == null ? {} : { min_runtime_ms: monitor.minRuntimeMs }),
      ...(monitor.earlyMs == null ? {} : { early_ms: monitor.earlyMs }),
    },
  };
}

/**
 * A down keeps the time it began as its state's `changedAt` while it lasts (further failures,
 * reminders), so: the state after the step for a transition into down, the state before it for a
 * transition out of down.
 */
function downSinceOf(t: Transition, step: AlertStep): number | null {
  if (t.to === 'down') return step.state.status === 'down' ? step.state.changedAt : t.at;
  if (t.from === 'down' && step.before.status === 'down') return step.before.changedAt;
  return null;
}

export function alertSchedule(
  schedule: Schedule,
  graceMs: number,
  maxRuntimeMs: number,
): AlertSchedule {
  const every = schedule.kind === 'every';
  return {
    every_ms: every ? schedule.periodMs : null,
    cron: every ? null : schedule.expr,
    timezone: every ? null : schedule.timezone,
    grace_ms: graceMs,
    max_runtime_ms: maxRuntimeMs,
  };
}

function iso(at: number): string {
  return new Date(at).toISOString();
}
