// One live monitor, and what a commit of Monitors wrote about it (published once it is durable).
import type { MonitorConfig } from '../config/types.js';
import { buildAlert, type Alert, type AlertPing } from '../core/alert.js';
import { applyDeadlines } from '../core/maintenance.js';
import type { MonitorState, PingKind, ReceivedPing, Transition } from '../core/types.js';
import type { Logger } from '../platform/log.js';
import type { Measured, OutboxItem } from './ports.js';

export interface Monitor {
  config: MonitorConfig;
  readonly id: number;
  state: MonitorState;
  /** Since when this process has been receiving this monitor's pings (see core nextDeadline). */
  activeSince: number;
  pingsSincePrune: number;
  /** The latest run time and value sent with a ping, for metrics; undefined until first asked. */
  measured: Measured | undefined;
}

/** An operator's action on a monitor. */
export type Action =
  { readonly kind: 'pause' | 'resume' } | { readonly kind: 'snooze'; readonly durationMs: number };

/** What one commit wrote, published once it is durable. */
export interface CommitEffects {
  readonly transitions: Transition[];
  alerts: number;
  /** The pending outbox rows written, handed to the dispatcher (see Dispatcher.wake). */
  readonly queued: OutboxItem[];
  readonly measured: [Monitor, Measured][];
  /** Pings stored, by kind. */
  readonly pings: Map<string, number>;
}

export function noEffects(): CommitEffects {
  return { transitions: [], alerts: 0, queued: [], measured: [], pings: new Map() };
}

export function logTransition(log: Logger, t: Transition): void {
  const level = t.to === 'down' && t.alert !== null ? 'warn' : 'info';
  log[level](`monitor ${t.to}`, {
    monitor: t.slug,
    from: t.from,
    reason: t.reason,
    alert: t.alert ?? 'none',
  });
}

export function bufferOf(body: Uint8Array | null): Buffer | null {
  if (body === null || body.length === 0) return null;
  return Buffer.isBuffer(body) ? body : Buffer.from(body);
}

export function alertPing(p: ReceivedPing): AlertPing {
  const output =
    p.body === null || p.body.length === 0 ? null : Buffer.from(p.body).toString('utf8');
  // The run's duration comes from the status machine's step (buildAlert fills it in).
  return {
    at: new Date(p.at).toISOString(),
    kind: p.kind,
    exit_status: p.exitStatus,
    output,
    duration_ms: null,
    value: p.value,
  };
}

/** Sends an alert to the named hooks, once each; resolves with the names of those that took it. */
export type SendUnrecorded = (alert: Alert, hooks: readonly string[]) => Promise<readonly string[]>;

/** The text of the attempt recorded for a hook that took a down from memory. */
const SENT_NOTE = 'delivered from memory while the database could not be written';

/** A down sent from memory: for the state it was computed from, to the hooks that took it. */
interface SentDown {
  readonly from: MonitorState;
  readonly sentAt: number;
  /** Undefined while its deliveries run. */
  tookIt: ReadonlySet<string> | undefined;
}

/**
 * Downs that could not be recorded (the database cannot be written) and were sent from memory
 * instead: silence must not go unalerted because a disk is full. While the write keeps failing the
 * monitor's state does not change, so keying each sent down by the state it was computed from
 * sends it once per outage, and lets the write that finally records it know which hooks have it.
 */
export class UnrecordedDowns {
  readonly #send: SendUnrecorded;
  readonly #log: Logger;
  readonly #sent = new Map<Monitor, SentDown>();

  constructor(send: SendUnrecorded, log: Logger) {
    this.#send = send;
    this.#log = log;
  }

  /** After a failed write of the deadlines due at `now`: sends their downs from memory, once. */
  afterFailedWrite(monitors: Iterable<Monitor>, now: number): void {
    for (const monitor of monitors) this.#sendDown(monitor, now);
  }

  #sendDown(monitor: Monitor, now: number): void {
    if (this.#current(monitor) !== undefined) return;
    // Through maintenance (a window holds this alert too); which parent is down is not known here.
    const step = applyDeadlines(monitor.config, monitor.state, monitor.activeSince, now, null);
    // A down, not a reminder: `fail` and reminders while down are the next write's to record.
    const t = step.transitions.find((x) => x.to === 'down' && x.from !== 'down');
    if (t?.alert == null) return;
    const { config, state } = monitor;
    const built = buildAlert({ ...t, alert: t.alert }, 0, config, { ...step, before: state }, null);
    const sent: SentDown = { from: state, sentAt: now, tookIt: undefined };
    this.#sent.set(monitor, sent);
    this.#log.warn('down alert sent without being recorded: the database cannot be written', {
      monitor: config.slug,
      hooks: config.notify.join(','),
    });
    void this.#send({ ...built, unrecorded: true }, config.notify).then(
      (names) => (sent.tookIt = new Set(names)),
      () => (sent.tookIt = new Set()),
    );
  }

  /** True while the monitor's down is being sent: its record waits to know who took it. */
  sending(monitor: Monitor): boolean {
    const sent = this.#current(monitor);
    return sent !== undefined && sent.tookIt === undefined;
  }

  /**
   * The hooks that took, from memory, the down of a step computed from state `from`, when, and
   * the text its record gets; null if no down was sent for that state.
   */
  tookIt(
    monitor: Monitor,
    from: MonitorState,
  ): { hooks: ReadonlySet<string>; at: number; note: string } | null {
    const sent = this.#sent.get(monitor);
    if (sent?.from !== from || sent.tookIt === undefined) return null;
    return { hooks: sent.tookIt, at: sent.sentAt, note: SENT_NOTE };
  }

  /** After a write of the monitor's state: a down sent for a state it has left is forgotten. */
  settle(monitor: Monitor): void {
    if (this.#sent.size > 0 && this.#current(monitor) === undefined) this.#sent.delete(monitor);
  }

  /** The down sent for the monitor's current state, if any. */
  #current(monitor: Monitor): SentDown | undefined {
    const sent = this.#sent.get(monitor);
    return sent?.from === monitor.state ? sent : undefined;
  }
}

/** True when `after` differs from `before` only in what the newest pings tell at load. */
export function derivable(before: MonitorState, after: MonitorState): boolean {
  for (const key in after) {
    if (key === 'lastPingAt' || key === 'lastSuccessAt') continue;
    if (after[key as keyof MonitorState] !== before[key as keyof MonitorState]) return false;
  }
  return true;
}

/**
 * The kind a ping is stored as. A success that broke min-runtime or early counts as a failure, and
 * is stored as one: a restart takes the last success from the newest stored success ping (see
 * Store.loadMonitors), which must not be this one.
 */
export function storedKind(kind: PingKind, step: { readonly transitions: readonly Transition[] }) {
  if (kind !== 'success') return kind;
  const broken = step.transitions.some((t) => t.reason === 'too-short' || t.reason === 'too-early');
  return broken ? 'fail' : kind;
}
