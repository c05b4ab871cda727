// The ports of the application layer: what the engine and the outbox engine need from storage.
// Declared here, once; src/store implements them and imports these types instead of redeclaring
// them, so the two sides of the boundary cannot drift apart.
import type { DeliveryResult } from '../core/hook.js';
import type { MonitorState, Transition } from '../core/types.js';
import type { StatusChange } from '../core/uptime.js';
import type { DeliveryRow, PingRow, TransitionRow } from './read-model.js';

/** A ping as it is stored. */
export interface PingRecord {
  readonly monitorId: number;
  readonly at: number;
  readonly kind: string;
  readonly exitStatus: number | null;
  readonly runId: string | null;
  readonly durationMs: number | null;
  readonly value: number | null;
  readonly method: string;
  readonly remoteAddr: string | null;
  readonly userAgent: string | null;
  readonly body: Buffer | null;
}

/** The latest run time and value sent with a monitor's pings. */
export interface Measured {
  readonly durationMs: number | null;
  readonly value: number | null;
}

/** What the live monitor set writes: states, pings, transitions and their outbox rows. */
export interface MonitorStore {
  /** Every monitor's persisted state, by slug (monitors no longer in the config included). */
  loadMonitors(): Map<string, { id: number; state: MonitorState }>;
  addMonitor(slug: string, state: MonitorState): number;
  saveState(id: number, state: MonitorState): void;
  insertPing(ping: PingRecord): void;
  /** Pings kept per monitor (older ones are pruned by the store, in its own time). */
  keepPings(keep: number): void;
  /** Returns the transition's id. */
  insertTransition(monitorId: number, transition: Transition): number;
  /** Returns the outbox row's id. */
  enqueueAlert(transitionId: number, hook: string, payload: string, at: number): number;
  /**
   * Queues an alert that `hook` already took, from memory, at `sent.at` (while the database could
   * not be written): recorded as delivered, with `sent.note` as its attempt's text.
   */
  enqueueSentAlert(
    transitionId: number,
    hook: string,
    payload: string,
    at: number,
    sent: { readonly at: number; readonly note: string },
  ): void;
  lastMeasured(monitorId: number): Measured;
  /** Runs `fn` in one transaction; never `await` inside it. */
  transaction<T>(fn: () => T): T;
}

/** One pending row of the alert outbox: an alert for one hook. */
export interface OutboxItem {
  readonly id: number;
  readonly hook: string;
  readonly payload: string;
  readonly attempts: number;
  readonly createdAt: number;
  readonly nextAttemptAt: number;
}

export interface AttemptRecord extends DeliveryResult {
  readonly at: number;
  readonly durationMs: number;
}

/**
 * What an outbox row becomes after an attempt, or when its hook left the config: `moved` to the
 * hooks its monitor notifies now, or `held` until a hook can take it (see alert/rehome.ts).
 */
export type OutboxState = 'pending' | 'delivered' | 'failed' | 'moved' | 'held';

/** One delivery attempt and what its outbox row becomes. */
export interface AttemptOutcome {
  readonly outboxId: number;
  readonly attempt: AttemptRecord;
  readonly state: OutboxState;
  readonly nextAttemptAt: number;
  /** The grouped attempt that carried this alert (a hook's `group:`); absent: its own attempt. */
  readonly group?: GroupAttempt | undefined;
}

/**
 * One delivery that carried several alerts of a hook at once. The outcomes of its alerts share
 * this one object: it is recorded once, and each alert's delivery row points at it.
 */
export interface GroupAttempt {
  readonly hook: string;
  readonly attempt: AttemptRecord;
  /** How many alerts it carried. */
  readonly size: number;
}

/** A pending or held outbox row whose hook is not in the config (or held, whatever its hook). */
export interface StrandedAlert {
  readonly id: number;
  readonly hook: string;
  readonly state: 'pending' | 'held';
  readonly transitionId: number;
  /** The slug of the transition's monitor. */
  readonly monitor: string;
  /** The hooks of the transition's other outbox rows: they have this alert already. */
  readonly siblings: readonly string[];
}

/** What becomes of a stranded alert; `note` is recorded as an attempt, where deliveries are read. */
export type Rehoming =
  | {
      readonly kind: 'move';
      readonly outboxId: number;
      readonly to: readonly string[];
      readonly note: string;
    }
  | { readonly kind: 'hold'; readonly outboxId: number; readonly note: string }
  | { readonly kind: 'release'; readonly outboxId: number };

/** The persistence the dispatcher needs. */
export interface OutboxStore {
  /** The hook's pending alerts, the soonest next attempt first, leaving out `busy` ids. */
  pendingAlerts(hook: string, busy: readonly number[], limit: number): OutboxItem[];
  /** Records every outcome, each group once (see GroupAttempt), or none (it throws). */
  recordAttempts(outcomes: readonly AttemptOutcome[]): void;
}

/** Where the dispatcher finds and rehomes the alerts of hooks that left the config. */
export interface StrandedAlertStore {
  /** Pending alerts of hooks not in `hooks`, and every held alert. */
  strandedAlerts(hooks: readonly string[]): StrandedAlert[];
  /**
   * Applies every rehoming at `at`, or none (it throws): a move queues a copy of the alert for
   * each hook of `to` (keeping its creation time) and marks the row moved; a hold marks it held; a
   * release makes it pending again, due at once.
   */
  rehomeAlerts(rehomings: readonly Rehoming[], at: number): void;
}

/** A slice of a monitor's history, newest first: rows with an id below `before`. */
export interface PageCursor {
  readonly before: number;
  readonly limit: number;
}

/** A monitor's history, for the read API and the status page. */
export interface HistoryStore {
  pings(monitorId: number, cursor: PageCursor): PingRow[];
  transitions(monitorId: number, cursor: PageCursor): TransitionRow[];
  deliveries(monitorId: number, cursor: PageCursor): DeliveryRow[];
  /** The latest `limit` pings and timeouts (with the status each led to), each newest first. */
  recent(
    monitorId: number,
    limit: number,
  ): { pings: { at: number; kind: string }[]; misses: { at: number; status: string }[] };
  /**
   * The monitor's transitions newest first, down to the first one at or before `sinceAt`, at most
   * `limit` of them (uptime reads these).
   */
  changesSince(monitorId: number, sinceAt: number, limit: number): StatusChange[];
}

/** A monitor created by auto-provisioning, kept in the database. */
export interface ProvisionedRow {
  readonly slug: string;
  readonly name: string;
  readonly periodMs: number | null;
  readonly graceMs: number | null;
  readonly token: string | null;
  readonly createdAt: number;
}

export interface ProvisionStore {
  provisioned(): ProvisionedRow[];
  /** Adds a provisioned monitor; false when the slug or token is taken. */
  provision(row: ProvisionedRow): boolean;
  /** Changes a provisioned monitor's name, period and grace; false when there is no such row. */
  reprovision(row: Pick<ProvisionedRow, 'slug' | 'name' | 'periodMs' | 'graceMs'>): boolean;
  /** Forgets a provisioned monitor; false when there is no such row. */
  unprovision(slug: string): boolean;
}
