// The live set of monitors: each one's config, persisted id, state and deadline. Applies pings and
// deadlines through the pure core, writes the result (state, transitions, alert outbox) in one
// transaction, and only then publishes the new state in memory and re-arms the scheduler.
import type { Config, MonitorConfig } from '../config/types.js';
import { buildAlert } from '../core/alert.js';
import * as control from '../core/control.js';
import * as linked from '../core/maintenance.js';
import type { Counters } from '../core/counters.js';
import { initialState, type Step } from '../core/state.js';
import type { MonitorState, ReceivedPing } from '../core/types.js';
import type { Logger } from '../platform/log.js';
import { secretKey } from '../platform/secret.js';
import { Dependents, type StateOf } from './dependents.js';
import { reheld } from './maintenance.js';
import { rebaseAll } from './rebase-all.js';
import {
  alertPing,
  bufferOf,
  derivable,
  logTransition,
  noEffects,
  UnrecordedDowns,
  type Action,
  type CommitEffects,
  type Monitor,
  type SendUnrecorded,
} from './live-monitor.js';
import { MonitorGone } from './intake.js';
import type { Measured, MonitorStore } from './ports.js';

export interface MonitorsDeps {
  readonly store: MonitorStore;
  readonly arm: (slug: string, at: number | null) => void;
  /** Called after a commit that queued alerts. */
  readonly alertsQueued: () => void;
  /** Sends a down that cannot be recorded (the database cannot be written) from memory. */
  readonly alertUnrecorded: SendUnrecorded;
  readonly counters: Counters;
  readonly log: Logger;
}

// Deadlines that could not be recorded are tried again after this long.
const RECORD_RETRY_MS = 1_000;

export class Monitors {
  readonly #deps: MonitorsDeps;
  readonly #unrecorded: UnrecordedDowns;
  readonly #bySlug = new Map<string, Monitor>();
  readonly #dependents = new Dependents();
  /** Keyed by secretKey(token), never by the token itself. */
  #byToken = new Map<string, Monitor>();
  #keepPings = 1000;
  #generation = 0;

  constructor(deps: MonitorsDeps) {
    this.#deps = deps;
    this.#unrecorded = new UnrecordedDowns(deps.alertUnrecorded, deps.log);
  }

  /** Changes whenever the set of monitors or their config may have changed (badge keys). */
  get generation(): number {
    return this.#generation;
  }

  get size(): number {
    return this.#bySlug.size;
  }

  /** Every monitor, in config order. */
  all(): IterableIterator<Monitor> {
    return this.#bySlug.values();
  }

  bySlug(slug: string): Monitor | undefined {
    return this.#bySlug.get(slug);
  }

  byToken(token: string): Monitor | undefined {
    return this.#byToken.get(secretKey(token));
  }

