import type { Clock } from '../../src/core/clock.js';

interface Timer {
  /** The monotonic time it fires at: like Node's timers, it counts elapsed time, not the wall. */
  readonly at: number;
  readonly fn: () => void;
}

/**
 * A clock that moves only when told to, firing its timers in order as it passes them. It keeps the
 * three clocks a host has: the wall clock (`now`), the monotonic clock (stops while the host is
 * suspended) and the time since boot (counts a suspend). `advance` moves all three; `jump` steps the
 * wall clock alone (NTP, a person); `suspend` moves the wall clock and the time since boot.
 */
export class FakeClock implements Clock {
  #now: number;
  #monotonic = 0;
  #sinceBoot = 0;
  #seq = 0;
  readonly #timers = new Map<number, Timer>();
  /** Every wait a timer was armed with, to check clamping. */
  readonly waits: number[] = [];

  constructor(now: number) {
    this.#now = now;
  }

  now(): number {
    return this.#now;
  }

  monotonic(): number {
    return this.#monotonic;
  }

  sinceBoot(): number {
    return this.#sinceBoot;
  }

  setTimer(fn: () => void, ms: number): unknown {
    this.waits.push(ms);
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#monotonic + Math.max(ms, 0), fn });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves the wall clock to `target` as time passes, firing each timer at its own time on the way. */
  advanceTo(target: number): void {
    this.advance(target - this.#now);
  }

  /** Lets `ms` pass, firing each timer at its own time on the way. */
  advance(ms: number): void {
    if (ms < 0)
      throw new Error(`FakeClock: time passes forwards (advance(${ms})); jump() steps back`);
    const end = this.#monotonic + ms;
    for (;;) {
      let next: [number, Timer] | undefined;
      for (const entry of this.#timers)
        if (next === undefined || entry[1].at < next[1].at) next = entry;
      if (next === undefined || next[1].at > end) break;
      this.#timers.delete(next[0]);
      this.#pass(Math.max(0, next[1].at - this.#monotonic));
      next[1].fn();
    }
    this.#pass(end - this.#monotonic);
  }

  /** Steps the wall clock alone (NTP, a person, a VM's clock set on restore): no time passes. */
  jump(ms: number): void {
    this.#now += ms;
  }

  /**
   * The host sleeps for `ms`: the wall clock and the time since boot move on, the monotonic clock
   * stands still, and no timer fires (they fire after the resume, when their elapsed time is up).
   */
  suspend(ms: number): void {
    this.#now += ms;
    this.#sinceBoot += ms;
  }

  #pass(ms: number): void {
    this.#now += ms;
    this.#monotonic += ms;
    this.#sinceBoot += ms;
  }
}
