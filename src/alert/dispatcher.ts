// Delivers the alert outbox: every pending (transition, hook) row, with retries and backoff, each
// attempt recorded. Deliveries run concurrently, bounded per hook, so a hook that hangs or fails
// delays only its own alerts, never another hook's, and never the timer. In an alert storm each
// delivery must cost little: due rows are claimed several at a time (see Claims), the next one
// starts as soon as a delivery finishes, and the attempts that finish in one event-loop turn are
// recorded in one transaction at the turn's end, followed by one look for more due rows.
import type { Counters } from '../core/counters.js';
import type { Logger } from '../platform/log.js';
import { logAttempt, resultOf, runAttempt, type Finished } from './attempt.js';
import { Claims } from './claims.js';
import type { Hook } from '../core/hook.js';
import type { AttemptOutcome, OutboxItem, OutboxStore } from '../engine/ports.js';

export { retryDelayMs } from './attempt.js';

export interface DispatcherOptions {
  readonly outbox: OutboxStore;
  readonly hooks: () => ReadonlyMap<string, Hook>;
  readonly now: () => number;
  /**
   * Asks to be woken at `at` (null: nothing pending). The daemon gives the dispatcher a timer of
   * its own (a second Scheduler on the same clock), apart from the monitors' deadlines.
   */
  readonly wakeAt: (at: number | null) => void;
  readonly log: Logger;
  /** Where attempts are counted (metrics). */
  readonly counters?: Counters;
  readonly perHookConcurrency?: number;
  /** After this long since the alert was created, a failing delivery is given up. */
  readonly giveUpAfterMs?: number;
  readonly random?: () => number;
}

// A delivery whose result could not be written (disk full, database locked) is sent again after
// this long: at once would flood the receiver with duplicates for as long as the fault lasts.
const UNRECORDED_RETRY_MS = 5_000;

/**
 * Deliveries one hook runs at once. With kept-alive connections one delivery to a nearby receiver
 * takes a few ms, so this bounds a hook to a few thousand alerts a second in a storm (4 allowed
 * ~1 300); a receiver that answers 429 is then paced by its Retry-After.
 */
export const PER_HOOK_CONCURRENCY = 16;

export class Dispatcher {
  readonly #options: DispatcherOptions;
  readonly #perHook: number;
  readonly #claims = new Claims();
  readonly #running = new Set<Promise<void>>();
  /** Outbox ids whose last attempt could not be recorded, held back until the time given. */
  readonly #held = new Map<number, { until: number; hook: string }>();
  /**
   * Per hook: no row it has not claimed falls due before this time (null: none is pending). Known
   * after a query that found fewer due rows than it asked for, kept up to date with the retries
   * recorded here, forgotten on wake() (new alerts, the timer): while it holds, a completion costs
   * no outbox query.
   */
  readonly #dueAt = new Map<string, number | null>();
  #finished: Finished[] = [];
  /** The turn's end: records what finished, then starts what is due (one of each per turn). */
  #turn: Promise<void> | null = null;
  #orphans = new Set<string>();
  #closed = false;

  constructor(options: DispatcherOptions) {
    this.#options = options;
    this.#perHook = options.perHookConcurrency ?? PER_HOOK_CONCURRENCY;
  }

  /**
   * Starts every due delivery there is room for, and asks to be woken for the next one. Called when
   * alerts are queued and when the timer fires; synchronous, so an alert starts in the turn its
   * deadline passed.
   */
  wake(): void {
    this.#dueAt.clear();
    this.#startDue();
  }

