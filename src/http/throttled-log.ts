// A log line that anyone can cause (an unauthenticated request) is written at most once per
// interval, with the number of occurrences left out since the last one: the log stays readable and
// the disk stays free under a flood.
import type { Fields, Logger } from '../platform/log.js';

export class ThrottledLog {
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #everyMs: number;
  readonly #lastAt = new Map<string, number>();
  readonly #suppressed = new Map<string, number>();

  constructor(log: Logger, now: () => number, everyMs = 60_000) {
    this.#log = log;
    this.#now = now;
    this.#everyMs = everyMs;
  }

  warn(msg: string, fields: Fields = {}): void {
    const now = this.#now();
    const lastAt = this.#lastAt.get(msg);
    // A wall clock that steps back counts as a new interval rather than silencing the line.
    if (lastAt !== undefined && now >= lastAt && now - lastAt < this.#everyMs) {
      this.#suppressed.set(msg, (this.#suppressed.get(msg) ?? 0) + 1);
      return;
    }
    this.#lastAt.set(msg, now);
    const suppressed = this.#suppressed.get(msg) ?? 0;
    this.#suppressed.delete(msg);
    this.#log.warn(msg, suppressed === 0 ? fields : { ...fields, suppressed });
  }
}
