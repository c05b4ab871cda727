// The real clock: wall-clock time, the monotonic clock, the time since boot, and Node's timers.
import { uptime } from 'node:os';
import type { Clock } from '../core/clock.js';

export const systemClock: Clock = {
  now: () => Date.now(),
  // CLOCK_MONOTONIC on Linux: it does not count a suspend.
  monotonic: () => performance.now(),
  // /proc/uptime (CLOCK_BOOTTIME) on Linux, to the centisecond: it counts a suspend. Read only
  // when the wall clock has moved apart from the monotonic clock (a few µs a read).
  sinceBoot: () => uptime() * 1_000,
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
