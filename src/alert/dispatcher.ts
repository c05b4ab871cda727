// Delivers the alert outbox: every pending (transition, hook) row, with retries and backoff, each
// attempt recorded. Deliveries run concurrently, bounded per hook, so a hook that hangs or fails
// delays only its own alerts, never another hook's, and never the timer.
import type { Alert } from '../core/alert.js';
import type { Counters } from '../core/counters.js';
import type { Logger } from '../log.js';
import { failed, type DeliveryResult, type Hook } from './hook.js';

export interface OutboxItem {
  readonly id: number;
  readonly hook: string;
  readonly payload: string;
  readonly attempts: number;
  readonly createdAt: number;
}

export interface AttemptRecord extends DeliveryResult {
  readonly at: number;
  readonly durationMs: number;
}

/** The persistence the dispatcher needs; the store implements it. */
export interface Outbox {
  dueAlerts(hook: string, now: number, busy: readonly number[], limit: number): OutboxItem[];
  alertHooks(): string[];
  nextAlertAt(hook: string, busy: readonly number[]): number | null;
  recordAttempt(
    id: number,
    attempt: AttemptRecord,
    state: 'pending' | 'delivered' | 'failed',
    nextAttemptAt: number,
  ): void;
}

export interface DispatcherOptions {
  readonly outbox: Outbox;
  readonly hooks: () => ReadonlyMap<string, Hook>;
  readonly now: () => number;
  /** Asks to be woken at `at` (null: nothing pending). The daemon routes it to the scheduler. */
  readonly wakeAt: (at: number | null) => void;
  readonly log: Logger;
  /** Where attempts are counted (metrics). */
  readonly counters?: Counters;
  readonly perHookConcurrency?: number;
  /** After this long since the alert was created, a failing delivery is given up. */
  readonly giveUpAfterMs?: number;
  readonly random?: () => number;
}

const RETRY_BASE_MS = 2_000;
const RETRY_MAX_MS = 5 * 60_000;
// A Retry-After beyond this is taken as a misconfigured receiver: alerts must not wait for days.
const RETRY_AFTER_MAX_MS = 60 * 60_000;
// A delivery whose result could not be written (disk full, database locked) is sent again after
// this long: at once would flood the receiver with duplicates for as long as the fault lasts.
const UNRECORDED_RETRY_MS = 5_000;

/** Exponential backoff with ±25% jitter, so alerts failing together do not retry in lockstep. */
export function retryDelayMs(attempt: number, random: () => number): number {
  const base = Math.min(RETRY_BASE_MS * 2 ** Math.max(attempt - 1, 0), RETRY_MAX_MS);
  return Math.round(base * (0.75 + random() * 0.5));
}

export class Dispatcher {
  readonly #o: DispatcherOptions;
  readonly #perHook: number;
  readonly #busy = new Map<number, string>();
  readonly #running = new Set<Promise<void>>();
  /** Outbox ids whose last attempt could not be recorded, held back until the time given. */
  readonly #held = new Map<number, number>();
  #orphans = new Set<string>();
  #closed = false;

  constructor(options: DispatcherOptions) {
    this.#o = options;
    this.#perHook = options.perHookConcurrency ?? 4;
  }

