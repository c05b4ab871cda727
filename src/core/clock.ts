// The clock port: the scheduler and the daemon read time and arm timers only through it, so tests
// drive time by hand (test/helpers/fake-clock.ts). The real one is platform/system-clock.ts.
export interface Clock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}
