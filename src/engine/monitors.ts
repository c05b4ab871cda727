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
  storedKind,
  UnrecordedDowns,
  type Action,
  type CommitEffects,
  type Monitor,
  type SendUnrecorded,
} from './live-monitor.js';
import { MonitorGone } from './intake.js';
import { RowsOnce, syncSteps, type LiveSet } from './monitor-sync.js';
import type { Measured, MonitorStore, OutboxItem, ProvisionedRow } from './ports.js';
import { withProvisioned } from './provisioning.js';

export interface MonitorsDeps {
  readonly store: MonitorStore;
  /** The auto-provisioned monitors' rows: they run beside the config's (see withProvisioned). */
  readonly provisioned: () => readonly ProvisionedRow[];
  readonly arm: (slug: string, at: number | null) => void;
  /** Called after a commit that queued alerts, with the pending outbox rows it wrote. */
  readonly alertsQueued: (queued: readonly OutboxItem[]) => void;
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
  /** The token map a sync under way builds, with only its config's tokens (see monitor-sync.ts). */
  #nextByToken: Map<string, Monitor> | null = null;
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
   * Makes the live set match `config` (and the provisioned monitors it does not take over) at
   * `now`: new monitors are armed from now, kept ones keep their state and history (a changed
   * schedule re-derives the deadline from the last ping), removed ones stop alerting. A monitor
   * that comes back finds its history in the database.
   */
  sync(config: Config, now: number): void {
    const steps = this.syncSteps(config, () => now);
    while (steps.next().done !== true);
  }

  /** The same as sync, in steps of a few milliseconds each (see monitor-sync.ts and runInSteps). */
  syncSteps(config: Config, now: () => number): Generator<void, void, void> {
    this.#keepPings = config.server.keepPings;
    const all = withProvisioned(config, this.#deps.provisioned());
    return syncSteps(this.#liveSet(), all, now);
  }

  /**
   * Starts watching one monitor that is not live yet (auto-provisioning), armed from `now`. O(1):
   * unlike sync, it neither reads every row nor re-arms every monitor.
   */
  add(config: MonitorConfig, now: number): Monitor {
    const live = this.#bySlug.get(config.slug);
    if (live !== undefined) return live;
    this.#generation++;
    const rows = new RowsOnce(this.#deps.store);
    const monitor = this.#deps.store.transaction(() => this.#start(config, now, rows));
    this.#setTokens(monitor);
    this.#arm(monitor);
    return monitor;
  }

  /** Stops watching one provisioned monitor (deleted through the API); its history stays. */
  remove(slug: string): void {
    const monitor = this.#bySlug.get(slug);
    if (monitor === undefined) return;
    this.#generation++;
    this.#bySlug.delete(slug);
    for (const token of monitor.config.tokens) this.#byToken.delete(secretKey(token));
    this.#deps.arm(slug, null);
  }

  /** Gives one live monitor a changed config (a provisioned one edited through the API). */
  replace(config: MonitorConfig): void {
    const monitor = this.#bySlug.get(config.slug);
    if (monitor === undefined) return;
    monitor.config = config;
    this.#arm(monitor);
  }

  /**
   * Adds a monitor that is not live. A slug with a history (it was watched before) carries on from
   * it: its row is found in `rows`, read in full only then.
   */
  #start(config: MonitorConfig, now: number, rows: RowsOnce): Monitor {
    let row = rows.loaded ? rows.get(config.slug) : undefined;
    let id = row?.id;
    if (id === undefined) {
      try {
        id = this.#deps.store.addMonitor(config.slug, initialState(now));
      } catch (error) {
        row = rows.get(config.slug);
        if (row === undefined) throw error;
        id = row.id;
      }
    }
    const monitor: Monitor = {
      config,
      id,
      state: row?.state ?? initialState(now),
      activeSince: now,
      pingsSincePrune: 0,
      measured: undefined,
    };
    this.#bySlug.set(config.slug, monitor);
    return monitor;
  }

  #setTokens(monitor: Monitor): void {
    for (const token of monitor.config.tokens) {
      const key = secretKey(token);
      this.#byToken.set(key, monitor);
      this.#nextByToken?.set(key, monitor);
    }
  }

  /**
   * Rebuilds the dependency graph for the whole set, releases the children whose parent is no
   * longer theirs (see Dependents.orphans), and moves maintenance holds to the config's windows.
   */
  #settleDependents(now: number): void {
    this.#dependents.rebuild(this.#bySlug.values(), (s) => this.#bySlug.get(s));
    const moved: Monitor[] = [];
    this.#deps.store.transaction(() => {
      // Maintenance holds move after the orphans' release: reheld reads each state as it goes.
      for (const changes of [
        this.#dependents.orphans(this.#bySlug.values(), now),
        reheld(this, now),
      ])
        for (const [m, state] of changes) {
          this.#deps.store.saveState(m.id, (m.state = state));
          moved.push(m);
        }
    });
    for (const m of moved) this.#arm(m);
  }

  #liveSet(): LiveSet {
    const rows = new RowsOnce(this.#deps.store);
    return {
      bySlug: this.#bySlug,
      store: this.#deps.store,
      log: this.#deps.log,
      start: (config, now) => this.#start(config, now, rows),
      settle: (now) => this.#settleDependents(now),
      beginTokens: () => {
        if (this.#nextByToken !== null) throw new Error('a sync of the monitors is under way');
        this.#nextByToken = new Map();
      },
      setTokens: (monitor) => this.#setTokens(monitor),
      swapTokens: () => {
        if (this.#nextByToken !== null) this.#byToken = this.#nextByToken;
        this.#nextByToken = null;
      },
      endTokens: () => (this.#nextByToken = null),
      arm: (monitor) => this.#arm(monitor),
      disarm: (slug) => this.#deps.arm(slug, null),
      changed: () => this.#generation++,
    };
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
        kind: storedKind(ping.kind, step),
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
        else {
          const outboxId = this.#deps.store.enqueueAlert(id, hook, payload, t.at);
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
  }

  /** After the commit: the new state goes live, deadlines move, alerts are dispatched. */
  #publish(next: ReadonlyMap<Monitor, MonitorState>, effects: CommitEffects): void {
    for (const [monitor, state] of next) {
      monitor.state = state;
      this.#unrecorded.settle(monitor);
      this.#arm(monitor);
    }
    // Alerts first: waking the dispatcher hands their requests to the transport, which writes them
    // at the end of the turn in the order it was asked. A log line written before would put its
    // write (a blocking one, to journald's pipe) ahead of theirs.
    if (effects.alerts > 0) this.#deps.alertsQueued(effects.queued);
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
  }

  #arm(monitor: Monitor): void {
    this.#deps.arm(monitor.config.slug, this.deadlineAt(monitor));
  }

  /** When the monitor next changes by itself; null when it will not. */
  deadlineAt(monitor: Monitor): number | null {
    return linked.deadlineAt(monitor.config, monitor.state, monitor.activeSince);
  }
}
