// The wall clock is read in whole milliseconds (Date.now() drops the fraction), so a reading taken
// 0.7 ms into a millisecond is 0.7 ms behind. SteadyClock takes up the wall clock at the edge of a
// millisecond, and gives the millisecond the time is in: a deadline then fires when its millisecond
// begins, never up to a millisecond late (or half of one early), whichever fraction the daemon
// happened to start at.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { SteadyClock } from '../../src/engine/steady-clock.js';
import { silentLogger } from '../../src/platform/log.js';

/** A host whose true time moves on by `stepMs` at every read of its monotonic clock, as time does. */
class TickingHost implements Clock {
  constructor(
    public trueAt: number,
    readonly stepMs: number,
  ) {}
  now(): number {
    return Math.floor(this.trueAt);
  }
  monotonic(): number {
    this.trueAt += this.stepMs;
    return this.trueAt;
  }
  sinceBoot(): number {
    return this.trueAt;
  }
  setTimer(): unknown {
    return null;
  }
  clearTimer(): void {}
}

describe('SteadyClock at the millisecond', () => {
  it('gives the millisecond the wall-clock time is in, whatever fraction it started at', () => {
    for (const startFraction of [0.05, 0.3, 0.55, 0.95]) {
      const host = new TickingHost(1_000_000 + startFraction, 0.01);
      const steady = new SteadyClock(host, () => {}, silentLogger);
      for (const trueAt of [1_000_100.02, 1_000_100.4, 1_000_100.6, 1_000_100.98]) {
        host.trueAt = trueAt;
        expect({ startFraction, trueAt, now: steady.now() }).toEqual({
          startFraction,
          trueAt,
          now: 1_000_100,
        });
      }
      steady.close();
    }
  });
});
