// Delivers the alert outbox: every pending (transition, hook) row, with retries and backoff, each
// attempt recorded. Deliveries run concurrently, bounded per hook, so a hook that hangs or fails
// delays only its own alerts, never another hook's, and never the timer. In an alert storm each
// delivery must cost little: due rows are claimed several at a time (see claimer.ts and
// claims.ts), the next one starts as soon as a delivery finishes, and the attempts that finish in
// one event-loop turn are recorded in one transaction at the turn's end, followed by one look for
// more due rows. A grouped hook (`group:`) gets its due rows collected and sent several at a time
// (see group-starts.ts). Its options are in dispatcher-options.ts.
import { earliest } from '../core/clock.js';
import { runAttempt, type Finished } from './attempt.js';
import { Claimer } from './claimer.js';
import { Claims } from './claims.js';
import { PER_HOOK_CONCURRENCY, type DispatcherOptions } from './dispatcher-options.js';
import { reportAttempts } from './group-attempt.js';
import { GroupStarts } from './group-starts.js';
import { groupOf } from './grouping.js';
import { UnrecordedHolds } from './holds.js';
import { Rehomer } from './rehome.js';
import { UnrecordedSender } from './unrecorded.js';
import type { Alert } from '../core/alert.js';
import type { OutboxItem } from '../engine/ports.js';

export { retryDelayMs } from './attempt.js';
export { PER_HOOK_CONCURRENCY, type DispatcherOptions } from './dispatcher-options.js';

export class Dispatcher {
  readonly #options: DispatcherOptions;
  readonly #claims = new Claims();
  readonly #running = new Set<Promise<void>>();
  /** Outbox ids whose last attempt could not be recorded, held back for a while. */
  readonly #held = new UnrecordedHolds();
  readonly #claimer: Claimer;
  readonly #groups: GroupStarts;
  #finished: Finished[] = [];
  /** The turn's end: records what finished, then starts what is due (one of each per turn). */
  #turn: Promise<void> | null = null;
  readonly #rehomer: Rehomer;
  readonly #unrecorded: UnrecordedSender;
  #closed = false;

  constructor(options: DispatcherOptions) {
    this.#options = options;
    const perHook = options.perHookConcurrency ?? PER_HOOK_CONCURRENCY;
    this.#claimer = new Claimer(options, this.#claims, this.#held, perHook);
    this.#groups = new GroupStarts({
      claims: this.#claims,
      claimer: this.#claimer,
      attempt: options,
      closed: () => this.#closed,
      start: (hook, attempt) => this.#start(hook, attempt),
    });
    this.#rehomer = new Rehomer(options.rehoming, options.log);
    this.#unrecorded = new UnrecordedSender(options.hooks, options.log, perHook);
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
    if (queued === undefined) this.#claimer.forgetAll();
    else for (const item of queued) this.#claimer.offer(item);
    this.#startDue();
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
      this.#claimer.forget(hook);
      if (!this.#options.hooks().has(hook)) this.#rehomer.mark();
    });
    const hooks = this.#options.hooks();
    for (const name of [...this.#claims.hooks()]) {
      if (hooks.has(name)) continue;
      this.#groups.forget(name);
      if (this.#claims.drop(name) > 0) this.#rehomer.mark();
    }
    // Rows in hand (claimed, or held back unrecorded) are rehomed once they are out of it.
    const busy = (id: number) => this.#claims.has(id) || this.#held.has(id);
    const { deliverable, retryAt } = this.#rehomer.run(hooks, busy, now);
    if (deliverable) this.#claimer.forgetAll();
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
      this.#claimer.claim(name, now);
      this.#startQueued(name);
      // Not known, or due already: the hook has claimed rows, and their completions wake it.
      const at = this.#claimer.dueAt(name);
      if (at != null && at > now && (next === null || at < next)) next = at;
    }
    return earliest(next, this.#groups.nextEnd(now));
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

  #startQueued(name: string): void {
    // Looked up now, not when claimed: a reload may have changed or removed the hook since (then
    // its queue is dropped and rehomed at the turn's end).
    const hook = this.#options.hooks().get(name);
    const group = groupOf(hook);
    if (group !== undefined && hook !== undefined) return this.#groups.start(name, hook, group);
    this.#groups.forget(name);
    while (
      hook !== undefined &&
      !this.#closed &&
      this.#claims.running(name) < this.#claimer.limit(name)
    ) {
      const item = this.#claims.startNext(name);
      if (item === undefined) return;
      this.#start(name, runAttempt(item, hook, this.#options));
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
      this.#claimer.noteRetry(f.item.hook, f.outcome);
    }
    reportAttempts(finished, this.#options.log, this.#options.counters);
  }
}
