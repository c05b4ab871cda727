// The domain words of DESIGN.md as types. Pure data: no behaviour, no I/O.

export type Status = 'new' | 'up' | 'late' | 'running' | 'down' | 'paused';

export type PingKind = 'success' | 'start' | 'fail' | 'log';

/** Why a transition happened. */
export type Reason =
  | 'ping'
  | 'fail'
  | 'timeout'
  | 'reminder'
  | 'pause'
  | 'resume'
  /** A snooze began (from = to), or ended with the down alert it held back. */
  | 'snooze'
  /** A success that ended a run shorter than min-runtime. */
  | 'too-short'
  /** A success more than `early` before its expected time. */
  | 'too-early'
  /** A down suppressed by a parent (depends-on) is still down a grace after the parent recovered. */
  | 'released'
  /** A down held back by a maintenance window is still down when the window ends. */
  | 'maintenance';

/**
 * What an alert is about: `down` (a miss or a failure), `start-overdue` (a started run passed its
 * max-runtime), `up` (recovery), `fail` (a failure ping while already down), `late` (the expected
 * time passed, grace running), `reminder` (still down, `repeat` later).
 */
export type AlertEvent = 'down' | 'start-overdue' | 'up' | 'fail' | 'late' | 'reminder';

/** When a monitor alerts. */
export interface AlertPolicy {
  /** Events that alert. `down` also covers `start-overdue`; `reminder` needs `repeatMs`. */
  readonly events: ReadonlySet<AlertEvent>;
  /** Consecutive failures or misses before the down alert (1: the first). */
  readonly alertAfter: number;
  /** Reminders while down, this long apart; null for none. */
  readonly repeatMs: number | null;
}

export const DEFAULT_POLICY: AlertPolicy = {
  events: new Set<AlertEvent>(['down', 'up']),
  alertAfter: 1,
  repeatMs: null,
};

export type Schedule =
  | { readonly kind: 'every'; readonly periodMs: number }
  | { readonly kind: 'cron'; readonly expr: string; readonly timezone: string };

/**
 * A maintenance window: while one is open, transitions are recorded but not alerted. `cron` opens
 * at each time of the expression in `timezone` for `forMs` of that zone's wall clock; `once` from
 * `fromAt` until `untilAt`.
 */
export type MaintenanceWindow =
  | {
      readonly kind: 'cron';
      readonly expr: string;
      readonly timezone: string;
      readonly forMs: number;
    }
  | { readonly kind: 'once'; readonly fromAt: number; readonly untilAt: number };

/** What the core needs to know of a monitor's config. */
export interface MonitorSpec {
  readonly slug: string;
  readonly schedule: Schedule;
  readonly graceMs: number;
  readonly maxRuntimeMs: number;
  /** A run (start to end) shorter than this is a failure (`too-short`); null: any length. */
  readonly minRuntimeMs: number | null;
  /** A success more than this before the expected time is a failure (`too-early`); null: never. */
  readonly earlyMs: number | null;
  /** When true, a new monitor is not armed until its first ping. */
  readonly waitForFirstPing: boolean;
  readonly policy: AlertPolicy;
  /** Its maintenance windows (its own, its tags' and the top level's); none when absent. */
  readonly maintenance?: readonly MaintenanceWindow[];
}

/** A monitor's runtime state: persisted in SQLite, mirrored in memory. */
export interface MonitorState {
  readonly status: Status;
  /** When the monitor first appeared in the config: a new monitor is armed from here. */
  readonly firstSeenAt: number;
  readonly changedAt: number;
  readonly lastPingAt: number | null;
  readonly lastSuccessAt: number | null;
  /** Runs started and not yet ended, oldest first (the newest MAX_OPEN_RUNS, see state.ts). */
  readonly runs: readonly OpenRun[];
  /** Consecutive failures and misses since the last success. */
  readonly failures: number;
  /** Whether the current down was alerted (a recovery alerts only then). */
  readonly alerted: boolean;
  /** While down and not yet alerted: the time the next miss is counted from. */
  readonly countFrom: number | null;
  /** When the last down alert or reminder was sent. */
  readonly alertedAt: number | null;
  /** Alerts are held back until then (statuses still change); null when not snoozed. */
  readonly snoozedUntil: number | null;
  /** When a pause last ended: the schedule counts from here or the last success, the later. */
  readonly resumedAt: number | null;
  /** The parent (depends-on) whose down suppressed this monitor's down alert; null when none. */
  readonly suppressedBy: string | null;
  /** When `suppressedBy` recovered (the down is released): alerted a grace later if still down. */
  readonly releasedAt: number | null;
  /** The end of the maintenance that holds this down's alert back: alerted then if still down. */
  readonly heldUntil: number | null;
}

/** A run begun by a `start` ping whose end has not come. */
export interface OpenRun {
  readonly startedAt: number;
  /** The `rid` its start carried; null when none. */
  readonly runId: string | null;
  /** It passed max-runtime and was reported: no longer watched, still timed when it ends. */
  readonly overdue: boolean;
}

export interface Transition {
  readonly slug: string;
  readonly at: number;
  readonly from: Status;
  readonly to: Status;
  readonly reason: Reason;
  /** The deadline that was missed, for `timeout` transitions. */
  readonly deadlineAt: number | null;
  readonly alert: AlertEvent | null;
  /** The parent (depends-on) that suppressed this down's alert, or whose recovery released it. */
  readonly parent?: string | null;
}

export interface PingInput {
  readonly kind: PingKind;
  readonly at: number;
  readonly runId: string | null;
  /** A run time the client measured and sent; it wins over the start-to-end time. */
  readonly durationMs?: number | null;
}

/** A ping as received, resolved to its monitor, before it is applied. */
export interface ReceivedPing extends PingInput {
  readonly slug: string;
  /**
   * The tokens of the monitor the ping was addressed to, when it was received: a reload may rename
   * the monitor before the ping is committed, and the tokens still find it then.
   */
  readonly tokens: readonly string[];
  readonly exitStatus: number | null;
  readonly method: string;
  readonly remoteAddr: string | null;
  readonly userAgent: string | null;
  /** A number sent with the ping (Uptime Kuma's `ping` or `value`). */
  readonly value: number | null;
  /** A run time the client measured and sent (Gatus' `duration`). */
  readonly durationMs: number | null;
  /** The request body, already cut at the body limit. */
  readonly body: Uint8Array | null;
}