  /**
   * Hooks with pending alerts are those of the config, plus any the outbox holds for a hook that
   * has since left the config (found by `refresh()`, at start-up and on reload). Asking the outbox
   * for its distinct hooks on every wake would scan every pending row: quadratic in an alert storm.
   */
  refresh(): void {
    this.#orphans = new Set(
      this.#options.outbox.alertHooks().filter((h) => !this.#options.hooks().has(h)),
    );
    this.wake();
  }

  #startDue(): void {
    if (this.#closed) return;
    try {
      this.#options.wakeAt(this.#startHooks());
    } catch (error) {
      // A read that fails (the database is locked or gone) must not crash the daemon: try again
      // shortly.
      this.#options.log.error('cannot read the alert outbox; retrying in 5 s', {
        error: String(error),
      });
      this.#options.wakeAt(this.#options.now() + 5_000);
    }
  }

  /** Starts what is due for every hook; returns when the earliest row not claimed falls due. */
  #startHooks(): number | null {
    const now = this.#options.now();
    const hooks = this.#options.hooks();
    let next = this.#endHolds(now);
    for (const name of new Set([...hooks.keys(), ...this.#orphans, ...this.#claims.hooks()])) {
      this.#claim(name, now, hooks.has(name) || this.#orphans.has(name));
      this.#startQueued(name);
      // Not known, or due already: the hook has claimed rows, and their completions wake it.
      const at = this.#dueAt.get(name);
      if (at === null && this.#claims.claimed(name) === 0 && !this.#holds(name)) {
        this.#orphans.delete(name);
      }
      if (at != null && at > now && (next === null || at < next)) next = at;
    }
    return next;
  }

  /**
   * Claims due rows when the hook's queue runs low and the outbox may hold more. One query finds
   * both the due rows and, when they are fewer than asked for, when the next one falls due.
   */
  #claim(name: string, now: number, claimable: boolean): void {
    const known = this.#dueAt.get(name);
    if (!claimable || (known !== undefined && (known === null || known > now))) return;
    const queued = this.#claims.queued(name);
    const perHook = this.#limit(name);
    if (queued >= perHook) return;
    // Enough rows that a storm costs one query per several deliveries.
    const limit = perHook * 8 - queued;
    const rows = this.#options.outbox.pendingAlerts(name, this.#excluded(name), limit + 1);
    let due = 0;
    while (due < rows.length && (rows[due]?.nextAttemptAt ?? now) <= now) due++;
    this.#claims.claim(name, due > limit ? rows.slice(0, limit) : rows.slice(0, due));
    if (due > limit) this.#dueAt.delete(name);
    else this.#dueAt.set(name, rows[due]?.nextAttemptAt ?? null);
  }

  /** Ends the holds that are over (their rows may be claimed again); returns the next end. */
  #endHolds(now: number): number | null {
    let next: number | null = null;
    for (const [id, { until, hook }] of this.#held) {
      if (until <= now) {
        this.#held.delete(id);
        this.#dueAt.delete(hook);
      } else if (next === null || until < next) next = until;
    }
    return next;
  }

  /** Deliveries the hook runs at once: its own figure (command hooks), else the dispatcher's. */
  #limit(hook: string): number {
    return this.#options.hooks().get(hook)?.concurrency ?? this.#perHook;
  }

  #holds(hook: string): boolean {
    for (const held of this.#held.values()) if (held.hook === hook) return true;
    return false;
  }

  /** Resolves when no delivery is running (or after `timeoutMs`); starts no new ones after. */
  async close(timeoutMs: number): Promise<void> {
    this.#closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(this.#running), timeout]);
    clearTimeout(timer);
    // Before the caller closes the database: what was delivered is not delivered again.
    this.#record();
  }

  /** Resolves when every delivery started so far has finished and been recorded (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0 || this.#turn !== null) {
      await Promise.all([...this.#running, this.#turn]);
    }
  }

  /** The hook's outbox ids not to claim now: claimed already, or held back (unrecorded). */
  #excluded(hook: string): number[] {
    const ids = [...this.#claims.idsOf(hook)];
    for (const [id, held] of this.#held) if (held.hook === hook) ids.push(id);
    return ids;
  }

  #startQueued(name: string): void {
    while (!this.#closed && this.#claims.running(name) < this.#limit(name)) {
      const item = this.#claims.startNext(name);
      if (item === undefined) return;
      // Looked up now, not when claimed: a reload may have changed or removed the hook since.
      this.#start(item, this.#options.hooks().get(name));
    }
  }

  #start(item: OutboxItem, hook: Hook | undefined): void {
    const run = runAttempt(item, hook, this.#options).then((finished) => {
      this.#running.delete(run);
      this.#claims.finished(item.hook);
      this.#finished.push(finished);
      // The next claimed row starts at once; the records and any new query wait for the turn's end.
      this.#startQueued(item.hook);
      this.#endTurnSoon();
    });
    this.#running.add(run);
  }

  #endTurnSoon(): void {
    this.#turn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.#turn = null;
        this.#record();
        this.#startDue();
        resolve();
      }),
    );
  }

  /** Writes the attempts that finished this turn in one transaction, then counts and logs them. */
  #record(): void {
    const finished = this.#finished;
    if (finished.length === 0) return;
    this.#finished = [];
    try {
      this.#options.outbox.recordAttempts(finished.map((f) => f.outcome));
    } catch (error) {
      this.#hold(finished, error);
      return;
    }
    for (const f of finished) {
      this.#claims.release(f.item.id);
      this.#retryAt(f.item.hook, f.outcome);
      this.#options.counters?.delivery(f.item.hook, resultOf(f));
      logAttempt(this.#options.log, f);
    }
  }

  /** A retry recorded here moves the hook's known due time earlier, without a query. */
  #retryAt(hook: string, o: AttemptOutcome): void {
    const known = this.#dueAt.get(hook);
    if (o.state !== 'pending' || known === undefined) return;
    this.#dueAt.set(hook, known === null ? o.nextAttemptAt : Math.min(known, o.nextAttemptAt));
  }

  /** Still pending in the database: sent again (at least once), but not before the hold ends. */
  #hold(finished: readonly Finished[], error: unknown): void {
    const until = this.#options.now() + UNRECORDED_RETRY_MS;
    for (const { item } of finished) {
      this.#claims.release(item.id);
      this.#held.set(item.id, { until, hook: item.hook });
    }
    // Once per batch: a full disk would otherwise log a line per alert of a storm.
    this.#options.log.error('cannot record a delivery; it will be sent again', {
      hooks: [...new Set(finished.map((f) => f.item.hook))].join(','),
      outbox: finished.map((f) => f.item.id).join(','),
      deliveries: finished.length,
      error: String(error),
      retry_in_ms: UNRECORDED_RETRY_MS,
    });
  }
}
