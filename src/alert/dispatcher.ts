// Delivers the alert outbox: every pending (transition, hook) row, with retries and backoff, each
// attempt recorded. Deliveries run concurrently, bounded per hook, so a hook that hangs or fails
// delays only its own alerts, never another hook's, and never the timer. In an alert storm each
// delivery must cost little: due rows are claimed several at a time (see Claims), the next one
// starts as soon as a delivery finishes, and the attempts that finish in one event-loop turn are
// recorded in one transaction at the turn's end, followed by one look for more due rows. A grouped
// hook (`group:`) gets its due rows collected and sent several at a time (see grouping.ts).
import type { Counters } from '../core/counters.js';
import type { Logger } from '../platform/log.js';
import { runAttempt, type Finished } from './attempt.js';
import { Claims } from './claims.js';
import { reportAttempts, runGroupAttempt } from './group-attempt.js';
import { GroupWindows, groupOf } from './grouping.js';
import { UnrecordedHolds } from './holds.js';
import { Rehomer, type RehomingOptions } from './rehome.js';
import { UnrecordedSender } from './unrecorded.js';
import type { Alert } from '../core/alert.js';
import type { Hook, HookGroup } from '../core/hook.js';
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
  readonly #windows = new GroupWindows();
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
    for (const name of [...this.#claims.hooks()]) {
      if (hooks.has(name)) continue;
      this.#windows.forget(name);
      if (this.#claims.drop(name) > 0) this.#rehomer.mark();
    }
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

  /**
   * Starts what is due for every hook; returns when the earliest row not claimed falls due, or a
   * grouped hook's window ends.
   */
  #startHooks(now: number): number | null {
    let next: number | null = null;
    for (const name of this.#options.hooks().keys()) {
      this.#claim(name, now);
      this.#startQueued(name);
      // Not known, or due already: the hook has claimed rows, and their completions wake it.
      const at = this.#dueAt.get(name);
      if (at != null && at > now && (next === null || at < next)) next = at;
    }
    return earliest(next, this.#windows.nextEnd(now));
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
    const group = groupOf(this.#options.hooks().get(name));
    // A grouped hook's next group; else, when the queue runs low, enough rows that a storm costs
    // one query per several deliveries.
    const limit = group ? group.max - queued : queued >= perHook ? 0 : perHook * 8 - queued;
    if (limit <= 0) return;
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
    const group = groupOf(hook);
    if (group !== undefined && hook !== undefined) return this.#startGroups(name, hook, group);
    this.#windows.forget(name);
    while (hook !== undefined && !this.#closed && this.#claims.running(name) < this.#limit(name)) {
      const item = this.#claims.startNext(name);
      if (item === undefined) return;
      this.#start(name, runAttempt(item, hook, this.#options));
    }
  }

  /** Sends each group that is due, while the hook has room, claiming the next group's rows. */
  #startGroups(name: string, hook: Hook, group: HookGroup): void {
    const now = this.#options.now();
    this.#windows.update(name, group, this.#claims.queued(name), now);
    while (!this.#closed && this.#claims.running(name) < this.#limit(name)) {
      if (!this.#windows.due(name, group, this.#claims.queued(name), now)) return;
      const items = this.#claims.startGroup(name, group.max);
      this.#windows.taken(name, this.#claims.queued(name));
      this.#start(name, runGroupAttempt(items, hook, this.#options));
      this.#claim(name, now);
      this.#windows.update(name, group, this.#claims.queued(name), now);
    }
  }

  #start(hook: string, attempt: Promise<Finished | Finished[]>): void {
    const run = attempt.then((finished) => {
      this.#running.delete(run);
      this.#claims.finished(hook);
      // One row, or a group's rows: pushed one by one, no array copied per completion in a storm.
      if (!Array.isArray(finished)) this.#finished.push(finished);
      else for (const f of finished) this.#finished.push(f);
      // The next claimed row starts at once; the records and any new query wait for the turn's end.
      this.#startQueued(hook);
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
    }
    reportAttempts(finished, this.#options.log, this.#options.counters);
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
