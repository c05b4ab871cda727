// One live monitor (its record, and when it next changes by itself), and the downs sent for it
// from memory while its writes fail (UnrecordedDowns).
import type { MonitorConfig } from '../config/types.js';
import { buildAlert, type Alert } from '../core/alert.js';
import { applyDeadlines, deadlineAt } from '../core/maintenance.js';
import type { MonitorState } from '../core/types.js';
import type { Logger } from '../platform/log.js';
import type { Measured } from './ports.js';

export interface Monitor {
  config: MonitorConfig;
  readonly id: number;
  state: MonitorState;
  /** Since when this process has been receiving this monitor's pings (see core nextDeadline). */
  activeSince: number;
  /** The latest run time and value sent with a ping, for metrics; undefined until first asked. */
  measured: Measured | undefined;
}

/** An operator's action on a monitor. */
export type Action =
  { readonly kind: 'pause' | 'resume' } | { readonly kind: 'snooze'; readonly durationMs: number };

/** When the monitor next changes by itself; null when it will not. */
export function deadlineOf(monitor: Monitor): number | null {
  return deadlineAt(monitor.config, monitor.state, monitor.activeSince);
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
