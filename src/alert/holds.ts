// Outbox rows whose last attempt could not be recorded (disk full, database locked). They are
// still pending in the database, so they are sent again (at least once), but not at once: that
// would flood the receiver with duplicates for as long as the fault lasts.
import type { Logger } from '../platform/log.js';
import type { Finished } from './attempt.js';

/** How long a row whose attempt could not be recorded is held back. */
export const UNRECORDED_RETRY_MS = 5_000;

export class UnrecordedHolds {
  /** Held back until the time given. */
  readonly #held = new Map<number, { until: number; hook: string }>();

  has(id: number): boolean {
    return this.#held.has(id);
  }

  /** The hook's held ids (not to be claimed until their hold ends). */
  idsOf(hook: string): number[] {
    const ids: number[] = [];
    for (const [id, held] of this.#held) if (held.hook === hook) ids.push(id);
    return ids;
  }

  /** Holds back every row of a batch whose records failed with `error`; logs once per batch. */
  hold(finished: readonly Finished[], error: unknown, now: number, log: Logger): void {
    for (const { item } of finished)
      this.#held.set(item.id, { until: now + UNRECORDED_RETRY_MS, hook: item.hook });
    // Once per batch: a full disk would otherwise log a line per alert of a storm.
    log.error('cannot record a delivery; it will be sent again', {
      hooks: [...new Set(finished.map((f) => f.item.hook))].join(','),
      outbox: finished.map((f) => f.item.id).join(','),
      deliveries: finished.length,
      error: String(error),
      retry_in_ms: UNRECORDED_RETRY_MS,
    });
  }

  /** Ends the holds that are over, telling `ended` each one's hook; returns the next end. */
  endDue(now: number, ended: (hook: string) => void): number | null {
    let next: number | null = null;
    for (const [id, { until, hook }] of this.#held) {
      if (until <= now) {
        this.#held.delete(id);
        ended(hook);
      } else if (next === null || until < next) next = until;
    }
    return next;
  }
}
