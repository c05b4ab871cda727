import type { Clock } from '../../src/core/clock.js';

/** A clock that moves only when told to, firing its timers in order as it passes them. */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();
  /** Every wait a timer was armed with, to check clamping. */
  readonly waits: number[] = [];

  constructor(now: number) {
    this.#now = now;
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): unknown {
    this.waits.push(ms);
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + ms, fn });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves to `target`, firing each timer at its own time on the way. */
  advanceTo(target: number): void {
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#timers)
        if (next === undefined || entry[1].at < next[1].at) next = entry;
      if (next === undefined || next[1].at > target) break;
      this.#timers.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].at);
      next[1].fn();
    }
    this.#now = target;
  }

  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  /** Jumps the wall clock without firing anything (NTP step, suspend). */
  jump(ms: number): void {
    this.#now += ms;
  }
}
