// The live set of monitors: each one's config, persisted id, state and deadline. Applies pings and
// deadlines through the pure core, writes the result (state, transitions, alert outbox) in one
// transaction, and only then publishes the new state in memory and re-arms the scheduler.
import type { Config, MonitorConfig } from './config/types.js';
import { buildAlert, type AlertPing } from './core/alert.js';
import { initialState, nextDeadline, onDeadline, onPing, type Step } from './core/state.js';
import type { MonitorState, ReceivedPing, Transition } from './core/types.js';
import type { Logger } from './log.js';
import type { Store } from './store/store.js';

export interface Monitor {
  config: MonitorConfig;
  readonly id: number;
  state: MonitorState;
  /** Since when this process has been receiving this monitor's pings (see core nextDeadline). */
  activeSince: number;
  pingsSincePrune: number;
}

/** What one commit wrote, published once it is durable. */
interface Made {
  readonly transitions: Transition[];
  alerts: number;
}

export interface MonitorsDeps {
  readonly store: Store;
  readonly arm: (slug: string, at: number | null) => void;
  /** Called after a commit that queued alerts. */
  readonly alertsQueued: () => void;
  readonly log: Logger;
}

export class Monitors {
  readonly #d: MonitorsDeps;
  readonly #bySlug = new Map<string, Monitor>();
  #byToken = new Map<string, Monitor>();
  #keepPings = 1000;

  constructor(deps: MonitorsDeps) {
    this.#d = deps;
  }

  get size(): number {
    return this.#bySlug.size;
  }

  bySlug(slug: string): Monitor | undefined {
    return this.#bySlug.get(slug);
  }

  byToken(token: string): Monitor | undefined {
    return this.#byToken.get(token);
  }

