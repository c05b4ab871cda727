// What a write of Monitors (a batch of pings, deadlines due, an operator's action) writes besides
// the states, and what happens once it is durable. Every write ends the same two ways: inside the
// transaction, its transitions and their alerts (the outbox rows) are written and noted; after the
// commit, the noted effects are published: new states go live, deadlines move, the dispatcher
// wakes, counters count and transitions are logged. Never before the commit: a rolled-back write
// must leave nothing behind in memory.
import { buildAlert, type AlertPing } from '../core/alert.js';
import type { Counters } from '../core/counters.js';
import type { Step } from '../core/state.js';
import type { MonitorState, ReceivedPing, Transition } from '../core/types.js';
import type { Logger } from '../platform/log.js';
import type { Dependents } from './dependents.js';
import { deadlineOf, type Monitor, type UnrecordedDowns } from './live-monitor.js';
import type { Measured, MonitorStore, OutboxItem } from './ports.js';

/** What the writes of Monitors work on: its live set and its ports, built once by Monitors. */
export interface WriteSide {
  readonly bySlug: ReadonlyMap<string, Monitor>;
  readonly byToken: (token: string) => Monitor | undefined;
  readonly dependents: Dependents;
  readonly unrecorded: UnrecordedDowns;
  readonly store: MonitorStore;
  readonly arm: (slug: string, at: number | null) => void;
  readonly alertsQueued: (queued: readonly OutboxItem[]) => void;
  readonly counters: Counters;
  readonly log: Logger;
}

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

/** Writes a step's transitions and their alerts, and notes them in `effects`. */
export function writeTransitions(
  w: WriteSide,
  monitor: Monitor,
  before: MonitorState,
  step: Step,
  ping: ReceivedPing | null,
  effects: CommitEffects,
): void {
  for (const t of step.transitions) {
    const id = w.store.insertTransition(monitor.id, t);
    effects.transitions.push(t);
    if (t.alert === null) continue;
    // The ping's output is decoded only here, for an alert: not for every ping on the hot path.
    const cause = ping === null ? null : alertPing(ping);
    const alert = buildAlert(
      { ...t, alert: t.alert },
      id,
      monitor.config,
      { ...step, before },
      cause,
    );
    queueAlert(w, monitor, before, t, id, JSON.stringify(alert), effects);
  }
}

/** Writes one transition's alert to the outbox, a row per hook, and notes the pending ones. */
function queueAlert(
  w: WriteSide,
  monitor: Monitor,
  before: MonitorState,
  t: Transition,
  id: number,
  payload: string,
  effects: CommitEffects,
): void {
  // A down the hooks took from memory while it could not be recorded is not sent them again.
  const sent = t.to === 'down' ? w.unrecorded.tookIt(monitor, before) : null;
  for (const hook of monitor.config.notify) {
    if (sent?.hooks.has(hook) === true) w.store.enqueueSentAlert(id, hook, payload, t.at, sent);
    else {
      const outboxId = w.store.enqueueAlert(id, hook, payload, t.at);
      effects.queued.push({
        id: outboxId,
        hook,
        payload,
        attempts: 0,
        createdAt: t.at,
        nextAttemptAt: t.at,
      });
    }
    effects.alerts++;
  }
}

/** After the commit: the new state goes live, deadlines move, alerts are dispatched. */
export function publish(
  w: WriteSide,
  next: ReadonlyMap<Monitor, MonitorState>,
  effects: CommitEffects,
): void {
  for (const [monitor, state] of next) {
    monitor.state = state;
    w.unrecorded.settle(monitor);
    w.arm(monitor.config.slug, deadlineOf(monitor));
  }
  // Alerts first: waking the dispatcher hands their requests to the transport, which writes them
  // at the end of the turn in the order it was asked. A log line written before would put its
  // write (a blocking one, to journald's pipe) ahead of theirs.
  if (effects.alerts > 0) w.alertsQueued(effects.queued);
  // Not yet read from the store: the first read will find these pings there.
  for (const [monitor, m] of effects.measured) {
    const last = monitor.measured;
    if (last !== undefined)
      monitor.measured = {
        durationMs: m.durationMs ?? last.durationMs,
        value: m.value ?? last.value,
      };
  }
  for (const [kind, n] of effects.pings) w.counters.ping(kind, n);
  for (const t of effects.transitions) {
    w.counters.transition(t.to, t);
    logTransition(w.log, t);
  }
}

function logTransition(log: Logger, t: Transition): void {
  const level = t.to === 'down' && t.alert !== null ? 'warn' : 'info';
  log[level](`monitor ${t.to}`, {
    monitor: t.slug,
    from: t.from,
    reason: t.reason,
    alert: t.alert ?? 'none',
  });
}

function alertPing(p: ReceivedPing): AlertPing {
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
