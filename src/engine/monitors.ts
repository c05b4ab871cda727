// The live set of monitors: each one's config, persisted id, state and deadline, found by slug or
// by token (the ping path's lookup, kept here as a plain map read). Its writes go through the pure
// core and commit the result (state, transitions, alert outbox) in one transaction before
// publishing it in memory and re-arming the scheduler; each kind of write has a module of its own:
// ping-batch.ts (pings), deadlines-due.ts (the scheduler's deadlines), operator-action.ts, and
// commit-effects.ts (what they all write besides states, and the publishing). A config is applied
// by monitor-sync.ts, a jump of time by rebase-all.ts; this class holds the state they share.
import type { Config, MonitorConfig } from '../config/types.js';
import type { Counters } from '../core/counters.js';
import type { ReceivedPing } from '../core/types.js';
import type { Logger } from '../platform/log.js';
import { secretKey } from '../platform/secret.js';
import type { WriteSide } from './commit-effects.js';
import { applyDue } from './deadlines-due.js';
import { Dependents } from './dependents.js';
import {
  deadlineOf,
  UnrecordedDowns,
  type Action,
  type Monitor,
  type SendUnrecorded,
} from './live-monitor.js';
import { reheld } from './maintenance.js';
import { RowsOnce, startMonitor, syncSteps, type LiveSet } from './monitor-sync.js';
import { act } from './operator-action.js';
import { writePings } from './ping-batch.js';
import type { Measured, MonitorStore, OutboxItem, ProvisionedRow } from './ports.js';
import { withProvisioned } from './provisioning.js';
import { rebaseAll, resumeAll } from './rebase-all.js';

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

export class Monitors {
  readonly #deps: MonitorsDeps;
  readonly #bySlug = new Map<string, Monitor>();
  readonly #dependents = new Dependents();
  /** Keyed by secretKey(token), never by the token itself. */
  #byToken = new Map<string, Monitor>();
  /** The token map a sync under way builds, with only its config's tokens (see monitor-sync.ts). */
  #nextByToken: Map<string, Monitor> | null = null;
  #generation = 0;
  /** What the writes work on: built once, so that a write allocates nothing to reach it. */
  readonly #writes: WriteSide;

  constructor(deps: MonitorsDeps) {
    this.#deps = deps;
    this.#writes = {
      bySlug: this.#bySlug,
      byToken: (token) => this.byToken(token),
      dependents: this.#dependents,
      unrecorded: new UnrecordedDowns(deps.alertUnrecorded, deps.log),
      store: deps.store,
      arm: deps.arm,
      alertsQueued: deps.alertsQueued,
      counters: deps.counters,
      log: deps.log,
    };
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
    this.#deps.store.keepPings(config.server.keepPings);
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
    const { store } = this.#deps;
    const rows = new RowsOnce(store);
    const monitor = store.transaction(() => startMonitor(store, this.#bySlug, config, now, rows));
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
    const { store, log } = this.#deps;
    const rows = new RowsOnce(store);
    return {
      bySlug: this.#bySlug,
      store,
      log,
      start: (config, now) => startMonitor(store, this.#bySlug, config, now, rows),
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
    return writePings(this.#writes, pings, refuse);
  }

  /** Applies the deadlines that fell due at `now`. Called by the scheduler. */
  onDue(slugs: readonly string[], now: number): void {
    applyDue(this.#writes, slugs, now);
  }

  /** Pauses, resumes or snoozes a monitor: written at once, in its own transaction. */
  act(slug: string, action: Action, now: number): { ok: true } | { ok: false; error: string } {
    return act(this.#writes, slug, action, now);
  }

  /** The wall clock stepped by `stepMs` (see SteadyClock): every monitor's times move with it. */
  rebase(stepMs: number): void {
    rebaseAll(this.#bySlug.values(), stepMs, this.#deps);
  }

  /** The host was suspended until `at`: a deadline that passed gets one grace from `at`. */
  resumed(at: number): void {
    resumeAll(this.#bySlug.values(), at, this.#deps.arm);
  }

  /** The latest run time and value of a monitor, read from the store once, then kept up to date. */
  measured(monitor: Monitor): Measured {
    monitor.measured ??= this.#deps.store.lastMeasured(monitor.id);
    return monitor.measured;
  }

  #arm(monitor: Monitor): void {
    this.#deps.arm(monitor.config.slug, deadlineOf(monitor));
  }

  /** When the monitor next changes by itself; null when it will not. */
  deadlineAt(monitor: Monitor): number | null {
    return deadlineOf(monitor);
  }
}
