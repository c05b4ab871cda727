// When a hook claims outbox rows, and how many: the dispatcher's knowledge of when each hook's next
// row not yet claimed falls due. While that is known, a completion or a new alert costs no outbox
// query; one query finds both the due rows and, when they are fewer than asked for, when the next
// one falls due. The claimed rows themselves are kept in Claims (claims.ts).
import { earliest } from '../core/clock.js';
import type { AttemptOutcome, OutboxItem } from '../engine/ports.js';
import type { Claims } from './claims.js';
import type { DispatcherOptions } from './dispatcher-options.js';
import { groupOf } from './grouping.js';
import type { UnrecordedHolds } from './holds.js';

type ClaimerOptions = Pick<DispatcherOptions, 'outbox' | 'hooks' | 'now'>;

export class Claimer {
  readonly #options: ClaimerOptions;
  readonly #claims: Claims;
  readonly #held: UnrecordedHolds;
  readonly #perHook: number;
  /**
   * Per hook: no row it has not claimed falls due before this time (null: none is pending). Known
   * after a query that found fewer due rows than it asked for, kept up to date with the retries
   * recorded (see noteRetry) and with the new rows a commit hands over (see offer), forgotten when
   * the timer wakes the dispatcher: while it holds, a completion or a new alert costs no query.
   */
  readonly #dueAt = new Map<string, number | null>();

  constructor(options: ClaimerOptions, claims: Claims, held: UnrecordedHolds, perHook: number) {
    this.#options = options;
    this.#claims = claims;
    this.#held = held;
    this.#perHook = perHook;
  }

  /** When the hook's next row not claimed falls due: undefined when not known, null when none. */
  dueAt(hook: string): number | null | undefined {
    return this.#dueAt.get(hook);
  }

  /** The hook looks again at its next query (its row may be claimed again, or rehomed). */
  forget(hook: string): void {
    this.#dueAt.delete(hook);
  }

  /** Every hook looks again (the timer fired, or rows were rehomed to deliverable hooks). */
  forgetAll(): void {
    this.#dueAt.clear();
  }

  /**
   * A row just committed. When no other row of its hook is due (known from the last query) and
   * the hook's queue has room, a query would find just this row: it is claimed as it is, so the
   * first alert after a quiet spell costs no outbox query. Otherwise the hook looks again. A
   * grouped hook always looks: its rows are not delivered one by one.
   */
  offer(item: OutboxItem): void {
    const known = this.#dueAt.get(item.hook);
    const hook = this.#options.hooks().get(item.hook);
    const quiet = known === null || (known !== undefined && known > this.#options.now());
    const room = this.#claims.queued(item.hook) < this.limit(item.hook) * 8;
    if (quiet && room && hook !== undefined && hook.group === undefined)
      this.#claims.claim(item.hook, [item]);
    else this.#dueAt.delete(item.hook);
  }

  /**
   * Claims due rows when the hook's queue runs low and the outbox may hold more. One query finds
   * both the due rows and, when they are fewer than asked for, when the next one falls due.
   */
  claim(name: string, now: number): void {
    const known = this.#dueAt.get(name);
    if (known !== undefined && (known === null || known > now)) return;
    const queued = this.#claims.queued(name);
    const perHook = this.limit(name);
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

  /** A retry recorded here moves the hook's known due time earlier, without a query. */
  noteRetry(hook: string, o: AttemptOutcome): void {
    const known = this.#dueAt.get(hook);
    if (o.state !== 'pending' || known === undefined) return;
    this.#dueAt.set(hook, earliest(known, o.nextAttemptAt));
  }

  /** Deliveries the hook runs at once: its own figure (command hooks), else the dispatcher's. */
  limit(hook: string): number {
    return this.#options.hooks().get(hook)?.concurrency ?? this.#perHook;
  }

  /** The hook's outbox ids not to claim now: claimed already, or held back (unrecorded). */
  #excluded(hook: string): number[] {
    return [...this.#claims.idsOf(hook), ...this.#held.idsOf(hook)];
  }
}
