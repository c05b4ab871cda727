// The clock port: the scheduler and the daemon read time and arm timers only through it, so tests
// drive time by hand (test/helpers/fake-clock.ts). The real one is platform/system-clock.ts.
//
// A host has three clocks, and overdue needs all three: the wall clock is what times are stored
// and shown in, and cron times are read on it, but NTP or a person may step it; the monotonic
// clock never steps, so elapsed time (`every`, grace, max-runtime) is measured on it, but it
// stands still while the host is suspended; the time since boot never steps and counts a suspend,
// which tells a suspend (the daemon missed what happened meanwhile) from a step (it missed nothing).
export interface Clock {
  /** Wall-clock time, epoch ms. */
  now(): number;
  /** Milliseconds on a clock that never steps and stands still while the host is suspended. */
  monotonic(): number;
  /** Milliseconds since boot: never steps, and counts the time the host was suspended. */
  sinceBoot(): number;
  /** Timers count elapsed time, as Node's do: a step of the wall clock does not move them. */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** The earlier of two times, where null is "never". */
export function earliest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}
