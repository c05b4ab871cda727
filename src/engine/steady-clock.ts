// The daemon's clock: wall-clock time that moves only as elapsed time passes, so nothing in the
// daemon sees the wall clock step. It still follows the wall clock: once the two have moved apart
// by more than STEP_THRESHOLD_MS, it tells `onStep` why (a step of the wall clock, a suspend of the
// host, or both) and takes up the new wall-clock time. Until then every time it gives, every ping
// stamped and every deadline judged, is on the old one: what happened before the step is never
// mixed with what happens after it.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../platform/log.js';

/**
 * A smaller difference is not a step. NTP moves the clock by slewing it, which moves the monotonic
 * clock alike on Linux; it steps only when far off (chrony and timesyncd: from about 0.1-1 s). Below
 * a second, a deadline off by the step is within what grace is for.
 */
export const STEP_THRESHOLD_MS = 1_000;

// The wall clock ticks every millisecond: waiting for a tick takes at most this long (a clock
// that has not ticked by then, or whose monotonic clock stands still, as a test's does, is taken
// as read).
const EDGE_WAIT_MS = 2;

export interface ClockStep {
  /** How far the wall clock stepped beyond the time that passed (negative: back); 0 for none. */
  readonly stepMs: number;
  /** How long the host was suspended; 0 for none. */
  readonly suspendedMs: number;
  /** When it was noticed, on the new wall clock. */
  readonly at: number;
}

export class SteadyClock implements Clock {
  readonly #clock: Clock;
  readonly #onStep: (step: ClockStep) => void;
  readonly #log: Logger;
  /** The readings of the three clocks when this one last took up the wall clock. */
  #wallAt = 0;
  #monotonicAt = 0;
  #sinceBootAt = 0;
  /** The timer of a check asked for by now(). */
  #pending: unknown = null;

  constructor(clock: Clock, onStep: (step: ClockStep) => void, log: Logger) {
    this.#clock = clock;
    this.#onStep = onStep;
    this.#log = log;
    this.#takeUp();
  }

  /** The millisecond the wall-clock time is in, as Date.now() gives it (see #takeUp). */
  now(): number {
    const at = Math.floor(this.#wallAt + this.#clock.monotonic() - this.#monotonicAt);
    // Noticed here, dealt with in a turn of its own: never inside whatever is asking the time.
    if (this.#pending === null && Math.abs(this.#clock.now() - at) > STEP_THRESHOLD_MS) {
      this.#pending = this.#clock.setTimer(() => this.check(), 0);
    }
    return at;
  }

  monotonic(): number {
    return this.#clock.monotonic();
  }

  sinceBoot(): number {
    return this.#clock.sinceBoot();
  }

  setTimer(fn: () => void, ms: number): unknown {
    return this.#clock.setTimer(fn, ms);
  }

  clearTimer(handle: unknown): void {
    this.#clock.clearTimer(handle);
  }

  /**
   * Takes up the wall clock if it has moved apart from elapsed time. Called by the scheduler before
   * it judges deadlines, and after now() noticed a difference; never while a write is half done.
   */
  check(): void {
    this.close();
    const wall = this.#clock.now();
    const monotonic = this.#clock.monotonic();
    const elapsedMs = monotonic - this.#monotonicAt;
    const apartMs = wall - (this.#wallAt + elapsedMs);
    if (Math.abs(apartMs) <= STEP_THRESHOLD_MS) return;
    // While the host sleeps, the time since boot moves on and the monotonic clock does not.
    const sinceBoot = this.#clock.sinceBoot();
    const sleptMs = Math.round(sinceBoot - this.#sinceBootAt - elapsedMs);
    const suspendedMs = sleptMs > STEP_THRESHOLD_MS ? sleptMs : 0;
    const restMs = Math.round(apartMs - suspendedMs);
    const stepMs = Math.abs(restMs) > STEP_THRESHOLD_MS ? restMs : 0;
    this.#takeUp();
    if (stepMs !== 0) this.#log.warn('wall clock stepped', { step_ms: stepMs });
    if (suspendedMs !== 0) this.#log.info('host was suspended', { suspended_ms: suspendedMs });
    this.#onStep({ stepMs, suspendedMs, at: wall });
  }

  /** Drops a check asked for and not yet run. */
  close(): void {
    if (this.#pending !== null) this.#clock.clearTimer(this.#pending);
    this.#pending = null;
  }

  /**
   * Takes up the wall clock at the edge of a millisecond. The wall clock is read in whole
   * milliseconds: a reading taken into one is behind by that fraction, and every deadline would
   * then fire up to a millisecond late, by a fraction that depends on when the daemon started. So
   * it waits (less than a millisecond) for the next tick, and pairs the new reading with the
   * monotonic time just after it.
   */
  #takeUp(): void {
    const first = this.#clock.now();
    const startedAt = this.#clock.monotonic();
    let wall = first;
    let monotonic = startedAt;
    let previous = NaN;
    while (wall === first && monotonic !== previous && monotonic - startedAt <= EDGE_WAIT_MS) {
      previous = monotonic;
      wall = this.#clock.now();
      monotonic = this.#clock.monotonic();
    }
    this.#wallAt = wall;
    this.#monotonicAt = monotonic;
    this.#sinceBootAt = this.#clock.sinceBoot();
  }
}
