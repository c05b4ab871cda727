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
import { UnrecordedHolds } from './holds.js';
import { Rehomer, type RehomingOptions } from './rehome.js';
import { UnrecordedSender } from './unrecorded.js';
import type { Alert } from '../core/alert.js';
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
  /**
   * Where the alerts of a hook that left the config go (see rehome.ts); without it they stay
   * pending, never attempted, until a hook of their name returns.
   */
  readonly rehoming?: RehomingOptions;
}

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
  /** Outbox ids whose last attempt could not be recorded, held back for a while. */
  readonly #held = new UnrecordedHolds();
  /**
   * Per hook: no row it has not claimed falls due before this time (null: none is pending). Known
   * after a query that found fewer due rows than it asked for, kept up to date with the retries
   * recorded here and with the new rows a commit hands over (see #offer), forgotten when the timer
   * wakes the dispatcher: while it holds, a completion or a new alert costs no outbox query.
   */
  readonly #dueAt = new Map<string, number | null>();
  #finished: Finished[] = [];
  /** The turn's end: records what finished, then starts what is due (one of each per turn). */
  #turn: Promise<void> | null = null;
  readonly #rehomer: Rehomer;
  readonly #unrecorded: UnrecordedSender;
  #closed = false;

  constructor(options: DispatcherOptions) {
    this.#options = options;
    this.#perHook = options.perHookConcurrency ?? PER_HOOK_CONCURRENCY;
    this.#rehomer = new Rehomer(options.rehoming, options.log);
    this.#unrecorded = new UnrecordedSender(options.hooks, options.log, this.#perHook);
  }

  /**
   * Sends an alert that could not be written to the outbox (the database is full) from memory, once
   * to each hook; resolves with the hooks that took it.
   */
  sendUnrecorded(alert: Alert, hooks: readonly string[]): Promise<string[]> {
    return this.#unrecorded.send(alert, hooks);
  }

  /**
   * Starts every due delivery there is room for, and asks to be woken for the next one. Called when
   * alerts are queued, with the pending rows just committed (`queued`), and when the timer fires;
   * synchronous, so an alert starts in the turn its deadline passed.
   */
  wake(queued?: readonly OutboxItem[]): void {
    if (queued === undefined) this.#dueAt.clear();
    else for (const item of queued) this.#offer(item);
    this.#startDue();
  }

  /**
   * A row just committed. When no other row of its hook is due (known from the last query) and
   * the hook's queue has room, a query would find just this row: it is claimed as it is, so the
   * first alert after a quiet spell costs no outbox query. Otherwise the hook looks again. A
   * grouped hook always looks: its rows are not delivered one by one.
   */
  #offer(item: OutboxItem): void {
    const known = this.#dueAt.get(item.hook);
    const hook = this.#options.hooks().get(item.hook);
    const quiet = known === null || (known !== undefined && known > this.#options.now());
    const room = this.#claims.queued(item.hook) < this.#limit(item.hook) * 8;
    if (quiet && room && hook !== undefined && hook.group === undefined)
      this.#claims.claim(item.hook, [item]);
    else this.#dueAt.delete(item.hook);
  }

  /**
   * Rehomes the alerts of hooks that left the config (see rehome.ts), then wakes. Called at
   * start-up and after a reload: only then can a hook leave.
   */
  refresh(): void {
    this.#rehomer.mark();
    this.wake();
  }

  #startDue(): void {
    if (this.#closed) return;
    const now = this.#options.now();
    // Holds and claims of hooks that left end first: their rows are then rehomed with the rest.
    const holdsEndAt = this.#held.endDue(now, (hook) => {
      // Its row may be claimed again, or rehomed if its hook has left.
      this.#dueAt.delete(hook);
      if (!this.#options.hooks().has(hook)) this.#rehomer.mark();
    });
    const hooks = this.#options.hooks();
    for (const name of [...this.#claims.hooks()])
      if (!hooks.has(name) && this.#claims.drop(name) > 0) this.#rehomer.mark();
    // Rows in hand (claimed, or held back unrecorded) are rehomed once they are out of it.
    const busy = (id: number) => this.#claims.has(id) || this.#held.has(id);
    const { deliverable, retryAt } = this.#rehomer.run(hooks, busy, now);
    if (deliverable) this.#dueAt.clear();
    try {
      this.#options.wakeAt(earliest(earliest(holdsEndAt, retryAt), this.#startHooks(now)));
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
  #startHooks(now: number): number | null {
    let next: number | null = null;
    for (const name of this.#options.hooks().keys()) {
      this.#claim(name, now);
      this.#startQueued(name);
      // Not known, or due already: the hook has claimed rows, and their completions wake it.
      const at = this.#dueAt.get(name);
      if (at != null && at > now && (next === null || at < next)) next = at;
    }
    return next;
  }

  /**
   * Claims due rows when the hook's queue runs low and the outbox may hold more. One query finds
   * both the due rows and, when they are fewer than asked for, when the next one falls due.
   */
  #claim(name: string, now: number): void {
    const known = this.#dueAt.get(name);
    if (known !== undefined && (known === null || known > now)) return;
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

  /** Deliveries the hook runs at once: its own figure (command hooks), else the dispatcher's. */
  #limit(hook: string): number {
    return this.#options.hooks().get(hook)?.concurrency ?? this.#perHook;
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
    await this.#unrecorded.idle();
  }

  /** The hook's outbox ids not to claim now: claimed already, or held back (unrecorded). */
  #excluded(hook: string): number[] {
    return [...this.#claims.idsOf(hook), ...this.#held.idsOf(hook)];
  }

  #startQueued(name: string): void {
    // Looked up now, not when claimed: a reload may have changed or removed the hook since (then
    // its queue is dropped and rehomed at the turn's end).
    const hook = this.#options.hooks().get(name);
    while (hook !== undefined && !this.#closed && this.#claims.running(name) < this.#limit(name)) {
      const item = this.#claims.startNext(name);
      if (item === undefined) return;
      this.#start(item, hook);
    }
  }

  #start(item: OutboxItem, hook: Hook): void {
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
      for (const { item } of finished) this.#claims.release(item.id);
      this.#held.hold(finished, error, this.#options.now(), this.#options.log);
      return;
    }
    for (const f of finished) {
      this.#claims.release(f.item.id);
      // Attempted by a hook that a reload has since removed: if still pending, it is rehomed.
      if (!this.#options.hooks().has(f.item.hook)) this.#rehomer.mark();
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
}

function earliest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}
