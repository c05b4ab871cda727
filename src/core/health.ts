// Is overdue itself healthy? Three checks, judged from what the daemon measured: the database
// accepts a real write, the scheduler fires on time, and the alert dispatcher is moving. /healthz
// reports them, and the outgoing heartbeat (server.heartbeat) is sent only while all three pass:
// a watcher that cannot write, fire or deliver must stop saying it is alive. Pure: `now` is an
// argument.
import { formatDuration } from './duration.js';

export interface HealthInputs {
  /** Why a write to the database failed; null when it succeeded. */
  readonly databaseProblem: string | null;
  /** How late the scheduler's timer fired last, or is now past due (monotonic ms). */
  readonly schedulerLatenessMs: number;
  /** The time the oldest alert still waiting for delivery fell due; null when none is due. */
  readonly oldestDueAlertAt: number | null;
}

export interface HealthBounds {
  /** Lateness of the scheduler up to this is healthy; more is not. */
  readonly maxLatenessMs: number;
  /** A due alert waiting up to this long is healthy; longer means the dispatcher is stuck. */
  readonly maxAlertAgeMs: number;
}

export type CheckName = 'database' | 'scheduler' | 'dispatcher';

export interface HealthCheck {
  readonly name: CheckName;
  readonly ok: boolean;
  /** For people: what was measured, and for a failed check, why it failed. */
  readonly detail: string;
}

export interface HealthReport {
  readonly ok: boolean;
  readonly checks: readonly HealthCheck[];
  /** The failed checks' details joined, for a /fail ping's body and /healthz; null when ok. */
  readonly reason: string | null;
}

export const DEFAULT_BOUNDS: HealthBounds = { maxLatenessMs: 10_000, maxAlertAgeMs: 600_000 };

/** Both bounds inclusive: exactly the bound is still healthy. */
export function judgeHealth(inputs: HealthInputs, bounds: HealthBounds, now: number): HealthReport {
  const db = inputs.databaseProblem;
  const late = inputs.schedulerLatenessMs;
  const age = inputs.oldestDueAlertAt === null ? null : now - inputs.oldestDueAlertAt;
  const checks: HealthCheck[] = [
    {
      name: 'database',
      ok: db === null,
      detail: db === null ? 'writable' : `database not writable: ${db}`,
    },
    {
      name: 'scheduler',
      ok: late <= bounds.maxLatenessMs,
      detail:
        late <= bounds.maxLatenessMs
          ? `on time (${late} ms late)`
          : `scheduler late: fired ${formatDuration(late)} after its deadline (bound ${formatDuration(bounds.maxLatenessMs)})`,
    },
    {
      name: 'dispatcher',
      ok: age === null || age <= bounds.maxAlertAgeMs,
      detail:
        age === null
          ? 'no alert waiting'
          : age <= bounds.maxAlertAgeMs
            ? `oldest due alert waiting ${formatDuration(age)}`
            : `dispatcher stuck: an alert due ${formatDuration(age)} ago is not delivered (bound ${formatDuration(bounds.maxAlertAgeMs)})`,
    },
  ];
  const failed = checks.filter((c) => !c.ok);
  return {
    ok: failed.length === 0,
    checks,
    reason: failed.length === 0 ? null : failed.map((c) => c.detail).join('; '),
  };
}

/** What the heartbeat does at a tick: ping, send its one /fail, or stay silent. */
export type HeartbeatAction = 'success' | 'fail' | 'none';

/**
 * The heartbeat's decision. While healthy it pings; on turning unhealthy it sends one /fail with the
 * reason and then stays silent, so the switch it feeds alerts even if the /fail is lost; healthy
 * again, it pings again (the switch sees the recovery).
 */
export function heartbeatAction(
  report: HealthReport,
  failSent: boolean,
): { action: HeartbeatAction; failSent: boolean } {
  if (report.ok) return { action: 'success', failSent: false };
  return failSent ? { action: 'none', failSent } : { action: 'fail', failSent: true };
}