  /**
   * Makes the live set match `config` at `now`: new monitors are armed from now, kept ones keep
   * their state and history (a changed schedule re-derives the deadline from the last ping), removed
   * ones stop alerting. A monitor that comes back finds its history in the database.
   */
  sync(config: Config, now: number): void {
    this.#keepPings = config.server.keepPings;
    const persisted = this.#d.store.loadMonitors();
    for (const [slug, monitor] of this.#bySlug) {
      if (!config.monitors.has(slug)) {
        this.#bySlug.delete(slug);
        this.#d.arm(slug, null);
        this.#d.log.info('monitor removed from config; it no longer alerts', {
          monitor: monitor.config.slug,
        });
      }
    }
    this.#d.store.transaction(() => {
      for (const [slug, mc] of config.monitors) {
        const monitor = this.#bySlug.get(slug) ?? this.#add(mc, persisted.get(slug), now);
        monitor.config = mc;
      }
    });
    this.#byToken = new Map();
    for (const monitor of this.#bySlug.values()) {
      if (monitor.config.token !== null) this.#byToken.set(monitor.config.token, monitor);
      this.#arm(monitor);
    }
  }

  #add(config: MonitorConfig, row: { id: number; state: MonitorState } | undefined, now: number) {
    const state = row?.state ?? initialState(now);
    const id = row?.id ?? this.#d.store.addMonitor(config.slug, state);
    const monitor: Monitor = { config, id, state, activeSince: now, pingsSincePrune: 0 };
    this.#bySlug.set(config.slug, monitor);
    return monitor;
  }

  /** Writes a batch of pings; runs inside the group commit's transaction. Returns the publisher. */
  writePings(pings: readonly ReceivedPing[]): () => void {
    const next = new Map<Monitor, MonitorState>();
    const made: Made = { transitions: [], alerts: 0 };
    let pruned: Set<Monitor> | null = null;
    for (const ping of pings) {
      const monitor = this.#bySlug.get(ping.slug);
      if (monitor === undefined) continue; // removed by a reload between receipt and commit
      const step = onPing(monitor.config, next.get(monitor) ?? monitor.state, ping);
      this.#d.store.insertPing({
        ...ping,
        monitorId: monitor.id,
        body: bufferOf(ping.body),
        // A run overdue measured itself (start to end) wins over one the client reports.
        durationMs: step.durationMs ?? ping.durationMs,
      });
      this.#writeTransitions(monitor, step, ping, made);
      next.set(monitor, step.state);
      if (++monitor.pingsSincePrune >= Math.max(10, this.#keepPings / 10)) {
        this.#d.store.prunePings(monitor.id, this.#keepPings);
        monitor.pingsSincePrune = 0;
        (pruned ??= new Set()).add(monitor);
      }
    }
    for (const [monitor, state] of next) {
      // The row is written when a restart could not derive the new state from the pings table
      // (see Store.loadMonitors), and with every prune, which may delete the pings it derives from.
      if (pruned?.has(monitor) === true || !derivable(monitor.state, state)) {
        this.#d.store.saveState(monitor.id, state);
      }
    }
    return () => this.#publish(next, made);
  }

  /** Applies the deadlines that fell due at `now`. Called by the scheduler. */
  onDue(slugs: readonly string[], now: number): void {
    const next = new Map<Monitor, MonitorState>();
    const made: Made = { transitions: [], alerts: 0 };
    try {
      this.#d.store.transaction(() => {
        for (const slug of slugs) {
          const monitor = this.#bySlug.get(slug);
          if (monitor === undefined) continue;
          const step = onDeadline(monitor.config, monitor.state, monitor.activeSince, now);
          this.#writeTransitions(monitor, step, null, made);
          // A quiet miss (alert-after) changes the state without a transition.
          if (step.state !== monitor.state) this.#d.store.saveState(monitor.id, step.state);
          next.set(monitor, step.state);
        }
      });
    } catch (error) {
      // Nothing was written: try the same deadlines again shortly rather than lose them.
      this.#d.log.error('cannot record deadlines; retrying in 1 s', {
        error: String(error),
        monitors: slugs.length,
      });
      for (const slug of slugs) this.#d.arm(slug, now + 1_000);
      return;
    }
    this.#publish(next, made);
  }

  /** Writes a step's transitions and their alerts, and notes them in `made`. */
  #writeTransitions(monitor: Monitor, step: Step, ping: ReceivedPing | null, made: Made): void {
    for (const t of step.transitions) {
      const id = this.#d.store.insertTransition(monitor.id, t);
      made.transitions.push(t);
      if (t.alert === null) continue;
      // The ping's output is decoded only here, for an alert: not for every ping on the hot path.
      const cause = ping === null ? null : alertPing(ping);
      const alert = buildAlert({ ...t, alert: t.alert }, id, monitor.config.name, step, cause);
      const payload = JSON.stringify(alert);
      for (const hook of monitor.config.notify) {
        this.#d.store.enqueueAlert(id, hook, payload, t.at);
        made.alerts++;
      }
    }
  }

  /** After the commit: the new state goes live, deadlines move, alerts are dispatched. */
  #publish(next: ReadonlyMap<Monitor, MonitorState>, made: Made): void {
    for (const [monitor, state] of next) {
      monitor.state = state;
      this.#arm(monitor);
    }
    for (const t of made.transitions) this.#logTransition(t);
    if (made.alerts > 0) this.#d.alertsQueued();
  }

  #arm(monitor: Monitor): void {
    const deadline = nextDeadline(monitor.config, monitor.state, monitor.activeSince);
    this.#d.arm(monitor.config.slug, deadline?.at ?? null);
  }

  #logTransition(t: Transition): void {
    const level = t.to === 'down' && t.alert !== null ? 'warn' : 'info';
    this.#d.log[level](`monitor ${t.to}`, {
      monitor: t.slug,
      from: t.from,
      reason: t.reason,
      alert: t.alert ?? 'none',
    });
  }
}

/** True when `after` differs from `before` only in what the newest pings tell at load. */
function derivable(before: MonitorState, after: MonitorState): boolean {
  for (const key in after) {
    if (key === 'lastPingAt' || key === 'lastSuccessAt') continue;
    if (after[key as keyof MonitorState] !== before[key as keyof MonitorState]) return false;
  }
  return true;
}

function bufferOf(body: Uint8Array | null): Buffer | null {
  if (body === null || body.length === 0) return null;
  return Buffer.isBuffer(body) ? body : Buffer.from(body);
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