  /**
   * Makes the live set match `config` at `now`: new monitors are armed from now, kept ones keep
   * their state and history (a changed schedule re-derives the deadline from the last ping), removed
   * ones stop alerting. A monitor that comes back finds its history in the database.
   */
  sync(config: Config, now: number): void {
    this.#keepPings = config.server.keepPings;
    this.#generation++;
    const persisted = this.#deps.store.loadMonitors();
    for (const [slug, monitor] of this.#bySlug) {
      if (!config.monitors.has(slug)) {
        this.#bySlug.delete(slug);
        this.#deps.arm(slug, null);
        this.#deps.log.info('monitor removed from config; it no longer alerts', {
          monitor: monitor.config.slug,
        });
      }
    }
    this.#deps.store.transaction(() => {
      for (const [slug, mc] of config.monitors) {
        const monitor = this.#bySlug.get(slug) ?? this.#add(mc, persisted.get(slug), now);
        monitor.config = mc;
      }
      this.#dependents.rebuild(this.#bySlug.values(), (s) => this.#bySlug.get(s));
      for (const moved of [this.#dependents.orphans(this.#bySlug.values(), now), reheld(this, now)])
        for (const [m, state] of moved) this.#deps.store.saveState(m.id, (m.state = state));
    });
    this.#byToken = new Map();
    for (const monitor of this.#bySlug.values()) {
      for (const token of monitor.config.tokens) this.#byToken.set(secretKey(token), monitor);
      this.#arm(monitor);
    }
  }

  /**
   * Starts watching one monitor that is not live yet (auto-provisioning), armed from `now`. O(1):
   * unlike sync, it neither reads every row nor re-arms every monitor. A slug with a history (it
   * was watched before) carries on from it, found by the one full read this rare case costs.
   */
  add(config: MonitorConfig, now: number): Monitor {
    const live = this.#bySlug.get(config.slug);
    if (live !== undefined) return live;
    this.#generation++;
    const monitor = this.#deps.store.transaction(() => {
      try {
        return this.#add(config, undefined, now);
      } catch {
        return this.#add(config, this.#deps.store.loadMonitors().get(config.slug), now);
      }
    });
    for (const token of config.tokens) this.#byToken.set(secretKey(token), monitor);
    this.#arm(monitor);
    return monitor;
  }

  #add(config: MonitorConfig, row: { id: number; state: MonitorState } | undefined, now: number) {
    const state = row?.state ?? initialState(now);
    const id = row?.id ?? this.#deps.store.addMonitor(config.slug, state);
    const monitor: Monitor = {
      config,
      id,
      state,
      activeSince: now,
      pingsSincePrune: 0,
      measured: undefined,
    };
    this.#bySlug.set(config.slug, monitor);
    return monitor;
  }

  /** Writes a batch of pings; runs inside the group commit's transaction. Returns the publisher. */
  writePings(
    pings: readonly ReceivedPing[],
    refuse: (index: number, reason: Error) => void,
  ): () => void {
    const next = new Map<Monitor, MonitorState>();
    const effects = noEffects();
    let pruned: Set<Monitor> | null = null;
    const stateOf: StateOf = (m) => next.get(m) ?? m.state;
    for (let i = 0; i < pings.length; i++) {
      const ping = pings[i] as ReceivedPing;
      // A reload between receipt and commit may have renamed the monitor (its tokens find it) or
      // removed it: then the ping is refused, never acknowledged without being written.
      const monitor = this.#bySlug.get(ping.slug) ?? this.#byAnyToken(ping.tokens);
      if (monitor === undefined) {
        refuse(i, new MonitorGone(ping.slug));
        continue;
      }
      const before = next.get(monitor) ?? monitor.state;
      const parentDown = this.#dependents.parentDown(monitor, stateOf);
      const step = linked.applyPing(monitor.config, before, ping, parentDown);
      // A run time the client measured (its wrapper saw the job start and end) wins over overdue's
      // start-to-end measure, which also holds the start ping's answer and the end ping's trip.
      const durationMs = ping.durationMs ?? step.durationMs;
      this.#deps.store.insertPing({
        monitorId: monitor.id,
        at: ping.at,
        kind: ping.kind,
        exitStatus: ping.exitStatus,
        runId: ping.runId,
        durationMs,
        value: ping.value,
        method: ping.method,
        remoteAddr: ping.remoteAddr,
        userAgent: ping.userAgent,
        body: bufferOf(ping.body),
      });
      effects.pings.set(ping.kind, (effects.pings.get(ping.kind) ?? 0) + 1);
      if (durationMs !== null || ping.value !== null)
        effects.measured.push([monitor, { durationMs, value: ping.value }]);
      this.#writeTransitions(monitor, before, step, ping, effects);
      next.set(monitor, step.state);
      this.#dependents.release(monitor, before, step.state, ping.at, next, this.#deps.store);
      if (++monitor.pingsSincePrune >= Math.max(10, this.#keepPings / 10)) {
        this.#deps.store.prunePings(monitor.id, this.#keepPings);
        monitor.pingsSincePrune = 0;
        (pruned ??= new Set()).add(monitor);
      }
    }
    for (const [monitor, state] of next) {
      // The row is written when a restart could not derive the new state from the pings table
      // (see Store.loadMonitors), and with every prune, which may delete the pings it derives from.
      if (pruned?.has(monitor) === true || !derivable(monitor.state, state)) {
        this.#deps.store.saveState(monitor.id, state);
      }
    }
    return () => this.#publish(next, effects);
  }

  #byAnyToken(tokens: readonly string[]): Monitor | undefined {
    for (const token of tokens) {
      const monitor = this.byToken(token);
      if (monitor !== undefined) return monitor;
    }
    return undefined;
  }

  /** Applies the deadlines that fell due at `now`. Called by the scheduler. */
  onDue(slugs: readonly string[], now: number): void {
    const next = new Map<Monitor, MonitorState>();
    const effects = noEffects();
    // A down being sent from memory is recorded once its deliveries end: who took it is known then.
    const ready = slugs.filter((slug) => !this.#waitForUnrecorded(slug, now));
    const due = this.#dependents.order(ready.flatMap((slug) => this.#bySlug.get(slug) ?? []));
    const stateOf: StateOf = (m) => next.get(m) ?? m.state;
    try {
      this.#deps.store.transaction(() => {
        for (const monitor of due) {
          const before = stateOf(monitor);
          const parentDown = this.#dependents.parentDown(monitor, stateOf);
          const step = linked.applyDeadlines(
            monitor.config,
            before,
            monitor.activeSince,
            now,
            parentDown,
          );
          this.#writeTransitions(monitor, before, step, null, effects);
          // A quiet miss (alert-after) changes the state without a transition.
          if (step.state !== before) this.#deps.store.saveState(monitor.id, step.state);
          next.set(monitor, step.state);
          this.#dependents.release(monitor, before, step.state, now, next, this.#deps.store);
        }
      });
    } catch (error) {
      // Nothing was written: try the same deadlines again shortly rather than lose them.
      this.#deps.log.error('cannot record deadlines; retrying in 1 s', {
        error: String(error),
        monitors: ready.length,
      });
      for (const slug of ready) this.#deps.arm(slug, now + RECORD_RETRY_MS);
      // Silence must still be alerted: a down among them is sent from memory, once per outage.
      const due = ready.map((slug) => this.#bySlug.get(slug));
      this.#unrecorded.afterFailedWrite(
        due.filter((m) => m !== undefined),
        now,
      );
      return;
    }
    this.#publish(next, effects);
  }

  #waitForUnrecorded(slug: string, now: number): boolean {
    const monitor = this.#bySlug.get(slug);
    if (monitor === undefined || !this.#unrecorded.sending(monitor)) return false;
    this.#deps.arm(slug, now + RECORD_RETRY_MS);
    return true;
  }

  /** Pauses, resumes or snoozes a monitor: written at once, in its own transaction. */
  act(slug: string, action: Action, now: number): { ok: true } | { ok: false; error: string } {
    const monitor = this.#bySlug.get(slug);
    if (monitor === undefined) return { ok: false, error: `no monitor '${slug}'` };
    const { config, state } = monitor;
    const step =
      action.kind === 'snooze'
        ? control.snooze(config, state, now, action.durationMs)
        : control[action.kind](config, state, now);
    if ('conflict' in step) return { ok: false, error: step.conflict };
    const effects = noEffects();
    const next = new Map([[monitor, step.state]]);
    this.#deps.store.transaction(() => {
      this.#writeTransitions(monitor, state, step, null, effects);
      this.#deps.store.saveState(monitor.id, step.state);
      this.#dependents.release(monitor, state, step.state, now, next, this.#deps.store);
    });
    this.#publish(next, effects);
    return { ok: true };
  }

  /**
   * The wall clock stepped by `stepMs` (see SteadyClock): every monitor's times move with it, so
   * the elapsed time since each is kept and no deadline comes closer or goes away (core rebase.ts).
   * Written at once, so that a restart finds the times on the wall clock it runs on.
   */
  rebase(stepMs: number): void {
    for (const [monitor, state] of rebaseAll(this.#bySlug.values(), stepMs, this.#deps)) {
      monitor.state = state;
      this.#arm(monitor);
    }
  }

  /**
   * The host was suspended until `at`: no ping could arrive meanwhile, so, as after a restart, a
   * deadline that passed gets one grace from `at` before it alerts (see core nextDeadline).
   */
  resumed(at: number): void {
    for (const monitor of this.#bySlug.values()) {
      monitor.activeSince = Math.max(monitor.activeSince, at);
      this.#arm(monitor);
    }
  }

  /** The latest run time and value of a monitor, read from the store once, then kept up to date. */
  measured(monitor: Monitor): Measured {
    monitor.measured ??= this.#deps.store.lastMeasured(monitor.id);
    return monitor.measured;
  }

  /** Writes a step's transitions and their alerts, and notes them in `effects`. */
  #writeTransitions(
    monitor: Monitor,
    before: MonitorState,
    step: Step,
    ping: ReceivedPing | null,
    effects: CommitEffects,
  ): void {
    for (const t of step.transitions) {
      const id = this.#deps.store.insertTransition(monitor.id, t);
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
      const payload = JSON.stringify(alert);
      // A down the hooks took from memory while it could not be recorded is not sent them again.
      const sent = t.to === 'down' ? this.#unrecorded.tookIt(monitor, before) : null;
      for (const hook of monitor.config.notify) {
        if (sent?.hooks.has(hook) === true)
          this.#deps.store.enqueueSentAlert(id, hook, payload, t.at, sent);
        else this.#deps.store.enqueueAlert(id, hook, payload, t.at);
        effects.alerts++;
      }
    }
  }

  /** After the commit: the new state goes live, deadlines move, alerts are dispatched. */
  #publish(next: ReadonlyMap<Monitor, MonitorState>, effects: CommitEffects): void {
    for (const [monitor, state] of next) {
      monitor.state = state;
      this.#unrecorded.settle(monitor);
      this.#arm(monitor);
    }
    // Not yet read from the store: the first read will find these pings there.
    for (const [monitor, m] of effects.measured) {
      const last = monitor.measured;
      if (last !== undefined)
        monitor.measured = {
          durationMs: m.durationMs ?? last.durationMs,
          value: m.value ?? last.value,
        };
    }
    for (const [kind, n] of effects.pings) this.#deps.counters.ping(kind, n);
    for (const t of effects.transitions) {
      this.#deps.counters.transition(t.to, t);
      logTransition(this.#deps.log, t);
    }
    if (effects.alerts > 0) this.#deps.alertsQueued();
  }

  #arm(monitor: Monitor): void {
    this.#deps.arm(monitor.config.slug, this.deadlineAt(monitor));
  }

  /** When the monitor next changes by itself; null when it will not. */
  deadlineAt(monitor: Monitor): number | null {
    return linked.deadlineAt(monitor.config, monitor.state, monitor.activeSince);
  }
}