  /** Starts every due delivery there is room for, and asks to be woken for the next one. */
  wake(): void {
    if (this.#closed) return;
    try {
      this.#startDue();
    } catch (error) {
      // A read that fails (the database is locked or gone) must not crash the daemon: try again
      // shortly.
      this.#o.log.error('cannot read the alert outbox; retrying in 5 s', { error: String(error) });
      this.#o.wakeAt(this.#o.now() + 5_000);
    }
  }

  /**
   * Hooks with pending alerts are those of the config, plus any the outbox holds for a hook that
   * has since left the config (found by `refresh()`, at start-up and on reload). Asking the outbox
   * for its distinct hooks on every wake would scan every pending row: quadratic in an alert storm.
   */
  refresh(): void {
    this.#orphans = new Set(this.#o.outbox.alertHooks().filter((h) => !this.#o.hooks().has(h)));
    this.wake();
  }

  #startDue(): void {
    const now = this.#o.now();
    const hooks = this.#o.hooks();
    let next: number | null = null;
    for (const [id, until] of this.#held) {
      if (until <= now) this.#held.delete(id);
      else if (next === null || until < next) next = until;
    }
    for (const name of [...hooks.keys(), ...this.#orphans]) {
      const room = this.#perHook - this.#inFlight(name);
      const busy = this.#excluded();
      if (room > 0) {
        const due = this.#o.outbox.dueAlerts(name, now, busy, room);
        for (const item of due) this.#start(item, hooks.get(name));
        if (due.length === 0 && this.#orphans.has(name)) this.#orphans.delete(name);
      }
      // A hook at its limit is woken by its next completion, not by the timer.
      if (this.#inFlight(name) >= this.#perHook) continue;
      const at = this.#o.outbox.nextAlertAt(name, this.#excluded());
      if (at !== null && (next === null || at < next)) next = at;
    }
    this.#o.wakeAt(next);
  }

  /** Resolves when no delivery is running (or after `timeoutMs`); starts no new ones after. */
  async close(timeoutMs: number): Promise<void> {
    this.#closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(this.#running), timeout]);
    clearTimeout(timer);
  }

  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  /** Outbox ids not to start now: running, or held back after an unrecorded attempt. */
  #excluded(): number[] {
    return [...this.#busy.keys(), ...this.#held.keys()];
  }

  #inFlight(hook: string): number {
    let n = 0;
    for (const h of this.#busy.values()) if (h === hook) n++;
    return n;
  }

  #start(item: OutboxItem, hook: Hook | undefined): void {
    this.#busy.set(item.id, item.hook);
    const run = this.#deliver(item, hook).finally(() => {
      this.#busy.delete(item.id);
      this.#running.delete(run);
      this.wake();
    });
    this.#running.add(run);
  }

  async #deliver(item: OutboxItem, hook: Hook | undefined): Promise<void> {
    const startedAt = this.#o.now();
    const result = hook
      ? await hook
          .deliver(JSON.parse(item.payload) as Alert)
          .catch((e: unknown) => failed(String(e), false))
      : failed(`hook '${item.hook}' is no longer in the config`, true);
    const at = this.#o.now();
    const attempt: AttemptRecord = { ...result, at: startedAt, durationMs: at - startedAt };
    const attempts = item.attempts + 1;
    const givenUp =
      !result.ok &&
      (result.permanent || at - item.createdAt >= (this.#o.giveUpAfterMs ?? 86_400_000));
    const state = result.ok ? 'delivered' : givenUp ? 'failed' : 'pending';
    const nextAt = state === 'pending' ? at + this.#retryInMs(attempts, result) : at;
    try {
      this.#o.outbox.recordAttempt(item.id, attempt, state, nextAt);
    } catch (error) {
      // Still pending in the database: sent again (at least once), but not before the hold ends.
      this.#held.set(item.id, at + UNRECORDED_RETRY_MS);
      this.#o.log.error('cannot record a delivery; it will be sent again', {
        hook: item.hook,
        outbox: item.id,
        error: String(error),
        retry_in_ms: UNRECORDED_RETRY_MS,
      });
      return;
    }
    this.#o.counters?.delivery(
      item.hook,
      result.ok ? 'ok' : state === 'failed' ? 'failed' : 'retry',
    );
    this.#logResult(item, attempt, state, attempts, nextAt - at);
  }

  /** The backoff, or longer when the receiver asked for it (Retry-After), within reason. */
  #retryInMs(attempts: number, result: DeliveryResult): number {
    const backoff = retryDelayMs(attempts, this.#o.random ?? Math.random);
    return Math.max(backoff, Math.min(result.retryAfterMs ?? 0, RETRY_AFTER_MAX_MS));
  }

  #logResult(
    item: OutboxItem,
    a: AttemptRecord,
    state: string,
    attempts: number,
    retryInMs: number,
  ) {
    const fields = { hook: item.hook, outbox: item.id, attempts, duration_ms: a.durationMs };
    if (state === 'delivered') this.#o.log.info('alert delivered', fields);
    else if (state === 'pending')
      this.#o.log.warn('alert delivery failed; will retry', {
        ...fields,
        error: a.error,
        retry_in_ms: retryInMs,
      });
    else
      this.#o.log.error('alert delivery gave up', {
        ...fields,
        error: a.error,
        permanent: a.permanent,
      });
  }
}
