// The only owner of a timer: one timer, armed for the earliest deadline in the heap.
import type { Clock } from '../core/clock.js';
import { DeadlineHeap } from '../core/deadline-heap.js';

export type OnDue = (keys: readonly string[], now: number) => void;

export interface SchedulerOptions {
  /**
   * Called on every wake before the clock is read (SteadyClock.check): a step of the wall clock is
   * dealt with, and the deadlines it moved are set again, before any deadline is judged due.
   */
  readonly beforeWake?: () => void;
}

// Never wait more than this at once. Node timers overflow past 2^31-1 ms (~24.8 days), and a
// timer armed far ahead fires late by about 0.1% of its distance (kernel timer slack: 20 s ahead
// fires ~20 ms late). Waking at least once a second keeps lateness to a millisecond or two and lets
// a step of the wall clock or a suspend be noticed within a second (see beforeWake).
const MAX_WAIT_MS = 1_000;

export class Scheduler {
  readonly #heap = new DeadlineHeap();
  readonly #clock: Clock;
  readonly #onDue: OnDue;
  readonly #beforeWake: (() => void) | undefined;
  #timer: unknown = null;
  /** The time the armed timer is for; Infinity when none is armed. */
  #armedFor = Infinity;
  #firing = false;
  #closed = false;
  /** When the armed timer is due, on the monotonic clock (a suspend is not lateness). */
  #dueMono = Infinity;
  /** How late the last wake came, in monotonic ms. */
  #lastLatenessMs = 0;

  constructor(clock: Clock, onDue: OnDue, options: SchedulerOptions = {}) {
    this.#clock = clock;
    this.#onDue = onDue;
    this.#beforeWake = options.beforeWake;
  }

  get size(): number {
    return this.#heap.size;
  }

  /** The deadline of `key`, if it has one. */
  get(key: string): number | undefined {
    return this.#heap.get(key);
  }

  set(key: string, at: number): void {
    this.#heap.upsert(key, at);
    // Re-arm only when the new deadline is earlier than the armed one: a later top is found when
    // the armed timer fires, so a burst of pings costs no timer churn.
    if (at < this.#armedFor) this.#arm();
  }

  delete(key: string): void {
    this.#heap.remove(key);
  }

  close(): void {
    this.#closed = true;
    this.#disarm();
    this.#heap.clear();
  }

  /**
   * How late the scheduler is (for its health check): the lateness of its last wake, or, when its
   * armed timer is past due and has not fired (a blocked event loop), how far past due it is.
   */
  latenessMs(): number {
    const overdue = this.#dueMono === Infinity ? 0 : this.#clock.monotonic() - this.#dueMono;
    return Math.max(this.#lastLatenessMs, overdue);
  }

  #fire(): void {
    this.#lastLatenessMs = Math.max(0, this.#clock.monotonic() - this.#dueMono);
    this.#dueMono = Infinity;
    this.#timer = null;
    this.#armedFor = Infinity;
    this.#beforeWake?.();
    // The clock is read again on every wake: the wall clock may have jumped or the host slept.
    const now = this.#clock.now();
    const due = this.#heap.popDue(now);
    if (due.length > 0) {
      this.#firing = true;
      try {
        this.#onDue(due, now);
      } finally {
        this.#firing = false;
      }
    }
    this.#arm();
  }

  #arm(): void {
    if (this.#firing || this.#closed) return;
    this.#disarm();
    const now = this.#clock.now();
    // Deadlines past the longest wait need not be exact here (see DeadlineHeap.peek).
    const top = this.#heap.peek(now + MAX_WAIT_MS);
    if (top === undefined) return;
    const wait = Math.min(Math.max(top.at - now, 0), MAX_WAIT_MS);
    this.#armedFor = wait === MAX_WAIT_MS ? now + wait : top.at;
    this.#timer = this.#clock.setTimer(() => this.#fire(), wait);
    this.#dueMono = this.#clock.monotonic() + wait;
  }

  #disarm(): void {
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#armedFor = Infinity;
    this.#dueMono = Infinity;
  }
}
